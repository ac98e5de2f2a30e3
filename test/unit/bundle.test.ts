import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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
    'import { greeting } from "./greeting.js";\nexport const said: string = greeting;\n' +
      // As src/shared/project.ts finds the checkout.
      'export const checkout = typeof CHARTROOM_CHECKOUT === "string" ? CHARTROOM_CHECKOUT : null;\n',
  );
  const edit = (greeting: string) =>
    writeFileSync(join(root, "src/greeting.ts"), `export const greeting: string = ${JSON.stringify(greeting)};\n`);
  edit("hello");
  return { root, cache: join(root, "cache"), edit };
}

/** The one manifest in `cache`: where its checkout's build is, and what it was made of. */
function manifestIn(cache: string): string {
  const [manifest, ...more] = readdirSync(cache).filter((name) => name.startsWith("manifest-"));
  expect(more).toEqual([]);
  return join(cache, manifest!);
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
    const manifest = statSync(manifestIn(cache)).mtimeMs;

    expect(await upToDateBuild(options)).toBe(first);
    expect(statSync(manifestIn(cache)).mtimeMs).toBe(manifest);

    edit("hello again");
    const second = await upToDateBuild(options);
    expect(second).not.toBe(first);
    expect(await run(second)).toBe("hello again");
    expect(JSON.parse(readFileSync(manifestIn(cache), "utf8")).directory).toBe(second);
  });

  it("keeps apart the builds of two checkouts that share one node_modules (git worktrees)", async () => {
    const first = checkout();
    const second = checkout();
    roots.push(first.root, second.root);
    second.edit("hello from the other checkout");
    const cache = join(first.root, "shared-cache");
    const build = (root: string) => upToDateBuild({ root, cache, entryPoints: { main: "src/main.ts" } });

    const firstBuild = await build(first.root);
    expect(await run(firstBuild)).toBe("hello");
    const secondBuild = await build(second.root);
    expect(await run(secondBuild)).toBe("hello from the other checkout");
    // Each build knows its own checkout, wherever the shared cache's files resolve to.
    const checkoutOf = async (directory: string) =>
      (await import(pathToFileURL(join(directory, "main.js")).href)).checkout;
    expect(await checkoutOf(firstBuild)).toBe(first.root);
    expect(await checkoutOf(secondBuild)).toBe(second.root);
    const manifests = readdirSync(cache).filter((name) => name.startsWith("manifest-"));
    expect(manifests).toHaveLength(2);
    const stamps = manifests.map((name) => statSync(join(cache, name)).mtimeMs);

    // Each checkout finds its own build again, without making it anew.
    expect(await build(first.root)).toBe(firstBuild);
    expect(manifests.map((name) => statSync(join(cache, name)).mtimeMs)).toEqual(stamps);
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
