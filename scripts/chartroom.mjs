// Runs `chartroom <command>` (what `npm start` and the other npm scripts run) from a compiled bundle of the
// sources, rebuilt whenever one of them has changed (scripts/bundle.mjs). A later start took 2.8–3.0 s
// to ready under tsx, 1.6–1.8 s bundled.
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { upToDateBuild } from "./bundle.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const directory = await upToDateBuild({
  root,
  cache: join(root, "node_modules", ".cache", "chartroom"),
  // The command line, and the worker threads it starts by name beside itself (src/shared/threads.ts).
  entryPoints: {
    main: "src/main.ts",
    "codeset.history-worker": "src/modules/codesets/codeset.history-worker.ts",
    "codeset.ptp-worker": "src/modules/codesets/codeset.ptp-worker.ts",
  },
  // How the sources are compiled, and this build itself.
  alsoWatched: ["tsconfig.json", "package.json", "scripts/chartroom.mjs", "scripts/bundle.mjs"],
});

// Stack traces in logs and errors name the TypeScript sources' lines.
process.setSourceMapsEnabled(true);
await import(pathToFileURL(join(directory, "main.js")).href);
