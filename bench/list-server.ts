import "reflect-metadata";
import { createServer } from "node:http";
import Module, { createRequire } from "node:module";
import { dirname } from "node:path";
import { openDatabase } from "../src/db/client.js";
import { benchServer } from "./database.js";

/*
 * One server of the nested-list benchmark (bench/lists.ts), in a process of its own so that the
 * client's work does not share its event loop: Chartroom, or PostGraphile v4 as the baseline,
 * both over the database named in BENCH_DATABASE_URL. argv[2] says which. It answers "ready"
 * with its GraphQL URL over IPC, and exits when the parent disconnects.
 */
const [which] = process.argv.slice(2);
const databaseUrl = process.env["BENCH_DATABASE_URL"]!;
const reply = (message: { url: string }) => process.send!(message);
process.on("disconnect", () => process.exit(0));

if (which === "chartroom") {
  const database = await openDatabase({ url: databaseUrl });
  const server = await benchServer(database);
  reply({ url: server.url });
} else if (which === "postgraphile") {
  reply({ url: await startPostGraphile() });
} else {
  throw new Error(`list-server: expected "chartroom" or "postgraphile", got ${which}`);
}

/**
 * PostGraphile v4 over the public schema with its defaults (mutations off: only reads are measured; no
 * query log, which would print every request).
 * PostGraphile v4 needs graphql 15 while Chartroom uses 16, so npm nests a copy of 15 under each of
 * its packages that asks for it, and two copies refuse each other's types. This process loads no
 * Chartroom code, so every `graphql` it requires is pointed at the one copy PostGraphile itself uses.
 */
async function startPostGraphile(): Promise<string> {
  const require = createRequire(import.meta.url);
  const postgraphileDir = dirname(require.resolve("postgraphile/package.json"));
  const graphql15 = dirname(require.resolve("graphql/package.json", { paths: [postgraphileDir] }));
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request, ...rest) {
    const redirected =
      request === "graphql" || request.startsWith("graphql/") ? graphql15 + request.slice("graphql".length) : request;
    return resolve.call(this, redirected, ...rest);
  };
  const { postgraphile } = require("postgraphile") as typeof import("postgraphile");
  const server = createServer(
    postgraphile(databaseUrl, "public", { disableDefaultMutations: true, disableQueryLog: true }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("PostGraphile is not listening on a TCP port");
  return `http://127.0.0.1:${address.port}/graphql`;
}
