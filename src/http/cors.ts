import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "cors";

/** What a front-end sends: JSON, its bearer token, and the headers Apollo's clients add. */
const ALLOWED_HEADERS = ["content-type", "authorization", "apollo-require-preflight", "x-apollo-operation-name"];
/** What a front-end may read besides the body: the id to quote in a bug report, and when to retry after a 429. */
const EXPOSED_HEADERS = ["x-request-id", "retry-after"];
/** How long a browser may reuse a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;
const EXPOSED = EXPOSED_HEADERS.join(",");

/**
 * Lets pages from the configured origins call the API (README, "Calling the API from a web page").
 * Tokens travel in the authorization header, never in cookies, so no credentials mode: a page on
 * another origin gets nothing it does not already hold. Apollo's CSRF prevention stays on: a simple
 * cross-origin request (no preflight) is still refused. The returned function answers a preflight
 * (true: the response is sent) and adds the CORS headers to any other request (false: serve it).
 */
export function corsPolicy(origins: readonly string[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowed = new Set(origins);
  const middleware = cors({
    origin: [...origins],
    methods: ["GET", "POST"],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE,
  });
  return (req, res) => {
    const preflight = req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
    if (preflight && !allowed.has(req.headers.origin ?? "")) {
      res.writeHead(403, { "content-type": "text/plain; charset=utf-8", vary: "Origin" });
      res.end("This origin may not call the API: CORS_ORIGINS does not name it.\n");
      return true;
    }
    if (req.method !== "OPTIONS") {
      // What the middleware adds to any other request, without building its header lists each time.
      const origin = req.headers.origin;
      if (origin !== undefined && allowed.has(origin)) res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Vary", "Origin");
      res.setHeader("Access-Control-Expose-Headers", EXPOSED);
      return false;
    }
    let next = false;
    // With a static list of origins the middleware decides at once: it either calls next or answers the preflight.
    middleware(req, res, () => {
      next = true;
    });
    return !next;
  };
}
