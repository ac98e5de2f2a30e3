/*
 * Glossary.
 *   acknowledgement  a file a clearinghouse or payer sends back about claims we submitted: a 999 (was each 837
 *                    transaction set well formed?), a 277CA (was each claim taken in?), or a TA1 alone (was the
 *                    interchange itself readable?)
 *   TA1              interchange acknowledgment: quotes our ISA13 (TA101) with accepted or rejected and why
 *   matching         a TA1 names our interchange (ISA13), a 999 our group (GS06) and transaction sets (ST02), a 277CA
 *                    our batch (the 837's BHT03, in 2200B TRN02) and each claim (CLM01, in 2200D TRN02)
 */
import {
  type AcknowledgedClaim,
  type AcknowledgedProvider,
  type AcknowledgedReceiver,
  readClaimAcknowledgement,
} from "./claim-acknowledgement.reader.js";
import {
  type GroupAcknowledgement,
  readImplementationAcknowledgement,
} from "./implementation-acknowledgement.reader.js";
import {
  element,
  locate,
  malformed,
  readDate,
  readX12,
  required,
  X12Error,
  type X12FunctionalGroup,
  type X12InterchangeHeader,
  type X12Segment,
  type X12TransactionSet,
} from "./x12.reader.js";
import {
  type ExplainedCode,
  explain,
  INTERCHANGE_ACKNOWLEDGMENTS,
  INTERCHANGE_NOTES,
  unknownCode,
} from "./x12-syntax-codes.js";

/** The answer to one interchange we sent (a TA1). */
export interface InterchangeAcknowledgement {
  /** TA101: our ISA13. */
  controlNumber: string;
  /** TA102 as CCYY-MM-DD and TA103 (HHMM): when our interchange was sent, as we dated it. */
  date: string | null;
  time: string;
  verdict: "ACCEPTED" | "ACCEPTED_WITH_ERRORS" | "REJECTED";
  /** TA104. */
  code: ExplainedCode;
  /** TA105: what was wrong, "no error" when nothing was. */
  note: ExplainedCode;
  message: string;
}

interface AcknowledgementFile {
  /** The acknowledgement's own envelope (its sender, its control number). */
  interchange: X12InterchangeHeader;
  interchangeAcknowledgements: InterchangeAcknowledgement[];
}

/** A 999: per group we sent, per transaction set, accepted or rejected and why. */
export interface ImplementationAcknowledgementFile extends AcknowledgementFile {
  kind: "999";
  groups: GroupAcknowledgement[];
}

/** A 277CA: per batch, billing provider and claim, taken in or rejected and why. */
export interface ClaimAcknowledgementFile extends AcknowledgementFile {
  kind: "277CA";
  receivers: AcknowledgedReceiver[];
  providers: AcknowledgedProvider[];
  claims: AcknowledgedClaim[];
}

/** An interchange holding TA1s only. */
export interface InterchangeAcknowledgementFile extends AcknowledgementFile {
  kind: "TA1";
}

export type Acknowledgement =
  | ImplementationAcknowledgementFile
  | ClaimAcknowledgementFile
  | InterchangeAcknowledgementFile;

const TRANSACTION_NAMES: Readonly<Record<string, string>> = {
  "270": "a 270 eligibility inquiry",
  "271": "a 271 eligibility response",
  "276": "a 276 claim status request",
  "277": "a 277 claim status response",
  "278": "a 278 authorization request or response",
  "820": "an 820 premium payment",
  "834": "an 834 benefit enrollment",
  "835": "an 835 payment and remittance advice",
  "837": "an 837 claim batch",
  "997": "a 997 functional acknowledgment (the older form of the 999)",
  "999": "a 999 implementation acknowledgment",
};

/** 837 batches by implementation guide: professional, institutional, dental. */
const CLAIM_BATCH_NAMES: Readonly<Record<string, string>> = {
  "005010X222": "an 837P professional claim batch",
  "005010X223": "an 837I institutional claim batch",
  "005010X224": "an 837D dental claim batch",
};

