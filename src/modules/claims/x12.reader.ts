/*
 * Glossary.
 *   interchange    one ISA…IEA envelope: what a clearinghouse sends as one file
 *   functional group  one GS…GE envelope inside it, of one kind of transaction (GS01: FA for 999, HN for 277CA)
 *   transaction set   one ST…SE document inside a group (a 999, a 277CA, an 835)
 *   control number ISA13/IEA02, GS06/GE02 and ST02/SE02: the sender's numbers for each envelope, repeated in its
 *                  trailer; acknowledgements quote ours back (TA101, AK102, AK202) so we can find what they answer
 *   separators     the element, component, repetition and segment separators, chosen by the sender and read from
 *                  fixed places of the ISA segment, which is always 106 characters
 */
import { Segment } from "x12-parser";

/**
 * The most characters an X12 file may have: 20 MB holds over 100,000 acknowledged or paid claims, more than
 * any one clearinghouse file. Checked before parsing, so a 100 MB paste is refused at once.
 */
export const MAX_X12_CHARACTERS = 20 * 1024 * 1024;

/** The ISA segment's length, terminator included: its elements have fixed widths. */
const ISA_LENGTH = 106;
/** Where the separator before each of ISA01…ISA16 is: fixed widths put it at the same place in every interchange. */
const ISA_ELEMENT_ENDS = [3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103];

export type X12ErrorCode =
  /** Longer than MAX_X12_CHARACTERS. */
  | "X12_TOO_LARGE"
  /** Does not start with a well-formed ISA segment. */
  | "X12_NOT_X12"
  /** Ends before an SE, GE or IEA closes what was opened: cut short in transfer or in the paste. */
  | "X12_TRUNCATED"
  /** A trailer's control number differs from its header's (IEA02/ISA13, GE02/GS06, SE02/ST02). */
  | "X12_CONTROL_NUMBER_MISMATCH"
  /** SE01, GE01 or IEA01 counts other than the segments, transaction sets or groups there are. */
  | "X12_COUNT_MISMATCH"
  /** Segments out of their envelopes, or content a reader needs missing or not of its kind. */
  | "X12_MALFORMED"
  /** A well-formed interchange of another kind than the caller reads (an 835 where a 999 or 277CA is expected). */
  | "X12_WRONG_TRANSACTION";

/** Where a problem is: the segment's 1-based number in the file (ISA is 1), its id and, for one element, its name. */
export interface X12Location {
  segment: number;
  segmentId: string;
  /** Element (SE01) or component (STC01-2) at fault. */
  element?: string;
}

/**
 * An X12 file that cannot be read, with a stable code and a message saying where: the caller can fix or replace
 * the file, so services return it as a user error.
 */
export class X12Error extends Error {
  constructor(
    readonly code: X12ErrorCode,
    message: string,
    readonly location: X12Location | null = null,
  ) {
    super(message);
    this.name = "X12Error";
  }
}

/** One segment as sent: `elements[0]` is element 01, each element its components (one for a simple element). */
export interface X12Segment {
  id: string;
  /** 1-based number in the file, ISA being 1: what error messages name. */
  position: number;
  elements: string[][];
}

/** Element `index` (1-based) of a segment, its first component for a composite; "" when absent. */
export const element = (segment: X12Segment, index: number): string => segment.elements[index - 1]?.[0] ?? "";

/** The components of element `index` (1-based); [] when absent. */
export const components = (segment: X12Segment, index: number): string[] => segment.elements[index - 1] ?? [];

/** The X12 name of an element or component: STC01, STC01-2. */
export const elementName = (segmentId: string, index: number, component?: number): string =>
  `${segmentId}${String(index).padStart(2, "0")}${component ? `-${component}` : ""}`;

/** Where a segment, or one of its elements, is. */
export const locate = (segment: X12Segment, index?: number, component?: number): X12Location => ({
  segment: segment.position,
  segmentId: segment.id,
  ...(index ? { element: elementName(segment.id, index, component) } : {}),
});

/** `Segment 14 (SE)`, or `Segment 14 (SE), SE01`: how messages name a place. */
export const describeLocation = (where: X12Location): string =>
  `Segment ${where.segment} (${where.segmentId})${where.element ? `, ${where.element}` : ""}`;

/** X12_MALFORMED at a segment (and element): content that is not what the guide puts there. */
export const malformed = (segment: X12Segment, problem: string, index?: number, component?: number): X12Error => {
  const where = locate(segment, index, component);
  return new X12Error("X12_MALFORMED", `${describeLocation(where)}: ${problem}`, where);
};

/** A required element's value, or X12_MALFORMED naming it. */
export function required(segment: X12Segment, index: number, component = 1): string {
  const value = components(segment, index)[component - 1] ?? "";
  if (value === "") {
    throw malformed(segment, "is required and empty.", index, component > 1 ? component : undefined);
  }
  return value;
}

