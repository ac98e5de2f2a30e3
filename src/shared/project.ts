import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The checkout's own directory (the one holding Chartroom's package.json), found upward from this
 * module: the same from src/ under tsx, from a tsc build in dist/ and from the bundle `npm start`
 * runs in node_modules/.cache, where a path relative to the module would point elsewhere.
 */
function findProjectRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "chartroom") return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error("Chartroom's package.json was not found above its code");
    directory = parent;
  }
}

/**
 * Set by the bundle `npm start` runs (scripts/bundle.mjs) to the checkout it was built from: its files
 * sit in a node_modules that git worktrees may share through a link, which the module's own path
 * resolves through.
 */
declare const CHARTROOM_CHECKOUT: string | undefined;

const PROJECT_ROOT = typeof CHARTROOM_CHECKOUT === "string" ? CHARTROOM_CHECKOUT : findProjectRoot();

/** A path inside the checkout: data files, migrations, the committed schema, the browser code. */
export function projectPath(...segments: string[]): string {
  return join(PROJECT_ROOT, ...segments);
}
