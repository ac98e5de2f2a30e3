/*
 * Glossary.
 *   999            implementation acknowledgment (005010X231A1): the clearinghouse's answer to each functional
 *                  group we sent, saying per transaction set (per ST of our 837) accepted, accepted with errors or
 *                  rejected, and which segments and elements were wrong
 *   AK1/AK9        the group answered (its GS06) and the verdict on the group
 *   AK2/IK5        a transaction set answered (its ST02) and the verdict on it
 *   IK3/IK4        a segment in error (where in our transaction set) and an element in error within it
 *   business unit  the CTX of an IK3 naming the claim the segment belongs to (CLM01, our patient control number)
 */
import {
  components,
  element,
  elementName,
  malformed,
  readCount,
  required,
  type X12Segment,
  type X12TransactionSet,
} from "./x12.reader.js";
import {
  ELEMENT_SYNTAX_ERRORS,
  type ExplainedCode,
  explain,
  GROUP_ACKNOWLEDGMENTS,
  GROUP_SYNTAX_ERRORS,
  SEGMENT_SYNTAX_ERRORS,
  TRANSACTION_SET_ACKNOWLEDGMENTS,
  TRANSACTION_SET_SYNTAX_ERRORS,
  unknownCode,
} from "./x12-syntax-codes.js";

export type TransactionSetVerdict = "ACCEPTED" | "ACCEPTED_WITH_ERRORS" | "REJECTED";
export type GroupVerdict = TransactionSetVerdict | "PARTIALLY_ACCEPTED";

/** The verdict each IK501/AK901 code gives: M, W and X are rejections for security reasons. */
const VERDICTS: Readonly<Record<string, GroupVerdict>> = {
  A: "ACCEPTED",
  E: "ACCEPTED_WITH_ERRORS",
  P: "PARTIALLY_ACCEPTED",
  M: "REJECTED",
  R: "REJECTED",
  W: "REJECTED",
  X: "REJECTED",
};

/** The answer to one functional group we sent (AK1…AK9). */
export interface GroupAcknowledgement {
  /** AK101: the functional identifier of the group answered (HC: health care claims). */
  functionalId: string;
  /** AK102: the GS06 of the group answered — the control number of our batch's group. */
  groupControlNumber: string;
  /** AK103: the implementation guide that group followed (005010X222A1), when given. */
  version: string | null;
  verdict: GroupVerdict;
  /** AK901. */
  code: ExplainedCode;
  /** AK902–AK904: transaction sets the group said it held, that arrived, that were accepted. */
  transactionSetsIncluded: number;
  transactionSetsReceived: number;
  transactionSetsAccepted: number;
  /** AK905–AK909: why the group was rejected. */
  errors: ExplainedCode[];
  /** One per transaction set answered (AK2…IK5); a 999 may leave out accepted ones. */
  transactionSets: TransactionSetAcknowledgement[];
}

/** The answer to one transaction set we sent (AK2…IK5): one 837 ST…SE, with all its claims. */
export interface TransactionSetAcknowledgement {
  /** AK201: 837. */
  transactionSetId: string;
  /** AK202: the ST02 of our transaction set. */
  controlNumber: string;
  /** AK203, when given. */
  version: string | null;
  verdict: TransactionSetVerdict;
  /** IK501. */
  code: ExplainedCode;
  /** IK502–IK506: why the transaction set failed. */
  errors: ExplainedCode[];
  segmentErrors: SegmentError[];
  /** Everything above as sentences, for a biller: what to store with each claim of a rejected set. */
  message: string;
}

/** A segment of ours in error (IK3), with its elements in error (IK4). */
export interface SegmentError {
  /** IK301: the segment id (NM1, CLM). */
  segmentId: string;
  /** IK302: where the segment is in our transaction set, ST being 1. */
  position: number;
  /** IK303: the loop it is in, at most four characters (2010 for 2010BA), when given. */
  loop: string | null;
  /** IK304, when given. */
  code: ExplainedCode | null;
  /** The claim (CLM01) the segment belongs to, when the 999 names it in a CTX. */
  patientControlNumber: string | null;
  elementErrors: ElementError[];
  message: string;
}

