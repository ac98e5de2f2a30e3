/*
 * A payer simulator: the 835 a payer would send for claims of one of our stored 837P batches, given its verdict on
 * each claim. For the demo seed, the tests and the bench; real 835s come from payers. What it writes balances by
 * construction (amounts in cents) and follows 005010X221A1.
 */

/**
 * How the payer adjudicates one claim. A claim billed to it as secondary (SBR01 S) is processed as secondary (CLP02
 * 2): `pay: true` pays, line by line, what the primary payer left the patient (its 2430 PR adjustments), the rest
 * adjusted OA-23 (the prior payer's part).
 */
export type PayerVerdict =
  | {
      pay: true;
      /** The share of each line's charge the fee schedule allows (CO-45 takes the rest); 80 by default. */
      allowedPercent?: number;
      /** What the patient owes of the allowed amount, on the first paid line: deductible 1, coinsurance 2, copay 3. */
      patient?: { reason: "1" | "2" | "3"; amount: string };
      /** Lines (1-based) the payer denies, for `reason` (a CARC, CO group), with a remark code if given. */
      deniedLines?: { lineNumbers: number[]; reason: string; remark?: string };
    }
  | {
      pay: false;
      /** The CARC: 27 coverage ended, 29 timely filing, 50 not medically necessary, 197 no authorization… */
      reason: string;
      group?: "CO" | "PR" | "OA" | "PI";
      remark?: string;
    }
  /** A reversal of a payment made with `reverse`, then (when given) the corrected adjudication. */
  | { reverse: PayerVerdict; correction?: PayerVerdict };

/** A provider-level adjustment the payment carries: L6 interest (negative), WO recovery (positive)… */
export interface PayerProviderAdjustment {
  reason: string;
  reference: string;
  amount: string;
}

export interface RemittanceOptions {
  traceNumber: string;
  /** ISA13/GS06 of the 835 itself. */
  control?: number;
  /** CCYYMMDD. */
  paymentDate?: string;
  providerAdjustments?: PayerProviderAdjustment[];
  /** CLP01 as the payer writes it, when it differs from ours (a payer's typo). */
  renamed?: Readonly<Record<string, string>>;
}

interface BilledLine {
  qualifier: string;
  code: string;
  modifiers: string[];
  charge: number;
  units: string;
  date: string;
  lineControlNumber: string;
  /** On a secondary claim: what the primary payer left the patient on the line (its 2430 PR adjustments), cents. */
  primaryPatientShare: number;
}

interface BilledClaim {
  patientControlNumber: string;
  filingIndicator: string;
  /** SBR01 of the claim's subscriber: P primary, S secondary (the claim carries the primary's adjudication). */
  sequence: string;
  lines: BilledLine[];
}

/** What the payer reads of our 837P: payer, billing provider, and each claim's lines. */
function billed(x12: string) {
  const segments = x12.split("~").map((text) => text.trim().split("*"));
  const facts = { payerName: "", payerId: "", providerName: "", providerNpi: "", claims: [] as BilledClaim[] };
  let filingIndicator = "CI";
  let sequence = "P";
  // Within a claim, SBR and NM1*PR are the other payer's (2320, 2330B), and CAS after an SVD is its line's (2430).
  let inClaim = false;
  let inOtherPayerLine = false;
  for (const s of segments) {
    const at = (index: number) => s[index] ?? "";
    if (s[0] === "HL") inClaim = false;
    if (s[0] === "NM1" && at(1) === "PR" && !inClaim) [facts.payerName, facts.payerId] = [at(3), at(9)];
    if (s[0] === "NM1" && at(1) === "85") [facts.providerName, facts.providerNpi] = [at(3), at(9)];
    if (s[0] === "SBR" && !inClaim) [sequence, filingIndicator] = [at(1), at(9) || filingIndicator];
    if (s[0] === "CLM") {
      inClaim = true;
      facts.claims.push({ patientControlNumber: at(1), filingIndicator, sequence, lines: [] });
    }
    const claim = facts.claims.at(-1);
    if (s[0] === "SV1" && claim) {
      const [qualifier = "HC", code = "", ...modifiers] = at(1).split(":");
      claim.lines.push({
        qualifier,
        code,
        modifiers,
        charge: cents(at(2)),
        units: at(4),
        date: "",
        lineControlNumber: "",
        primaryPatientShare: 0,
      });
    }
    if (s[0] === "LX" || s[0] === "SVD") inOtherPayerLine = s[0] === "SVD";
    const line = claim?.lines.at(-1);
    if (s[0] === "CAS" && at(1) === "PR" && inOtherPayerLine && line)
      for (let k = 3; k < s.length; k += 3) line.primaryPatientShare += cents(at(k));
    if (s[0] === "DTP" && at(1) === "472" && line) line.date = at(3);
    if (s[0] === "REF" && at(1) === "6R" && line) line.lineControlNumber = at(2);
  }
  return facts;
}

