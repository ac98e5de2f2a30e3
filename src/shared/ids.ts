/**
 * Opaque global ids: base64url of "<Type>:<uuid>". `node(id)` reads the type back;
 * every other entry point accepts only its own type, so an Encounter id passed as a
 * patientId is simply not found.
 */
export type NodeType = "Organization" | "Facility" | "Provider" | "Payer" | "User" | "Patient" | "Encounter" | "Claim" | "WorkQueue" | "WorkItem" | "PhysicianQuery" | "CodingReview";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isUuid = (text: string): boolean => UUID.test(text);

export function toGlobalId(type: NodeType, uuid: string): string {
  return Buffer.from(`${type}:${uuid}`, "utf8").toString("base64url");
}

export function parseGlobalId(id: string): { type: NodeType; uuid: string } | null {
  if (id.length > 200) return null;
  const text = Buffer.from(id, "base64url").toString("utf8");
  const colon = text.indexOf(":");
  const type = text.slice(0, colon) as NodeType;
  const uuid = text.slice(colon + 1);
  return colon > 0 && isUuid(uuid) ? { type, uuid } : null;
}

/** The row id behind a global id of the expected type, or null when it is not one. */
export function uuidOf(id: string, type: NodeType): string | null {
  const parsed = parseGlobalId(id);
  return parsed?.type === type ? parsed.uuid : null;
}