/** An element of ours in error (IK4). */
export interface ElementError {
  /** The element's X12 name in our segment: NM108, SV101-2. */
  element: string;
  /** IK401-1, -2, -3: position in the segment, component position, repetition. */
  position: number;
  componentPosition: number | null;
  repetition: number | null;
  /** IK402: the X12 data element number (66 for an identification code qualifier), when given. */
  dataElementReference: string | null;
  /** IK403. */
  code: ExplainedCode;
  /** IK404: a copy of the bad data, when given. */
  badData: string | null;
  message: string;
}

/** Reads the answer a 999 transaction set gives to one group we sent (its AK1). */
export function readImplementationAcknowledgement(set: X12TransactionSet): GroupAcknowledgement {
  const [ak1, ...rest] = set.segments;
  if (ak1?.id !== "AK1") throw malformed(ak1 ?? set.header, "a 999 starts with AK1, the group it answers.");
  const transactionSets: TransactionSetAcknowledgement[] = [];
  let open: { ak2: X12Segment; errors: SegmentError[] } | null = null;
  for (const segment of rest) {
    switch (segment.id) {
      case "AK2":
        if (open) throw malformed(open.ak2, "this AK2 has no IK5 before the next AK2.");
        open = { ak2: segment, errors: [] };
        break;
      case "IK3":
        if (!open) throw malformed(segment, "an IK3 belongs after the AK2 of its transaction set.");
        open.errors.push(segmentError(segment));
        break;
      case "CTX": {
        const last = open?.errors.at(-1);
        if (!last) throw malformed(segment, "a CTX belongs after the IK3 or IK4 it adds to.");
        // A business unit CTX names the claim (CTX01-1 CLM01, CTX01-2 the value); situational triggers add nothing
        // a biller acts on.
        const [name, value] = components(segment, 1);
        if (name === "CLM01" && value) last.patientControlNumber = value;
        break;
      }
      case "IK4": {
        const last = open?.errors.at(-1);
        if (!last) throw malformed(segment, "an IK4 belongs after the IK3 of its segment.");
        last.elementErrors.push(elementError(segment, last.segmentId));
        break;
      }
      case "IK5":
        if (!open) throw malformed(segment, "an IK5 closes an AK2, and none is open.");
        transactionSets.push(transactionSetAcknowledgement(open.ak2, open.errors, segment));
        open = null;
        break;
      case "AK9":
        if (open) throw malformed(open.ak2, "this AK2 has no IK5 before the AK9.");
        if (segment !== set.segments.at(-1)) throw malformed(segment, "the AK9 ends a 999; segments follow it.");
        return groupAcknowledgement(ak1, segment, transactionSets);
      default:
        throw malformed(segment, "a 999 holds AK1, AK2, IK3, CTX, IK4, IK5 and AK9 segments only.");
    }
  }
  throw malformed(set.segments.at(-1) ?? ak1, "the 999 has no AK9, its verdict on the group.");
}

function verdictOf(segment: X12Segment, table: Readonly<Record<string, string>>): [GroupVerdict, ExplainedCode] {
  const code = required(segment, 1);
  if (!Object.hasOwn(table, code)) throw malformed(segment, `"${code}" is not a verdict code.`, 1);
  return [VERDICTS[code]!, explain(table, code, code)];
}

function groupAcknowledgement(
  ak1: X12Segment,
  ak9: X12Segment,
  transactionSets: TransactionSetAcknowledgement[],
): GroupAcknowledgement {
  const [verdict, code] = verdictOf(ak9, GROUP_ACKNOWLEDGMENTS);
  return {
    functionalId: required(ak1, 1),
    groupControlNumber: required(ak1, 2),
    version: element(ak1, 3) || null,
    verdict,
    code,
    transactionSetsIncluded: readCount(ak9, 2) ?? 0,
    transactionSetsReceived: readCount(ak9, 3) ?? 0,
    transactionSetsAccepted: readCount(ak9, 4) ?? 0,
    errors: codesOf(ak9, 5, GROUP_SYNTAX_ERRORS, "data element 716"),
    transactionSets,
  };
}