const cents = (amount: string) => Math.round(Number(amount) * 100);
const money = (value: number) => (value / 100).toFixed(2);

interface Adjudicated {
  status: string;
  paid: number;
  patient: number;
  claimAdjustments: string[];
  lines: { line: BilledLine; paid: number; segments: string[] }[];
}

/** One claim adjudicated: its lines' payments and CAS segments, amounts multiplied by `sign` (−1 for a reversal). */
function adjudicate(claim: BilledClaim, verdict: Adjudication, sign: 1 | -1) {
  const processedAs = claim.sequence === "S" ? "2" : "1";
  const result: Adjudicated = {
    status: sign < 0 ? "22" : processedAs,
    paid: 0,
    patient: 0,
    claimAdjustments: [],
    lines: [],
  };
  let patientLeft = verdict.pay && verdict.patient ? cents(verdict.patient.amount) : 0;
  claim.lines.forEach((line, index) => {
    const segments: string[] = [];
    const cas = (group: string, reason: string, amount: number) =>
      amount !== 0 && segments.push(`CAS*${group}*${reason}*${money(sign * amount)}`);
    const denied = verdict.pay ? verdict.deniedLines?.lineNumbers.includes(index + 1) : true;
    let paid = 0;
    if (verdict.pay && claim.sequence === "S") {
      // As secondary, the payer pays what the primary left the patient; the prior payer's part is OA-23.
      cas("OA", "23", line.charge - line.primaryPatientShare);
      paid = line.primaryPatientShare;
    } else if (!verdict.pay) cas(verdict.group ?? "CO", verdict.reason, line.charge);
    else if (denied) cas("CO", verdict.deniedLines!.reason, line.charge);
    else {
      const allowed = Math.round((line.charge * (verdict.allowedPercent ?? 80)) / 100);
      const patient = Math.min(patientLeft, allowed);
      patientLeft -= patient;
      cas("CO", "45", line.charge - allowed);
      if (patient > 0) cas("PR", verdict.patient!.reason, patient);
      result.patient += patient;
      paid = allowed - patient;
    }
    const remark = verdict.pay ? (denied ? verdict.deniedLines?.remark : undefined) : verdict.remark;
    if (line.lineControlNumber) segments.push(`REF*6R*${line.lineControlNumber}`);
    if (remark) segments.push(`LQ*HE*${remark}`);
    result.paid += paid;
    result.lines.push({ line, paid, segments });
  });
  if (!verdict.pay && verdict.group !== "PR" && result.paid === 0) result.status = sign < 0 ? "22" : "4";
  return result;
}

type Adjudication = Exclude<PayerVerdict, { reverse: unknown }>;

/** A verdict as the CLPs it writes: one, or a reversal (amounts negated) and then the correction. */
function stepsOf(verdict: PayerVerdict): [Adjudication, 1 | -1][] {
  if (!("reverse" in verdict)) return [[verdict, 1]];
  if ("reverse" in verdict.reverse) throw new Error("A reversal reverses an adjudication, not another reversal.");
  const steps: [Adjudication, 1 | -1][] = [[verdict.reverse, -1]];
  if (verdict.correction) steps.push(...stepsOf(verdict.correction));
  return steps;
}

