/*
 * Glossary.
 *   277CA          health care claim acknowledgement (005010X214): the payer's or clearinghouse's answer, claim by
 *                  claim, on whether our claims were taken into its system, before any adjudication
 *   levels (HL03)  20 information source (payer or clearinghouse, 2000A), 21 information receiver (our submitter,
 *                  2000B), 19 billing provider (2000C), PT patient (2000D) under which each claim (2200D) and
 *                  service line (2220D) is answered
 *   STC            a status: category (list 507), status (list 508) and entity (data element 98) in STC01, with
 *                  up to two more in STC10 and STC11 sharing the segment's date (STC02), action (STC03: WQ accept,
 *                  U reject) and amount (STC04)
 *   trace number   TRN02: at 2200B the batch it answers (the 837's BHT03); at 2200D our patient control number
 */
import { type ExplainedStatus, explainStatus, type StatusOutcome } from "./claim-status-codes.js";
import {
  components,
  element,
  malformed,
  readAmount,
  readCount,
  readDate,
  required,
  type X12Segment,
  type X12TransactionSet,
} from "./x12.reader.js";

/** Whether the claim was taken in, from all its statuses: any rejection, even of one line, rejects it. */
export type AcknowledgementOutcome = "ACCEPTED" | "RECEIVED" | "REJECTED" | "UNDETERMINED";

/** One status of a claim, line, provider or batch (an STC01, STC10 or STC11 composite). */
export interface ClaimStatus extends ExplainedStatus {
  /** STC02, CCYY-MM-DD. */
  effectiveDate: string | null;
  /** STC03: WQ accept, U reject. */
  actionCode: string | null;
  /** STC04: the charge the status is about, two decimals. */
  amount: string | null;
  /** STC12: the payer's own words, when given. */
  note: string | null;
}

/** The payer or clearinghouse answering (2000A). */
export interface InformationSource {
  kind: "PAYER" | "CLEARINGHOUSE";
  name: string;
  /** NM109: the payer id or the clearinghouse's id. */
  identifier: string;
  /** TRN02 of 2200A: its number for the file it received. */
  traceNumber: string;
  /** DTP*050 and DTP*009, CCYY-MM-DD. */
  receivedOn: string | null;
  processedOn: string | null;
}

/** Counts and amounts a level reports (QTY and AMT): accepted, rejected. */
export interface AcknowledgedTotals {
  acceptedClaims: number | null;
  rejectedClaims: number | null;
  acceptedAmount: string | null;
  rejectedAmount: string | null;
}

/** The answer about one batch we sent (2000B): a rejection here rejects every claim of the batch. */
export interface AcknowledgedReceiver extends AcknowledgedTotals {
  source: InformationSource;
  name: string;
  /** NM109: our submitter id at the payer or clearinghouse. */
  identifier: string;
  /** TRN02 of 2200B: the batch answered, as our 837's BHT03 named it. */
  traceNumber: string;
  statuses: ClaimStatus[];
  outcome: AcknowledgementOutcome;
}

/** The answer about one billing provider (2000C): a rejection here rejects every claim of that provider. */
export interface AcknowledgedProvider extends AcknowledgedTotals {
  receiver: AcknowledgedReceiver;
  name: string;
  /** NM108: XX for an NPI, FI for a tax id, SV for a payer-assigned id. */
  identifierQualifier: string;
  identifier: string;
  /** TRN02 of 2200C. */
  traceNumber: string;
  statuses: ClaimStatus[];
  outcome: AcknowledgementOutcome;
}

/** The answer about one of our claims (2200D). */
export interface AcknowledgedClaim {
  receiver: AcknowledgedReceiver;
  provider: AcknowledgedProvider;
  /** TRN02: our CLM01, the claim's patient control number. */
  patientControlNumber: string;
  patient: { lastName: string; firstName: string | null; memberId: string };
  /** REF*1K: the payer's claim control number, given when the claim is accepted. */
  payerClaimControlNumber: string | null;
  /** REF*D9: the clearinghouse's trace number for the claim. */
  clearinghouseTraceNumber: string | null;
  /** DTP*472: the dates of service, CCYY-MM-DD; the same day twice for one day. */
  serviceDateFrom: string | null;
  serviceDateTo: string | null;
  statuses: ClaimStatus[];
  lines: AcknowledgedServiceLine[];
  outcome: AcknowledgementOutcome;
  /** Where the claim's TRN is in the file: for reporting a claim that matches none of ours. */
  segment: number;
}

