/*
 * A small X12 writer: segments from elements, with Chartroom's separators, and the one rule for what may go in an
 * element. Transaction-agnostic; the 837P's loops live in claim.837p.ts.
 *
 * Glossary.
 *   interchange       one ISA…IEA envelope: what is sent as one file, numbered by ISA13
 *   functional group  one GS…GE envelope inside it, of one kind of transaction (HC: claims), numbered by GS06
 *   transaction set   one ST…SE, a single document (an 837), numbered by ST02; SE01 counts its segments
 *   segment           one line of data: an id (NM1, CLM) and elements, ended by the segment terminator
 *   element           one value of a segment; a composite element holds components (HC:99213:25)
 *   loop              a group of segments that repeats together (2300 claim, 2400 service line)
 *
 * What may go in an element (the separator rule):
 *   - Free text (names, street, city) is cleaned, never refused: accents are dropped (José → JOSE, № → NO), it is
 *     upper-cased as payers expect, any separator or character outside the X12 extended character set becomes a
 *     space, spaces are collapsed, and it is cut to the element's maximum length.
 *   - Identifiers and codes (NPI, member id, patient control number, codes, ZIP) are written exactly as given or
 *     refused with a problem naming the field: changing one would send a claim the payer matches to nobody.
 *     `x12UnsafeId` says beforehand whether an identifier would be refused for its characters.
 *   - Nothing else reaches a segment: `segment` throws if an element still holds a separator, so a bug can never
 *     produce a corrupt interchange.
 */

/** Chartroom's separators: element `*`, component `:`, repetition `^` (ISA11), segment `~` (plus a line break). */
export const X12_SEPARATORS = { element: "*", component: ":", repetition: "^", segment: "~" } as const;

/** An element's length limits from the implementation guide; optional elements may be left empty. */
export interface X12Size {
  min?: number;
  max: number;
  optional?: boolean;
}

/** A value that cannot be written, with the path of the field it came from (["lines", "0", "code"]). */
export interface X12Problem {
  field: string[];
  message: string;
}