/** The CLP loop (2100 and its 2110 lines) of one adjudicated claim. */
function claimLoop(claim: BilledClaim, adjudicated: Adjudicated, sign: 1 | -1, pcn: string, control: string): string[] {
  const charge = claim.lines.reduce((total, line) => total + line.charge, 0);
  const segments = [
    `CLP*${pcn}*${adjudicated.status}*${money(sign * charge)}*${money(sign * adjudicated.paid)}*` +
      `${money(sign * adjudicated.patient)}*${claim.filingIndicator === "MB" ? "MB" : "12"}*${control}*11*1`,
    "NM1*QC*1*PATIENT*SYNTHETIC****MI*MEMBER",
  ];
  for (const { line, paid, segments: lineSegments } of adjudicated.lines) {
    const procedure = [line.qualifier, line.code, ...line.modifiers].join(":");
    const units = line.units && line.units !== "1" ? `**${line.units}` : "";
    segments.push(`SVC*${procedure}*${money(sign * line.charge)}*${money(sign * paid)}${units}`);
    if (line.date) segments.push(`DTM*472*${line.date}`);
    segments.push(...lineSegments);
  }
  return segments;
}

/**
 * The 835 for claims of a batch, one payment: each claim named in `verdicts` (by our patient control number) is
 * adjudicated as told; claims without a verdict are left out.
 */
export function write835(
  batchX12: string,
  verdicts: Readonly<Record<string, PayerVerdict>>,
  options: RemittanceOptions,
): string {
  const facts = billed(batchX12);
  const control = options.control ?? 8001;
  const date = options.paymentDate ?? "20261130";
  const claimSegments: string[] = [];
  let total = 0;
  let lx = 0;
  for (const claim of facts.claims) {
    const verdict = verdicts[claim.patientControlNumber];
    if (!verdict) continue;
    const pcn = options.renamed?.[claim.patientControlNumber] ?? claim.patientControlNumber;
    const payerClaim = `P${claim.patientControlNumber}`;
    claimSegments.push(`LX*${++lx}`);
    for (const [step, sign] of stepsOf(verdict)) {
      const adjudicated = adjudicate(claim, step, sign);
      total += sign * adjudicated.paid;
      claimSegments.push(...claimLoop(claim, adjudicated, sign, pcn, payerClaim));
    }
  }
  const plb = (options.providerAdjustments ?? []).map(
    (each) => `PLB*${facts.providerNpi}*${date.slice(0, 4)}1231*${each.reason}:${each.reference}*${each.amount}`,
  );
  total -= (options.providerAdjustments ?? []).reduce((sum, each) => sum + cents(each.amount), 0);
  const body = [
    "ST*835*0001",
    total > 0
      ? `BPR*I*${money(total)}*C*CHK************${date}`
      : `BPR*H*${money(Math.max(total, 0))}*C*NON************${date}`,
    `TRN*1*${options.traceNumber}*1999999999`,
    `DTM*405*${date}`,
    `N1*PR*${facts.payerName}*XV*${facts.payerId}`,
    "N3*1 PAYER WAY",
    "N4*HARTFORD*CT*061010001",
    "PER*BL*PROVIDER SERVICES*TE*8005550100",
    `N1*PE*${facts.providerName}*XX*${facts.providerNpi}`,
    ...claimSegments,
    ...plb,
  ];
  body.push(`SE*${body.length + 1}*0001`);
  const isa13 = String(control).padStart(9, "0");
  const sender = "ZZ*PAYERSIM       *ZZ*CHARTROOM      ";
  const isa = `ISA*00*          *00*          *${sender}*261130*0900*^*00501*${isa13}*0*P*:`;
  const gs = `GS*HP*PAYERSIM*CHARTROOM*${date}*0900*${control}*X*005010X221A1`;
  return `${[isa, gs, ...body, `GE*1*${control}`, `IEA*1*${isa13}`].join("~\n")}~\n`;
}