/** The answer about one service line of a claim (2220D), given when the line is in question. */
export interface AcknowledgedServiceLine {
  /** REF*FJ: our line control number (REF*6R of the 837). */
  lineControlNumber: string | null;
  /** SVC01: qualifier (HC for HCPCS/CPT), code and modifiers. */
  procedure: { qualifier: string; code: string; modifiers: string[] };
  /** SVC02, two decimals. */
  charge: string | null;
  /** SVC07. */
  units: string | null;
  serviceDateFrom: string | null;
  serviceDateTo: string | null;
  statuses: ClaimStatus[];
  outcome: AcknowledgementOutcome;
}

/** Everything a 277CA answers, in file order. */
export interface ClaimAcknowledgementContent {
  receivers: AcknowledgedReceiver[];
  providers: AcknowledgedProvider[];
  claims: AcknowledgedClaim[];
}

/** The outcome statuses add up to: a rejection wins, then acceptance, then receipt. */
function outcomeOf(statuses: readonly { outcome: StatusOutcome; actionCode: string | null }[]): AcknowledgementOutcome {
  if (statuses.some((s) => s.outcome === "REJECTED" || s.actionCode === "U")) return "REJECTED";
  if (statuses.some((s) => s.outcome === "ACCEPTED")) return "ACCEPTED";
  return statuses.some((s) => s.outcome === "RECEIVED") ? "RECEIVED" : "UNDETERMINED";
}

/** The statuses of one STC segment: STC01, then STC10 and STC11 when present. */
function statusesOf(stc: X12Segment): ClaimStatus[] {
  const shared = {
    effectiveDate: readDate(stc, 2),
    actionCode: element(stc, 3) || null,
    amount: readAmount(stc, 4),
    note: element(stc, 12) || null,
  };
  return [1, 10, 11]
    .filter((index) => index === 1 || element(stc, index) !== "")
    .map((index) => {
      const [category = "", status = "", entity = ""] = components(stc, index);
      if (category === "") throw malformed(stc, "is required and empty.", index, 1);
      if (status === "") throw malformed(stc, "is required and empty.", index, 2);
      return { ...explainStatus(category, status, entity || null), ...shared };
    });
}

/** DTP03 of a D8 (one day) or RD8 (CCYYMMDD-CCYYMMDD) date. */
function serviceDates(dtp: X12Segment): [string | null, string | null] {
  const [from = "", to = from] = element(dtp, 3).split("-");
  return [readDate(dtp, 3, from), readDate(dtp, 3, to)];
}

const emptyTotals = (): AcknowledgedTotals => ({
  acceptedClaims: null,
  rejectedClaims: null,
  acceptedAmount: null,
  rejectedAmount: null,
});

/** QTY and AMT codes per level: 90/AA at 2200B, QA/QC at 2200C; AMT YU/YY at both. */
function addTotal(totals: AcknowledgedTotals, segment: X12Segment): void {
  const qualifier = element(segment, 1);
  if (segment.id === "QTY" && (qualifier === "90" || qualifier === "QA")) totals.acceptedClaims = readCount(segment, 2);
  if (segment.id === "QTY" && (qualifier === "AA" || qualifier === "QC")) totals.rejectedClaims = readCount(segment, 2);
  if (segment.id === "AMT" && qualifier === "YU") totals.acceptedAmount = readAmount(segment, 2);
  if (segment.id === "AMT" && qualifier === "YY") totals.rejectedAmount = readAmount(segment, 2);
}