/** What a transaction set is, in words: "an 835 payment and remittance advice (005010X221A1)". */
function describeTransaction(set: X12TransactionSet, guide: string): string {
  const guideFamily = guide.slice(0, 10);
  const name =
    set.id === "837" && Object.hasOwn(CLAIM_BATCH_NAMES, guideFamily)
      ? CLAIM_BATCH_NAMES[guideFamily]
      : Object.hasOwn(TRANSACTION_NAMES, set.id)
        ? TRANSACTION_NAMES[set.id]
        : `an X12 ${set.id} transaction set`;
  return `${name} (${guide})`;
}

function kindOf(group: X12FunctionalGroup, set: X12TransactionSet): "999" | "277CA" {
  const guide = set.implementationReference ?? group.version;
  if (set.id === "999" && guide.startsWith("005010X231")) return "999";
  if (set.id === "277" && guide.startsWith("005010X214")) return "277CA";
  throw new X12Error(
    "X12_WRONG_TRANSACTION",
    `This file holds ${describeTransaction(set, guide)} at segment ${set.header.position}, not a 999 or 277CA ` +
      "acknowledgement (005010X231A1 or 005010X214).",
    locate(set.header, 1),
  );
}

function readInterchangeAcknowledgement(ta1: X12Segment): InterchangeAcknowledgement {
  const controlNumber = required(ta1, 1);
  const code = required(ta1, 4);
  const verdicts = { A: "ACCEPTED", E: "ACCEPTED_WITH_ERRORS", R: "REJECTED" } as const;
  if (!Object.hasOwn(verdicts, code)) {
    throw malformed(ta1, `"${code}" is not an interchange acknowledgment code (A, E or R).`, 4);
  }
  const verdict = verdicts[code as keyof typeof verdicts];
  const note = explain(INTERCHANGE_NOTES, required(ta1, 5), unknownCode(element(ta1, 5), "data element I18"));
  const meaning = INTERCHANGE_ACKNOWLEDGMENTS[code]!;
  return {
    controlNumber,
    date: readDate(ta1, 2, `20${element(ta1, 2)}`),
    time: element(ta1, 3),
    verdict,
    code: { code, meaning },
    note,
    message: `Interchange ${controlNumber} ${meaning}: ${note.meaning}.`,
  };
}

/**
 * Reads a pasted or uploaded acknowledgement (999, 277CA, or TA1 alone) into what it says about our interchanges,
 * batches and claims, every code explained. Reads only: matching it to our batches and claims is the caller's.
 * Throws X12Error (stable code, message saying where) for a file too large, not X12, cut short, with control
 * numbers or counts that disagree, malformed, or of another kind (an 835 or 837 pasted by mistake).
 */
export async function readAcknowledgement(text: string): Promise<Acknowledgement> {
  const interchange = await readX12(text);
  const common: AcknowledgementFile = {
    interchange: interchange.header,
    interchangeAcknowledgements: interchange.interchangeAcknowledgements.map(readInterchangeAcknowledgement),
  };
  const sets = interchange.groups.flatMap((group) => group.transactionSets.map((set) => ({ group, set })));
  if (sets.length === 0) {
    if (common.interchangeAcknowledgements.length > 0) return { kind: "TA1", ...common };
    throw new X12Error("X12_MALFORMED", "The interchange holds no transaction set and no TA1: nothing to read.", {
      segment: 1,
      segmentId: "ISA",
    });
  }
  const kinds = sets.map(({ group, set }) => kindOf(group, set));
  const mixed = sets.find((_, i) => kinds[i] !== kinds[0]);
  if (mixed) {
    throw new X12Error(
      "X12_WRONG_TRANSACTION",
      `This file holds both a 999 and a 277CA (the ST at segment ${mixed.set.header.position}): ` +
        "import each as its own file.",
      locate(mixed.set.header, 1),
    );
  }
  if (kinds[0] === "999") {
    return { kind: "999", ...common, groups: sets.map(({ set }) => readImplementationAcknowledgement(set)) };
  }
  const content = sets.map(({ set }) => readClaimAcknowledgement(set));
  return {
    kind: "277CA",
    ...common,
    receivers: content.flatMap((each) => each.receivers),
    providers: content.flatMap((each) => each.providers),
    claims: content.flatMap((each) => each.claims),
  };
}