/** An X12 date (CCYYMMDD) as CCYY-MM-DD; null when empty, X12_MALFORMED when not a date. */
export function readDate(segment: X12Segment, index: number, value = element(segment, index)): string | null {
  if (value === "") return null;
  // A day that does not exist (20002316) would pass the pattern and fail in the database. Checked by arithmetic:
  // two Date objects per date were a tenth of reading a 10,000-claim 277CA.
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match || !isDay(Number(match[1]), Number(match[2]), Number(match[3])))
    throw malformed(segment, `"${value}" is not a date (CCYYMMDD).`, index);
  return `${match[1]}-${match[2]}-${match[3]}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether the day exists in the Gregorian calendar (year 0000 excluded, as PostgreSQL's date does). */
function isDay(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** An X12 amount as a decimal string of two places ("150" → "150.00"); null when empty. */
export function readAmount(segment: X12Segment, index: number): string | null {
  const value = element(segment, index);
  if (value === "") return null;
  const match = /^(-?)(\d*)(?:\.(\d{0,2}))?$/.exec(value);
  if (!match || (match[2] === "" && (match[3] ?? "") === ""))
    throw malformed(segment, `"${value}" is not an amount.`, index);
  // Written out rather than added up in BigInt cents: an amount is read on every STC of a file.
  const whole = match[2]!.replace(/^0+(?=\d)/, "") || "0";
  const cents = (match[3] ?? "").padEnd(2, "0");
  return `${match[1] && (whole !== "0" || cents !== "00") ? "-" : ""}${whole}.${cents}`;
}

/** A whole number element (a count); null when empty, X12_MALFORMED when not one. */
export function readCount(segment: X12Segment, index: number): number | null {
  const value = element(segment, index);
  if (value === "") return null;
  if (!/^\d{1,9}$/.test(value)) throw malformed(segment, `"${value}" is not a whole number.`, index);
  return Number(value);
}

/** The ISA and GS facts a reader of the file may need. */
export interface X12InterchangeHeader {
  /** ISA06, trimmed: who sent the file (a clearinghouse or payer). */
  senderId: string;
  /** ISA08, trimmed: whom it is for. */
  receiverId: string;
  /** ISA13: the sender's number for this interchange. */
  controlNumber: string;
  /** ISA09 as CCYY-MM-DD. */
  date: string;
  /** ISA10, HHMM. */
  time: string;
  /** ISA15 is T: test data, not production. */
  testData: boolean;
}

export interface X12FunctionalGroup {
  /** GS01: FA for 999, HN for 277CA, HP for 835, HC for 837. */
  functionalId: string;
  senderCode: string;
  receiverCode: string;
  /** GS06. */
  controlNumber: string;
  /** GS08: the implementation guide, such as 005010X214. */
  version: string;
  transactionSets: X12TransactionSet[];
  /** The GS segment. */
  header: X12Segment;
}

export interface X12TransactionSet {
  /** ST01: 999, 277, 835… */
  id: string;
  /** ST02. */
  controlNumber: string;
  /** ST03, when sent: the implementation guide. */
  implementationReference: string | null;
  /** The segments between ST and SE. */
  segments: X12Segment[];
  /** The ST segment. */
  header: X12Segment;
}

/** One interchange, its envelopes checked: every control number and count agrees and nothing is cut short. */
export interface X12Interchange {
  header: X12InterchangeHeader;
  /** TA1 segments: acknowledgements of interchanges we sent, outside any group. */
  interchangeAcknowledgements: X12Segment[];
  groups: X12FunctionalGroup[];
}

/**
 * Reads one X12 interchange with its envelopes checked, separators taken from its ISA: what every X12 reader
 * (acknowledgements, remittances) starts from. Throws X12Error saying what is wrong and where.
 */
export async function readX12(text: string): Promise<X12Interchange> {
  if (text.length > MAX_X12_CHARACTERS) {
    throw new X12Error(
      "X12_TOO_LARGE",
      `The file has ${text.length.toLocaleString("en-US")} characters; at most ` +
        `${MAX_X12_CHARACTERS.toLocaleString("en-US")} are read. Split it into smaller files.`,
    );
  }
  // A BOM, blank lines or spaces before the ISA come from editors and pastes, not from the sender.
  const start = text.search(/[^\s\uFEFF]/);
  const body = start > 0 ? text.slice(start) : text;
  const terminator = checkIsa(body);
  // Every segment ends with the terminator; a file that does not was cut inside its last segment (a newline
  // terminator cannot tell, as trailing blank lines look the same).
  const ended = /\s/.test(terminator) || body.trimEnd().endsWith(terminator);
  return envelopes(segmentsOf(body, ended));
}

/** Checks the ISA segment's fixed layout and returns the segment terminator it names. */
function checkIsa(body: string): string {
  if (!body.startsWith("ISA")) {
    throw new X12Error("X12_NOT_X12", "This is not an X12 file: an X12 interchange starts with an ISA segment.");
  }
  if (body.length < ISA_LENGTH) {
    throw new X12Error("X12_NOT_X12", `This is not an X12 file: it is shorter than the ${ISA_LENGTH}-character ISA.`);
  }
  const elementSeparator = body[3]!;
  // The separator before each of ISA01…ISA16 sits at a fixed place; one elsewhere means an element of the wrong width.
  const wrong = ISA_ELEMENT_ENDS.findIndex((end) => body[end] !== elementSeparator);
  const extra =
    [...body.slice(4, 103)].filter((char) => char === elementSeparator).length > ISA_ELEMENT_ENDS.length - 2;
  if (wrong >= 0 || extra) {
    const where = wrong >= 0 ? elementName("ISA", wrong) : null;
    const problem = where
      ? `${where} is not followed by a separator at character ${ISA_ELEMENT_ENDS[wrong]! + 1}`
      : "it holds extra separators";
    throw new X12Error(
      "X12_NOT_X12",
      `This is not a well-formed X12 file: the ISA segment has ${ISA_LENGTH} characters in elements of fixed width, ` +
        `and ${problem}.`,
      { segment: 1, segmentId: "ISA", ...(where ? { element: where } : {}) },
    );
  }
  const componentSeparator = body[104]!;
  const segmentTerminator = body[105]!;
  const separators = [elementSeparator, componentSeparator, segmentTerminator];
  if (new Set(separators).size < 3 || separators.some((char) => /[A-Za-z0-9 ]/.test(char))) {
    throw new X12Error(
      "X12_NOT_X12",
      "This is not a well-formed X12 file: its ISA names element, component and segment separators that are " +
        "letters, digits, spaces or the same character.",
      { segment: 1, segmentId: "ISA", element: "ISA16" },
    );
  }
  return segmentTerminator;
}

/**
 * The file's segments, numbered from 1; `ended` is whether the last one has its terminator. The file is cut into
 * segments here, as x12-parser's stream does (CRLF read as LF, one terminator at either end dropped), and each is
 * read by x12-parser's Segment, whose `parsed` elements are already the arrays of components X12Segment holds:
 * the stream's `formatted` objects (an element "N", its components "N-1"…) cost a 10,000-claim 277CA a third of
 * its reading time to build and to turn back into arrays.
 */
function segmentsOf(body: string, ended: boolean): X12Segment[] {
  let data = body.replace(/\r\n/g, "\n");
  // Taken after CRLF is read as LF, as x12-parser does: an ISA ending in CRLF ends its segments with LF.
  const terminator = data[105]!;
  const delimiters = { segment: terminator, element: data[3]!, component: data[104]!, repetition: data[82]! };
  if (data.startsWith(terminator)) data = data.slice(1);
  if (data.endsWith(terminator)) data = data.slice(0, -1);
  // Blank lines between segments come out as segments without a name.
  const parsed = data
    .split(terminator)
    .map((raw) => new Segment(raw, delimiters))
    .filter((segment) => segment.name !== "");
  const last = parsed.at(-1)!;
  if (!ended && last.name !== "IEA") {
    throw new X12Error(
      "X12_TRUNCATED",
      `The file is cut short: it ends inside segment ${parsed.length}, which has no segment terminator.`,
      { segment: parsed.length, segmentId: last.name.slice(0, 3) },
    );
  }
  const segments: X12Segment[] = [];
  for (const segment of parsed) {
    const name = segment.name;
    const position = segments.length + 1;
    if (!/^[A-Z][A-Z0-9]{1,2}$/.test(name)) {
      throw new X12Error(
        "X12_MALFORMED",
        `Segment ${position} does not start with a segment id (two or three capital letters or digits).`,
        { segment: position, segmentId: name.slice(0, 3) },
      );
    }
    segments.push({ id: name, position, elements: segment.parsed });
  }
  return segments;
}

/** A trailer's count (SE01, GE01, IEA01) and control number (SE02, GE02, IEA02) against what it closes. */
function checkTrailer(trailer: X12Segment, holder: string, count: number, counted: string, controlNumber: string) {
  if (readCount(trailer, 1) !== count) {
    const where = locate(trailer, 1);
    throw new X12Error(
      "X12_COUNT_MISMATCH",
      `${describeLocation(where)} says ${element(trailer, 1) || "nothing"}, but ${holder} has ${count} ${counted}: ` +
        "some were lost or added.",
      where,
    );
  }
  const trailerNumber = element(trailer, 2);
  // ST02 is text; ISA13 and GS06 are numbers, the same however zero-padded.
  const same =
    trailer.id !== "SE" && /^\d+$/.test(trailerNumber) && /^\d+$/.test(controlNumber)
      ? Number(trailerNumber) === Number(controlNumber)
      : trailerNumber === controlNumber;
  if (!same) {
    const where = locate(trailer, 2);
    throw new X12Error(
      "X12_CONTROL_NUMBER_MISMATCH",
      `${describeLocation(where)} is "${trailerNumber}", but ${holder} opened with control number "${controlNumber}".`,
      where,
    );
  }
}

function truncated(last: X12Segment, open: string, missing: string): X12Error {
  return new X12Error(
    "X12_TRUNCATED",
    `The file is cut short: ${open} has no ${missing} (the file ends at segment ${last.position}, ${last.id}).`,
    locate(last),
  );
}

/** Checks ISA/GS/ST envelopes, their control numbers and counts, and groups the segments by them. */
function envelopes(segments: X12Segment[]): X12Interchange {
  const isa = segments[0]!;
  const controlNumber = required(isa, 13);
  if (!/^\d{9}$/.test(controlNumber)) throw malformed(isa, "the interchange control number is not nine digits.", 13);
  const date = element(isa, 9);
  const interchange: X12Interchange = {
    header: {
      senderId: element(isa, 6).trim(),
      receiverId: element(isa, 8).trim(),
      controlNumber,
      date: readDate(isa, 9, `20${date}`) ?? "",
      time: element(isa, 10),
      testData: element(isa, 15) === "T",
    },
    interchangeAcknowledgements: [],
    groups: [],
  };
  let group: X12FunctionalGroup | null = null;
  let set: X12TransactionSet | null = null;
  const openSet = () => `transaction set ${set!.controlNumber} (ST at segment ${set!.header.position})`;
  const openGroup = () => `functional group ${group!.controlNumber} (GS at segment ${group!.header.position})`;
  for (const segment of segments.slice(1)) {
    if (set && ["ISA", "GS", "GE", "ST", "IEA"].includes(segment.id)) {
      throw misplacedTrailer(segment, `${openSet()} has no SE before it`);
    }
    switch (segment.id) {
      case "ISA":
        throw malformed(segment, "a second interchange starts here: import each interchange as its own file.");
      case "TA1":
        if (group) throw malformed(segment, "a TA1 belongs outside functional groups.");
        interchange.interchangeAcknowledgements.push(segment);
        break;
      case "GS":
        if (group) throw misplacedTrailer(segment, `${openGroup()} has no GE before it`);
        group = {
          functionalId: required(segment, 1),
          senderCode: element(segment, 2),
          receiverCode: element(segment, 3),
          controlNumber: required(segment, 6),
          version: required(segment, 8),
          transactionSets: [],
          header: segment,
        };
        break;
      case "ST":
        if (!group) throw malformed(segment, "a transaction set must be inside a functional group (GS).");
        set = {
          id: required(segment, 1),
          controlNumber: required(segment, 2),
          implementationReference: element(segment, 3) || null,
          segments: [],
          header: segment,
        };
        break;
      case "SE":
        if (!set) throw malformed(segment, "an SE without the ST it closes.");
        checkTrailer(
          segment,
          `transaction set ${set.controlNumber}`,
          set.segments.length + 2,
          "segments from ST to SE",
          set.controlNumber,
        );
        group!.transactionSets.push(set);
        set = null;
        break;
      case "GE":
        if (!group) throw malformed(segment, "a GE without the GS it closes.");
        checkTrailer(
          segment,
          `functional group ${group.controlNumber}`,
          group.transactionSets.length,
          "transaction sets",
          group.controlNumber,
        );
        interchange.groups.push(group);
        group = null;
        break;
      case "IEA":
        if (group) throw misplacedTrailer(segment, `${openGroup()} has no GE before it`);
        checkTrailer(
          segment,
          `interchange ${controlNumber}`,
          interchange.groups.length,
          "functional groups",
          controlNumber,
        );
        if (segment.position !== segments.length) {
          throw malformed(segments[segment.position]!, "segments follow the IEA that ends the interchange.");
        }
        return interchange;
      default:
        if (!set) throw malformed(segment, "a segment outside any transaction set (ST…SE).");
        set.segments.push(segment);
    }
  }
  const last = segments[segments.length - 1]!;
  if (set) throw truncated(last, openSet(), "SE, GE or IEA");
  if (group) throw truncated(last, openGroup(), "GE or IEA");
  throw truncated(last, `the interchange ${controlNumber}`, "IEA");
}

/** A header or trailer arriving while an inner envelope is still open: its trailer went missing. */
function misplacedTrailer(segment: X12Segment, problem: string): X12Error {
  return new X12Error(
    "X12_TRUNCATED",
    `${describeLocation(locate(segment))}: ${problem}; part of the file is missing.`,
    locate(segment),
  );
}
