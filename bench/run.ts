import "reflect-metadata";
import { benchAcknowledgementImport } from "./acknowledgement-import.js";
import { benchAcknowledgements } from "./acknowledgements.js";
import { benchClaims837p } from "./claims-837p.js";
import { benchClaimScrub } from "./claims-scrub.js";
import { benchCodeSearch } from "./code-search.js";
import { benchCoding } from "./coding.js";
import { benchEncounterList } from "./encounters.js";
import { benchEvents } from "./events.js";
import { benchStartup } from "./startup.js";
import { benchWorkQueue } from "./work-queue.js";

/**
 * Prints Chartroom's performance figures. Runs on PGlite, and also on PostgreSQL when
 * BENCH_DATABASE_URL names a server it may create databases on.
 */
const postgresUrl = process.env["BENCH_DATABASE_URL"];
const drivers = postgresUrl ? [undefined, postgresUrl] : [undefined];

console.log(`Chartroom benchmarks on Node ${process.version}, ${new Date().toISOString()}`);
for (const url of drivers) await benchStartup(url);
for (const url of drivers) await benchEncounterList(url);
for (const url of drivers) await benchCodeSearch(url);
for (const url of drivers) await benchCoding(url);
for (const url of drivers) await benchClaimScrub(url);
for (const url of drivers) await benchEvents(url);
for (const url of drivers) await benchAcknowledgementImport(url);
// Writing 837P and reading acknowledgements are pure: no database, one figure each.
benchClaims837p();
await benchAcknowledgements();
// graphile-worker, the work-queue baseline, needs a PostgreSQL server.
if (postgresUrl) await benchWorkQueue(postgresUrl);
process.exit(0);
