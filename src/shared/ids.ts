/**
 * Opaque global ids: base64url of "<Type>:<uuid>". `node(id)` reads the type back;
 * every other entry point accepts only its own type, so an Encounter id passed as a
 * patientId is simply not found.
 */
const NODE_TYPES = new Set([
  ...["Organization", "Facility", "Provider", "Payer", "User", "Patient", "Coverage", "Encounter", "Claim"],
  ...["WorkQueue", "WorkItem", "PhysicianQuery", "CodingReview", "SubmissionBatch", "Acknowledgement"],
  ...["Remittance", "ClaimPayment", "CodeSetImportJob"],
] as const);
export type NodeType = typeof NODE_TYPES extends Set<infer T> ? T : never;

/** The type part comes from the caller: only Chartroom's own types count (never `constructor` or `__proto__`). */
const isNodeType = (text: string): text is NodeType => (NODE_TYPES as Set<string>).has(text);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether text is a row id: checked before it reaches PostgreSQL, which would fail on anything else. */
export const isUuid = (text: string): boolean => UUID.test(text);

/** The opaque id clients see: the type and the row id, so node(id) knows what to load. */
export function toGlobalId(type: NodeType, uuid: string): string {
  return Buffer.from(`${type}:${uuid}`, "utf8").toString("base64url");
}

/** A global id's type and row id, or null for anything that is not one (never an exception). */
export function parseGlobalId(id: string): { type: NodeType; uuid: string } | null {
  if (id.length > 200) return null;
  const text = Buffer.from(id, "base64url").toString("utf8");
  const colon = text.indexOf(":");
  const type = text.slice(0, colon);
  const uuid = text.slice(colon + 1);
  return colon > 0 && isNodeType(type) && isUuid(uuid) ? { type, uuid } : null;
}

/** The row id behind a global id of the expected type, or null when it is not one. */
export function uuidOf(id: string, type: NodeType): string | null {
  const parsed = parseGlobalId(id);
  return parsed?.type === type ? parsed.uuid : null;
}