/** The X12 5010 extended character set less our four separators: what an element may hold. */
const SAFE_CHARS = "A-Za-z0-9!\"&'()+,\\-./;?= %@\\[\\]_{}\\\\|<>`#$";
const UNSAFE_CHAR = new RegExp(`[^${SAFE_CHARS}]`);
const UNSAFE_CHARS = new RegExp(`[^${SAFE_CHARS}]+`, "g");
const CLEAN_TEXT = /^[A-Z0-9!"&'()+,\-./;?=%@[\]_{}\\|<>`#$]+(?: [A-Z0-9!"&'()+,\-./;?=%@[\]_{}\\|<>`#$]+)*$/;
const SEPARATOR = /[*:^~\r\n]/;
const COMBINING_MARKS = /\p{M}/gu;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days in a month of the Gregorian calendar (day 0 of the next month is the last of this one). */
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Whether an identifier cannot go into an X12 element unchanged: it holds a separator (`*` `:` `^` `~`), a character
 * outside the X12 extended character set (an accent, a line break, a tab), or a leading or trailing space that a
 * receiver would strip. The scrubber flags such ids before a claim is submitted; the 837P writer refuses them.
 */
export function x12UnsafeId(value: string): boolean {
  return UNSAFE_CHAR.test(value) || value.trim() !== value;
}

/** What is wrong with an identifier's characters, without echoing the value (it may be PHI). */
function unsafeIdReason(value: string): string {
  const bad = value.match(UNSAFE_CHAR)?.[0];
  if (bad === undefined) return "starts or ends with a space, which a receiver would strip";
  if (SEPARATOR.test(bad)) return `contains ${JSON.stringify(bad)}, an X12 separator`;
  return `contains ${JSON.stringify(bad)}, a character outside the X12 character set`;
}

/** Free text as an element may hold it (see the rule above); "" when nothing printable is left. */
export function x12Text(value: string, maxLength: number): string {
  if (value.length <= maxLength && CLEAN_TEXT.test(value)) return value;
  // Only characters outside the safe set (all ASCII) need Unicode work; upper-casing ASCII stays ASCII.
  const safe = UNSAFE_CHAR.test(value)
    ? value.normalize("NFKD").replace(COMBINING_MARKS, "").toUpperCase().replace(UNSAFE_CHARS, " ")
    : value.toUpperCase();
  const cleaned = safe.replace(/ {2,}/g, " ").trim();
  return cleaned.length <= maxLength ? cleaned : cleaned.slice(0, maxLength).trimEnd();
}

/**
 * Turns source values into element values, collecting a problem for each one that cannot be written, so a caller
 * learns everything wrong with a claim at once. Each method returns "" for a value it refuses. Fields are named by a
 * dotted path ("lines.0.code"), split only when a problem is found: most values have none.
 */
export class X12Values {
  readonly problems: X12Problem[] = [];

  /** An identifier or code, written exactly as given; null or "" is a problem unless optional. */
  id(value: string | null, field: string, size: X12Size): string {
    if (value === null || value === "") return size.optional ? "" : this.problem(field, "is missing");
    if (x12UnsafeId(value)) return this.problem(field, unsafeIdReason(value));
    const min = size.min ?? 1;
    if (value.length < min || value.length > size.max) {
      const range = min === size.max ? `${min}` : `${min} to ${size.max}`;
      const length = value.length === 1 ? "1 character" : `${value.length} characters`;
      return this.problem(field, `is ${length} long; X12 takes ${range} here`);
    }
    return value;
  }

  /** Free text, cleaned (see the rule above); a problem only when required and nothing printable is left. */
  text(value: string | null, field: string, size: X12Size): string {
    const text = value === null ? "" : x12Text(value, size.max);
    if (text === "") return size.optional ? "" : this.problem(field, "is missing");
    if (text.length < (size.min ?? 1)) return this.problem(field, `is too short for X12 (at least ${size.min})`);
    return text;
  }

  /** A CCYY-MM-DD date as CCYYMMDD (X12 D8). */
  date(value: string | null, field: string): string {
    if (value === null) return this.problem(field, "is missing");
    const parts = DATE.exec(value);
    const month = Number(parts?.[2]);
    if (!parts || month < 1 || month > 12 || Number(parts[3]) < 1 || Number(parts[3]) > daysIn(+parts[1]!, month)) {
      return this.problem(field, "is not a date (CCYY-MM-DD)");
    }
    return `${parts[1]}${parts[2]}${parts[3]}`;
  }

  /** A money amount (decimal string, at most two places) as X12 writes decimals: no trailing zeros, no dot alone. */
  amount(value: string, field: string): string {
    if (!/^\d{1,10}(\.\d{1,2})?$/.test(value)) return this.problem(field, "is not an amount such as 125.00");
    return value.includes(".") ? value.replace(/\.?0+$/, "") || "0" : value;
  }

  /** A positive count, such as service units, with at most three decimals. */
  quantity(value: number, field: string): string {
    if (!Number.isFinite(value) || value <= 0 || value >= 1e9) return this.problem(field, "must be a positive number");
    return String(Math.round(value * 1000) / 1000);
  }

  problem(field: string, message: string): "" {
    this.problems.push({ field: field.split("."), message });
    return "";
  }
}

/** One element: a simple value, or the components of a composite (empty trailing components are dropped). */
export type X12Element = string | readonly string[];

/**
 * One segment, without its terminator. Trailing empty elements are dropped, as X12 requires. Throws if a value still
 * holds a separator: values come through X12Values, so this is a bug, and it must never reach a payer.
 */
export function segment(id: string, ...elements: X12Element[]): string {
  let end = elements.length;
  while (end > 0 && isEmpty(elements[end - 1]!)) end--;
  let out = id;
  for (let i = 0; i < end; i++) out += X12_SEPARATORS.element + elementText(elements[i]!, id, i + 1);
  return out;
}

function isEmpty(element: X12Element): boolean {
  return typeof element === "string" ? element === "" : element.every((component) => component === "");
}

function elementText(element: X12Element, id: string, position: number): string {
  if (typeof element === "string") return checked(element, id, position);
  let end = element.length;
  while (end > 0 && element[end - 1] === "") end--;
  if (end === 0) return "";
  let out = checked(element[0]!, id, position);
  for (let i = 1; i < end; i++) out += X12_SEPARATORS.component + checked(element[i]!, id, position);
  return out;
}

function checked(value: string, id: string, position: number): string {
  if (SEPARATOR.test(value)) throw new Error(`X12 writer bug: ${id}${position} holds a separator`);
  return value;
}

const TERMINATOR = `${X12_SEPARATORS.segment}\n`;

/** Segments already ended by their terminators (`~` and, for people reading the file, a line break), and how many. */
export interface X12Segments {
  text: string;
  count: number;
}

/** Ends and counts segments: what one loop contributes to a document, as one string to compare and append. */
export function x12Segments(segments: readonly string[]): X12Segments {
  return { text: segments.join(TERMINATOR) + TERMINATOR, count: segments.length };
}

/** A document being written: segments and ready-made runs appended in order, counted for SE01. */
export class X12Document {
  private readonly parts: string[] = [];
  count = 0;

  add(...segments: string[]): void {
    for (const one of segments) this.parts.push(one + TERMINATOR);
    this.count += segments.length;
  }

  addSegments(run: X12Segments): void {
    this.parts.push(run.text);
    this.count += run.count;
  }

  toString(): string {
    return this.parts.join("");
  }
}
