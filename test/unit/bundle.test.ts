import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { upToDateBuild } from "../../scripts/bundle.mjs";

/** A checkout of two source files, bundled as `npm start` bundles Chartroom's. */
function checkout(): { root: string; cache: string; edit: (greeting: string) => void } {
  const root = mkdtempSync(join(tmpdir(), "chartroom-bundle-"));
  mkdirSync(join(root, "src"));
  writeFileSync(
    join(root, "src/main.ts"),
    'import { greeting } from "./greeting.js";\nexport const said: string = greeting;\n',
  );
  const edit = (greeting: string) =>
    writeFileSync(join(root, "src/greeting.ts"), `export const greeting: string = ${JSON.stringify(greeting)};\n`);
  edit("hello");
  return { root, cache: join(root, "cache"), edit };
}

async function run(directory: string): Promise<string> {
  return (await import(pathToFileURL(join(directory, "main.js")).href)).said;
}

describe("the build npm start runs", () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it("is reused while no source changed, and made again when a developer edits an imported file", async () => {
    const { root, cache, edit } = checkout();
    roots.push(root);
    const options = { root, cache, entryPoints: { main: "src/main.ts" } };

    const first = await upToDateBuild(options);
    expect(await run(first)).toBe("hello");
    const manifest = statSync(join(cache, "manifest.json")).mtimeMs;

    expect(await upToDateBuild(options)).toBe(first);
    expect(statSync(join(cache, "manifest.json")).mtimeMs).toBe(manifest);

    edit("hello again");
    const second = await upToDateBuild(options);
    expect(second).not.toBe(first);
    expect(await run(second)).toBe("hello again");
    expect(JSON.parse(readFileSync(join(cache, "manifest.json"), "utf8")).directory).toBe(second);
  });

  it("gives servers starting at once the same whole build", async () => {
    const { root, cache } = checkout();
    roots.push(root);
    const options = { root, cache, entryPoints: { main: "src/main.ts" } };

    const directories = await Promise.all([upToDateBuild(options), upToDateBuild(options), upToDateBuild(options)]);

    expect(new Set(directories).size).toBe(1);
    expect(await run(directories[0]!)).toBe("hello");
  });
});