function transactionSetAcknowledgement(
  ak2: X12Segment,
  segmentErrors: SegmentError[],
  ik5: X12Segment,
): TransactionSetAcknowledgement {
  const [verdict, code] = verdictOf(ik5, TRANSACTION_SET_ACKNOWLEDGMENTS);
  if (verdict === "PARTIALLY_ACCEPTED") throw malformed(ik5, `"P" is a verdict on groups, not transaction sets.`, 1);
  // Messages are written once the CTX naming the claim, which may follow the IK4s, has been read.
  for (const error of segmentErrors) error.message = describeSegmentError(error);
  const answer = {
    transactionSetId: required(ak2, 1),
    controlNumber: required(ak2, 2),
    version: element(ak2, 3) || null,
    verdict,
    code,
    errors: codesOf(ik5, 2, TRANSACTION_SET_SYNTAX_ERRORS, "data element 618"),
    segmentErrors,
  };
  const because = answer.errors.map((error) => error.meaning).join("; ");
  const sentences = [
    `Transaction set ${answer.controlNumber} ${code.meaning}${because ? `: ${because}` : ""}.`,
    ...segmentErrors.map((error) => error.message),
  ];
  return { ...answer, message: sentences.join(" ") };
}

/** The codes in elements `from` to the end of a segment (IK502–IK506, AK905–AK909), explained. */
function codesOf(segment: X12Segment, from: number, table: Readonly<Record<string, string>>, list: string) {
  return segment.elements
    .slice(from - 1)
    .map(([code]) => code ?? "")
    .filter((code) => code !== "")
    .map((code) => explain(table, code, unknownCode(code, list)));
}

function segmentError(ik3: X12Segment): SegmentError {
  const position = readCount(ik3, 2);
  if (position === null) throw malformed(ik3, "is required and empty.", 2);
  const code = element(ik3, 4);
  return {
    segmentId: required(ik3, 1),
    position,
    loop: element(ik3, 3) || null,
    code: code ? explain(SEGMENT_SYNTAX_ERRORS, code, unknownCode(code, "data element 620")) : null,
    patientControlNumber: null,
    elementErrors: [],
    message: "",
  };
}

function elementError(ik4: X12Segment, segmentId: string): ElementError {
  const [position = "", componentPosition = "", repetition = ""] = components(ik4, 1);
  if (!/^\d+$/.test(position)) throw malformed(ik4, "is not an element position.", 1);
  const code = required(ik4, 3);
  const error = {
    element: elementName(segmentId, Number(position), Number(componentPosition) || undefined),
    position: Number(position),
    componentPosition: Number(componentPosition) || null,
    repetition: Number(repetition) || null,
    dataElementReference: element(ik4, 2) || null,
    code: explain(ELEMENT_SYNTAX_ERRORS, code, unknownCode(code, "data element 621")),
    badData: element(ik4, 4) || null,
  };
  const reference = error.dataElementReference ? ` (data element ${error.dataElementReference})` : "";
  const found = error.badData === null ? "" : `, found "${error.badData}"`;
  return { ...error, message: `${error.element}${reference}: ${error.code.meaning}${found}` };
}

/** "The NM1 segment at position 12 (loop 2010) of claim PCN1: segment has data element errors; NM108: …." */
function describeSegmentError(error: SegmentError): string {
  const where = [`position ${error.position}`, ...(error.loop ? [`loop ${error.loop}`] : [])].join(", ");
  const claim = error.patientControlNumber ? ` of claim ${error.patientControlNumber}` : "";
  const problems = [error.code?.meaning ?? "in error", ...error.elementErrors.map((e) => e.message)].join("; ");
  return `The ${error.segmentId} segment at ${where}${claim}: ${problems}.`;
}
