import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join } from "node:path";
import { build } from "esbuild";
import type { Logger } from "pino";
import { projectPath } from "../shared/project.js";

/** The browser code (src/graphiql), found from src/http and from a build's dist/http alike. */
const SOURCE_DIR = projectPath("src", "graphiql");
const LOCKFILE = projectPath("package-lock.json");
/** Where the page finds its bundles, relative to /graphql. */
const ASSETS_PATH = "/graphiql/";
/** The page's bundle, and Monaco's language workers (src/graphiql/app.tsx starts them by these names). */
const ENTRY_POINTS = {
  app: "app.tsx",
  "editor.worker": "editor.worker.ts",
  "json.worker": "json.worker.ts",
  "graphql.worker": "graphql.worker.ts",
};

/**
 * The page and its bundles may load nothing but Chartroom's own files: no CDN, so it works offline.
 * Monaco (GraphiQL's editor) writes its theme into <style> elements it creates at run time and
 * carries no nonce for them: styles alone may be inline. Fonts and icons are data: URLs in GraphiQL's CSS.
 */
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
};

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Chartroom · GraphiQL</title>
    <link rel="stylesheet" href="${ASSETS_PATH.slice(1)}app.css" />
    <script type="module" src="${ASSETS_PATH.slice(1)}app.js"></script>
  </head>
  <body>
    <div id="graphiql"></div>
  </body>
</html>
`;

/**
 * GraphiQL as Chartroom serves it: bundled from the installed npm packages with esbuild when a
 * browser first asks for it, kept in the data dir under a key of the sources and the lockfile (so
 * later starts reuse it, and an upgrade builds anew), and held in memory once read.
 */
export class Graphiql {
  #assets: Promise<Map<string, Buffer>> | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {}

  /**
   * Answers a browser's GET of the GraphQL path (it accepts HTML and asks no query) with the page,
   * and GETs under ASSETS_PATH with the bundles; false for every other request.
   */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, graphqlPath: string): Promise<boolean> {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const isPage =
      url.pathname === graphqlPath && !url.searchParams.has("query") && accepts(req.headers.accept, "text/html");
    if (!isPage && !url.pathname.startsWith(ASSETS_PATH)) return false;
    const assets = await this.assets();
    const body = isPage ? Buffer.from(PAGE) : assets.get(url.pathname.slice(ASSETS_PATH.length));
    if (!body) return false;
    const type = isPage ? "text/html; charset=utf-8" : CONTENT_TYPES[extname(url.pathname)];
    res.writeHead(200, {
      "content-type": type ?? "application/octet-stream",
      "content-length": body.length,
      "content-security-policy": PAGE_CSP,
    });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  }

  /** The bundles by file name; built once per process, and a failed build is tried again at the next request. */
  assets(): Promise<Map<string, Buffer>> {
    this.#assets ??= this.#load().catch((error: unknown) => {
      this.#assets = undefined;
      throw error;
    });
    return this.#assets;
  }

  async #load(): Promise<Map<string, Buffer>> {
    const root = join(this.dataDir, "graphiql");
    const dir = join(root, await sourceKey());
    if (!existsSync(dir)) await this.#build(root, dir);
    const files = new Map<string, Buffer>();
    for (const name of await readdir(dir)) files.set(name, await readFile(join(dir, name)));
    return files;
  }

  /**
   * Builds into a fresh folder and renames it into place, so another instance sharing the data dir
   * never sees half of it; then removes the bundles of older sources.
   */
  async #build(root: string, dir: string): Promise<void> {
    const started = performance.now();
    const staging = join(root, `.build-${randomUUID()}`);
    await mkdir(root, { recursive: true });
    try {
      await build({
        entryPoints: Object.entries(ENTRY_POINTS).map(([out, file]) => ({ in: join(SOURCE_DIR, file), out })),
        bundle: true,
        minify: true,
        format: "esm",
        target: "es2022",
        outdir: staging,
        // Monaco's icon font, referenced from its CSS.
        loader: { ".ttf": "file" },
        assetNames: "[name]-[hash]",
        define: { "process.env.NODE_ENV": '"production"' },
        logLevel: "silent",
      });
      await rename(staging, dir).catch((error: unknown) => {
        // Another instance sharing the data dir built the same sources first.
        if (!existsSync(dir)) throw error;
      });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    for (const old of await readdir(root)) {
      if (!old.startsWith(".") && join(root, old) !== dir) await rm(join(root, old), { recursive: true, force: true });
    }
    this.log.info({ ms: Math.round(performance.now() - started) }, "GraphiQL bundled");
  }
}

/** Whether an Accept header names this media type (or a wildcard that covers it). */
function accepts(accept: string | undefined, type: string): boolean {
  return (accept ?? "").split(",").some((range) => {
    const [name, ...params] = range.trim().split(";");
    return name === type && !params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param));
  });
}

/** Changes whenever the page's sources or the installed packages do. */
async function sourceKey(): Promise<string> {
  const hash = createHash("sha256");
  for (const name of (await readdir(SOURCE_DIR)).sort())
    hash.update(name).update(await readFile(join(SOURCE_DIR, name)));
  if (existsSync(LOCKFILE)) hash.update(await readFile(LOCKFILE));
  return hash.digest("hex").slice(0, 16);
}
