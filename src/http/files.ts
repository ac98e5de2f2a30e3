/*
 * The routes outside GraphQL that carry X12 files: an 837P batch to download, a 999, 277CA or 835
 * to upload. They take the bearer token as GraphQL does, and answer a refusal as JSON with its
 * HTTP status.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestContext, Services } from "../context.js";
import { flushPhiReads } from "../modules/audit/audit.service.js";
import { bearerToken } from "../modules/auth/tokens.js";
import {
  acknowledgementView,
  batchToDownload,
  importAcknowledgement,
  MAX_X12_CHARACTERS,
} from "../modules/claims/index.js";
import { postRemittance, remittanceView } from "../modules/remittance/index.js";
import { createContext } from "../request.js";
import { DomainError, type ErrorCode } from "../shared/errors.js";
import { graphqlError, readBody, sendJson } from "./body.js";

/** An 837P batch's file: GET /batches/<SubmissionBatch global id>.x12 with the bearer token. */
const BATCH_FILE = /^\/batches\/([^/]+)\.x12$/;
/** A 999 or 277CA upload: POST the file as the body with the bearer token. */
const ACKNOWLEDGEMENT_UPLOAD = "/acknowledgements";
/** An 835 upload: POST the file as the body with the bearer token. */
const REMITTANCE_UPLOAD = "/remittances";
/** HTTP statuses of the refusals a file route answers with; anything else is 400. */
const FILE_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

/**
 * Answers the request when its path is a file route, so that the server's router stays one list of
 * paths; false for any other path.
 */
export async function serveFile(
  services: Services,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<boolean> {
  const batchFile = BATCH_FILE.exec(pathname);
  if (batchFile) await downloadBatch(services, req, res, decodeURIComponent(batchFile[1]!));
  else if (pathname === ACKNOWLEDGEMENT_UPLOAD) await uploadAcknowledgement(services, req, res);
  else if (pathname === REMITTANCE_UPLOAD) await uploadRemittance(services, req, res);
  else return false;
  return true;
}

/**
 * A file request outside GraphQL (a batch download, an X12 upload): its request id, the method it takes, the
 * signed-in caller's context, and a domain error (not signed in, not allowed, not found) answered as JSON.
 */
async function fileRequest(
  services: Services,
  req: IncomingMessage,
  res: ServerResponse,
  methods: readonly string[],
  handle: (ctx: RequestContext) => Promise<void>,
): Promise<void> {
  const requestId = randomUUID();
  res.setHeader("x-request-id", requestId);
  if (!methods.includes(req.method ?? ""))
    return sendJson(res, 405, graphqlError(`Use ${methods.join(" or ")} here.`, "BAD_REQUEST"), {
      allow: methods.join(", "),
    });
  const token = bearerToken(req.headers.authorization);
  const ctx = await createContext(services, requestId, token, services.clientAddressOf(req));
  try {
    if (!ctx.actor)
      throw ctx.authFailure ?? new DomainError("UNAUTHENTICATED", "Sign in first: send Authorization: Bearer <token>.");
    await handle(ctx);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    sendJson(res, FILE_STATUS[error.code] ?? 400, graphqlError(error.message, error.code));
  }
}

/**
 * A batch's 837P as a file, for a biller who may see every claim in it (404 otherwise, as for a batch of
 * another organization). The read is audited before the file leaves, as GraphQL's PHI reads are.
 */
function downloadBatch(services: Services, req: IncomingMessage, res: ServerResponse, batchId: string): Promise<void> {
  return fileRequest(services, req, res, ["GET", "HEAD"], async (ctx) => {
    const batch = await batchToDownload(ctx, batchId);
    ctx.phiReads.record("SubmissionBatch", batch.id);
    await flushPhiReads(ctx);
    const name = `837P-${String(batch.interchangeControlNumber).padStart(9, "0")}.x12`;
    res.writeHead(200, {
      "content-type": "application/edi-x12",
      "content-disposition": `attachment; filename="${name}"`,
      "content-length": Buffer.byteLength(batch.x12),
    });
    res.end(req.method === "HEAD" ? undefined : batch.x12);
  });
}

/**
 * A 999 or 277CA as the request body, imported as importAcknowledgement does; answers its payload as JSON.
 * A body over MAX_X12_CHARACTERS is refused (413) before it is read through.
 */
function uploadAcknowledgement(services: Services, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return fileRequest(services, req, res, ["POST"], async (ctx) => {
    const x12 = await readBody(req, res, MAX_X12_CHARACTERS);
    if (x12 === null) return;
    const outcome = await importAcknowledgement(ctx, x12);
    sendJson(res, outcome.value ? 200 : 422, {
      acknowledgement: outcome.value ? acknowledgementView(outcome.value) : null,
      userErrors: outcome.userErrors,
    });
  });
}

/** An 835 as the request body, posted as postRemittance does; answers its payload as JSON (413 when too large). */
function uploadRemittance(services: Services, req: IncomingMessage, res: ServerResponse): Promise<void> {
  return fileRequest(services, req, res, ["POST"], async (ctx) => {
    const x12 = await readBody(req, res, MAX_X12_CHARACTERS);
    if (x12 === null) return;
    const outcome = await postRemittance(ctx, x12);
    sendJson(res, outcome.value ? 200 : 422, {
      remittances: outcome.value
        ? await Promise.all(outcome.value.remittances.map((row) => remittanceView(ctx, row)))
        : [],
      alreadyPosted: outcome.value?.alreadyPosted ?? false,
      userErrors: outcome.userErrors,
    });
  });
}
