import type { codeSystem } from "../../db/schema/codesets.js";

export type CodeSystem = (typeof codeSystem.enumValues)[number];
/** The text of a CPT code whose descriptor (AMA-licensed) has not been imported. */
export const CPT_PLACEHOLDER = "CPT® descriptor requires a licence";

export const CODE_SYSTEMS: readonly CodeSystem[] = ["ICD10CM", "ICD10PCS", "CPT", "HCPCS"];

/** The stored form of a typed code: upper case, no dot or spaces ("e11.9 " → "E119"). */
export function normalizeCode(text: string): string {
  return text.replace(/[\s.]/g, "").toUpperCase();
}

/** How coders write a code: ICD-10-CM with its dot after the category (E119 → E11.9); others as stored. */
export function displayCode(system: CodeSystem, code: string): string {
  return system === "ICD10CM" && code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

/** The shape of a code of each system, once normalized. */
const SHAPES: Record<CodeSystem, RegExp> = {
  // A letter, then a digit and a digit or letter (E11, C4A), or since FY2026 A and a digit (QA0); not shorthand as DM2.
  ICD10CM: /^[A-Z](?:[0-9][0-9A-Z]|A[0-9])[0-9A-Z]{0,4}$/,
  ICD10PCS: /^[0-9A-HJ-NP-Z]{3,7}$/,
  CPT: /^[0-9]{4}[0-9A-Z]$/,
  HCPCS: /^[A-V][0-9]{4}$/,
};

/** Whether a stored-form code has the shape of a complete code or header of the system. */
export const hasShape = (system: CodeSystem, code: string) => SHAPES[system].test(code);

/** Whether a query could be a code of the system or the start of one. */
export function looksLikeCode(system: CodeSystem, normalized: string): boolean {
  return SHAPES[system].test(normalized) || (normalized.length < 5 && SHAPES[system].test(normalized.padEnd(5, "0")));
}

/** CPT code numbers as they appear in the public NCCI tables (four digits and a digit or letter). */
export const isCptNumber = (code: string) => SHAPES.CPT.test(code);
