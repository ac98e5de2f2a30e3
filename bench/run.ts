import "reflect-metadata";
import { benchAcknowledgementImport } from "./acknowledgement-import.js";
import { benchAcknowledgements } from "./acknowledgements.js";
import { benchClaims837p } from "./claims-837p.js";
import { benchClaimScrub } from "./claims-scrub.js";
import { benchCodeSearch } from "./code-search.js";
import { benchCoding } from "./coding.js";
import { benchEncounterList } from "./encounters.js";
import { benchEvents } from "./events.js";
import { figuresJson } from "./figures.js";
import { benchLists } from "./lists.js";
import { benchRemittancePosting } from "./remittance-posting.js";
import { benchReports } from "./reports.js";
import { benchStartup } from "./startup.js";
import { benchWorkQueue } from "./work-queue.js";

/**
 * Prints Chartroom's performance figures. Runs on PGlite, and also on PostgreSQL when
 * BENCH_DATABASE_URL names a server it may create databases on. Names given
 * (`npm run bench -- code-search`) run those benchmarks only; `--json` ends the run with one line
 * holding the figures under stable keys (bench/figures.ts); `--postgres-only` skips the PGlite runs.
 */
const postgresUrl = process.env["BENCH_DATABASE_URL"];
const flags = ["--json", "--postgres-only"];
const json = process.argv.includes("--json");
const drivers = !postgresUrl
  ? [undefined]
  : process.argv.includes("--postgres-only")
    ? [postgresUrl]
    : [undefined, postgresUrl];
const named = process.argv.slice(2).filter((argument) => !flags.includes(argument));
const wanted = (name: string) => named.length === 0 || named.includes(name);

console.log(`Chartroom benchmarks on Node ${process.version}, ${new Date().toISOString()}`);
if (wanted("startup")) for (const url of drivers) await benchStartup(url);
if (wanted("encounters")) for (const url of drivers) await benchEncounterList(url);
if (wanted("code-search")) for (const url of drivers) await benchCodeSearch(url);
if (wanted("coding")) for (const url of drivers) await benchCoding(url);
if (wanted("claims-scrub")) for (const url of drivers) await benchClaimScrub(url);
if (wanted("events")) for (const url of drivers) await benchEvents(url);
if (wanted("acknowledgement-import")) for (const url of drivers) await benchAcknowledgementImport(url);
if (wanted("remittance-posting")) for (const url of drivers) await benchRemittancePosting(url);
if (wanted("reports")) for (const url of drivers) await benchReports(url);
// Writing 837P and reading acknowledgements are pure: no database, one figure each.
if (wanted("claims-837p")) benchClaims837p();
if (wanted("acknowledgements")) await benchAcknowledgements();
// graphile-worker, the work-queue baseline, needs a PostgreSQL server.
if (postgresUrl && wanted("work-queue")) await benchWorkQueue(postgresUrl);
// PostGraphile, the nested-list baseline, serves PostgreSQL only.
if (postgresUrl && wanted("lists")) await benchLists(postgresUrl);
if (json) console.log(figuresJson());
process.exit(0);
