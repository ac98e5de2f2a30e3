import "reflect-metadata";
import { ConfigError, loadConfig } from "./config.js";
import { DataDirInUseError } from "./db/data-dir-lock.js";
import { serializeError } from "./logger.js";
import { schemaCommand } from "./schema.js";

const USAGE = `usage: chartroom <command>
  serve [--demo]     migrate and serve GraphQL; --demo also seeds demo data into an empty database, allows
                     introspection and lets pages from http://localhost:5173 call the API (CORS)
  migrate            apply database migrations
  seed               load the demo organizations (refused when data exists)
  import-codes       the shipped code sets, or one release file (--system --file --tabular --label --effective-from)
  schema emit|check  write or check schema/schema.graphql`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "schema":
      return schemaCommand(rest[0]);
    case "serve": {
      const { serve } = await import("./commands.js");
      return serve(loadConfig(process.env, { demo: rest.includes("--demo") }));
    }
    case "migrate": {
      const { migrateOnly } = await import("./commands.js");
      return migrateOnly(loadConfig(process.env, { serving: false }));
    }
    case "seed": {
      const { seedOnly } = await import("./commands.js");
      return seedOnly(loadConfig(process.env, { serving: false }));
    }
    case "import-codes": {
      const { importCodes } = await import("./commands.js");
      return importCodes(loadConfig(process.env, { serving: false }), rest);
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A database error's message holds its statement's values: print what a log line would.
    console.error(
      error instanceof ConfigError || error instanceof DataDirInUseError ? error.message : serializeError(error),
    );
    process.exit(1);
  },
);