/** Reads the levels, claims and lines of one 277CA transaction set. */
export function readClaimAcknowledgement(set: X12TransactionSet): ClaimAcknowledgementContent {
  const content: ClaimAcknowledgementContent = { receivers: [], providers: [], claims: [] };
  let level = "";
  let source: InformationSource | null = null;
  let receiver: AcknowledgedReceiver | null = null;
  let provider: AcknowledgedProvider | null = null;
  let patient: AcknowledgedClaim["patient"] | null = null;
  let claim: AcknowledgedClaim | null = null;
  let line: AcknowledgedServiceLine | null = null;
  /** Each claim's TRN, to say where a claim without a status is. */
  const claimSegments: X12Segment[] = [];
  const outside = (segment: X12Segment, what: string) => malformed(segment, `${what} belongs inside its HL level.`);
  for (const segment of set.segments) {
    if (segment.id === "HL") {
      level = required(segment, 3);
      claim = line = patient = null;
      if (level === "21" && !source) throw outside(segment, "an information receiver level (21)");
      if (level === "19" && !receiver) throw outside(segment, "a billing provider level (19)");
      if (level === "PT" && !provider) throw outside(segment, "a patient level (PT)");
      if (!["20", "21", "19", "PT"].includes(level)) {
        throw malformed(segment, `"${level}" is not a 277CA level (20, 21, 19 or PT).`, 3);
      }
      continue;
    }
    if (segment.id === "BHT") continue;
    if (level === "20") source = readSourceSegment(segment, source);
    else if (level === "21" && segment.id === "NM1") {
      receiver = {
        source: source!,
        name: element(segment, 3),
        identifier: element(segment, 9),
        traceNumber: "",
        statuses: [],
        outcome: "UNDETERMINED",
        ...emptyTotals(),
      };
      content.receivers.push(receiver);
    } else if (level === "19" && segment.id === "NM1") {
      provider = {
        receiver: receiver!,
        name: [element(segment, 3), element(segment, 4)].filter(Boolean).join(", "),
        identifierQualifier: element(segment, 8),
        identifier: element(segment, 9),
        traceNumber: "",
        statuses: [],
        outcome: "UNDETERMINED",
        ...emptyTotals(),
      };
      content.providers.push(provider);
    } else if (level === "21" || level === "19") {
      const target = level === "21" ? receiver : provider;
      if (!target) throw outside(segment, `segment ${segment.id}`);
      if (segment.id === "TRN") target.traceNumber = required(segment, 2);
      else if (segment.id === "STC") target.statuses.push(...statusesOf(segment));
      else addTotal(target, segment);
      target.outcome = outcomeOf(target.statuses);
    } else if (level === "PT" && segment.id === "NM1") {
      patient = {
        lastName: element(segment, 3),
        firstName: element(segment, 4) || null,
        memberId: element(segment, 9),
      };
    } else if (level === "PT" && segment.id === "TRN") {
      if (!patient) throw malformed(segment, "a claim's TRN follows the patient's NM1.");
      line = null;
      claim = {
        receiver: receiver!,
        provider: provider!,
        patientControlNumber: required(segment, 2),
        patient,
        payerClaimControlNumber: null,
        clearinghouseTraceNumber: null,
        serviceDateFrom: null,
        serviceDateTo: null,
        statuses: [],
        lines: [],
        outcome: "UNDETERMINED",
        segment: segment.position,
      };
      content.claims.push(claim);
      claimSegments.push(segment);
    } else if (level === "PT") {
      if (!claim) throw malformed(segment, "claim details follow the claim's TRN (patient control number).");
      line = readClaimSegment(segment, claim, line);
    } else {
      throw outside(segment, `segment ${segment.id}`);
    }
  }
  for (const [i, each] of content.claims.entries()) {
    if (each.statuses.length === 0) throw malformed(claimSegments[i]!, "the claim has no STC status.");
    each.outcome = outcomeOf([...each.statuses, ...each.lines.flatMap((l) => l.statuses)]);
  }
  return content;
}

function readSourceSegment(segment: X12Segment, source: InformationSource | null): InformationSource {
  if (segment.id === "NM1") {
    return {
      kind: element(segment, 1) === "AY" ? "CLEARINGHOUSE" : "PAYER",
      name: element(segment, 3),
      identifier: element(segment, 9),
      traceNumber: "",
      receivedOn: null,
      processedOn: null,
    };
  }
  if (!source) throw malformed(segment, "the information source's details follow its NM1.");
  if (segment.id === "TRN") source.traceNumber = required(segment, 2);
  if (segment.id === "DTP" && element(segment, 1) === "050") source.receivedOn = readDate(segment, 3);
  if (segment.id === "DTP" && element(segment, 1) === "009") source.processedOn = readDate(segment, 3);
  return source;
}

/** Adds one 2200D or 2220D segment to the claim or its open line; returns the line then open. */
function readClaimSegment(
  segment: X12Segment,
  claim: AcknowledgedClaim,
  line: AcknowledgedServiceLine | null,
): AcknowledgedServiceLine | null {
  if (segment.id === "SVC") {
    const [qualifier = "", code = "", ...modifiers] = components(segment, 1);
    const opened: AcknowledgedServiceLine = {
      lineControlNumber: null,
      procedure: { qualifier, code, modifiers: modifiers.slice(0, 4).filter(Boolean) },
      charge: readAmount(segment, 2),
      units: element(segment, 7) || null,
      serviceDateFrom: null,
      serviceDateTo: null,
      statuses: [],
      outcome: "UNDETERMINED",
    };
    claim.lines.push(opened);
    return opened;
  }
  const target = line ?? claim;
  const qualifier = element(segment, 1);
  if (segment.id === "STC") target.statuses.push(...statusesOf(segment));
  if (segment.id === "DTP" && qualifier === "472")
    [target.serviceDateFrom, target.serviceDateTo] = serviceDates(segment);
  if (segment.id === "REF" && qualifier === "1K" && !line) claim.payerClaimControlNumber = required(segment, 2);
  if (segment.id === "REF" && qualifier === "D9" && !line) claim.clearinghouseTraceNumber = required(segment, 2);
  if (segment.id === "REF" && qualifier === "FJ" && line) line.lineControlNumber = required(segment, 2);
  if (line) line.outcome = outcomeOf(line.statuses);
  return line;
}
