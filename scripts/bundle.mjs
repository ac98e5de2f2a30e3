// The compiled build that `npm start` and the other npm scripts run (scripts/chartroom.mjs).
//
// The TypeScript sources are bundled by esbuild (the node_modules packages stay outside the bundle), and
// bundled again whenever a file the bundle was made of has changed since, so what runs is always what is
// checked out. Under tsx each of the thousand-odd modules a start loads went through tsx's resolver, in
// the main thread and again in each code-set worker thread.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** Builds kept besides the current one, so that a server still running an older build can start its workers. */
const KEPT_BUILDS = 8;
/** A half-written build older than this was left by a process that died while writing it. */
const ABANDONED_MS = 60 * 60 * 1000;

/** A file's size and time of change, which any edit or checkout of it changes. */
function stamp(root, path) {
  const stats = statSync(join(root, path), { throwIfNoEntry: false });
  return stats ? `${stats.size}:${stats.mtimeMs}` : "missing";
}

/** Writes a file whole under a temporary name, then renames it into place. */
function writeWhole(path, contents) {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, contents);
  renameSync(partial, path);
}

/**
 * The directory of an up-to-date build of `entryPoints` (name → source file, relative to `root`), kept in
 * `cache`: the last one if none of the files it was made of (nor `alsoWatched`) has changed since, else a
 * new one. Each distinct build gets a directory of its own, named by its content and written whole before
 * it is renamed into place, so processes starting at once (tests, several instances) never read a
 * half-written file.
 */
export async function upToDateBuild({ root, cache, entryPoints, alsoWatched = [] }) {
  // One manifest per checkout: git worktrees that share one node_modules keep their builds apart.
  const checkout = createHash("sha256").update(root).digest("hex").slice(0, 16);
  const manifestFile = join(cache, `manifest-${checkout}.json`);
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    const unchanged = Object.entries(manifest.inputs).every(([path, seen]) => stamp(root, path) === seen);
    if (unchanged && existsSync(manifest.directory)) return manifest.directory;
  }

  const { build } = await import("esbuild");
  const staging = join(cache, "out");
  const { outputFiles, metafile } = await build({
    absWorkingDir: root,
    entryPoints,
    outdir: staging,
    bundle: true,
    splitting: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    metafile: true,
    // The checkout the sources came from (src/shared/project.ts).
    define: { CHARTROOM_CHECKOUT: JSON.stringify(root) },
    write: false,
    logLevel: "warning",
  });
  const hash = createHash("sha256");
  for (const file of outputFiles) hash.update(relative(staging, file.path)).update(file.contents);
  const directory = join(cache, hash.digest("hex").slice(0, 16));
  if (!existsSync(directory)) {
    const partial = `${directory}.${process.pid}.partial`;
    for (const file of outputFiles) {
      const path = join(partial, relative(staging, file.path));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.contents);
    }
    try {
      renameSync(partial, directory);
    } catch (error) {
      // Another process put the same build in place first.
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(directory)) throw error;
    }
    pruneOlderBuilds(cache, directory);
  }
  // Stamped after the build: a file changed while it ran makes the next run build again.
  const inputs = [...Object.keys(metafile.inputs), ...alsoWatched];
  writeWhole(
    manifestFile,
    JSON.stringify({ directory, inputs: Object.fromEntries(inputs.map((p) => [p, stamp(root, p)])) }),
  );
  return directory;
}

function pruneOlderBuilds(cache, current) {
  const entries = readdirSync(cache).map((name) => ({ name, path: join(cache, name) }));
  const builds = entries
    .filter(({ name, path }) => /^[0-9a-f]{16}$/.test(name) && path !== current)
    .map((build) => ({ ...build, modified: statSync(build.path).mtimeMs }))
    .sort((a, b) => b.modified - a.modified);
  for (const build of builds.slice(KEPT_BUILDS)) rmSync(build.path, { recursive: true, force: true });
  for (const { name, path } of entries) {
    if (name.endsWith(".partial") && Date.now() - statSync(path).mtimeMs > ABANDONED_MS) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}
