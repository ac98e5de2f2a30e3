/* Reading a request's body within a size limit, and answering JSON: shared by GraphQL and the file routes. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorCode } from "../shared/errors.js";

/** Request bodies and WebSocket messages above 1 MiB are refused (413 / close 1009). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The body as text, or null after answering 413 when it exceeds `limit` bytes. */
export async function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit = MAX_BODY_BYTES,
): Promise<string | null> {
  const tooLarge = () => {
    sendJson(res, 413, graphqlError(`Request body exceeds ${limit} bytes`, "PAYLOAD_TOO_LARGE"), {
      connection: "close",
    });
    req.resume();
    return null;
  };
  if (Number(req.headers["content-length"] ?? 0) > limit) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A JSON body parsed, or the parse error to answer 400 with; any other content type is left as text. */
export function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!contentType?.toLowerCase().includes("json")) return raw;
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** A refusal outside Apollo shaped as GraphQL errors, so clients read every refusal the same way. */
export function graphqlError(message: string, code: ErrorCode) {
  return { errors: [{ message, extensions: { code } }] };
}

/** Answers with a JSON body; `headers` adds to the content type (retry-after, allow). */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(value));
}
