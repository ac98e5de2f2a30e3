/* Reading a request's body within a size limit, and answering JSON: shared by GraphQL and the file routes. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorCode } from "../shared/errors.js";

/** Request bodies and WebSocket messages above 1 MiB are refused (413 / close 1009). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The body as text, or null after answering 413 when it exceeds `limit` bytes. Read from the stream's
 * events: an async iterator over it costs a GraphQL request more than the rest of reading its body.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit = MAX_BODY_BYTES): Promise<string | null> {
  const tooLarge = () => {
    sendJson(res, 413, graphqlError(`Request body exceeds ${limit} bytes`, "PAYLOAD_TOO_LARGE"), {
      connection: "close",
    });
    req.resume();
    return null;
  };
  if (Number(req.headers["content-length"] ?? 0) > limit) return Promise.resolve(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      settle();
      resolve(tooLarge());
    };
    const onEnd = () => {
      settle();
      resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    // The client went away before the body's end: there is nothing to answer.
    const onClose = () => onError(new Error("request closed before its body was read"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
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
