/*
 * Glossary.
 *   835 / remittance  health care claim payment/advice (005010X221A1): what a payer paid, claim by claim and line
 *                  by line, and why it did not pay the rest
 *   payment        one transaction set: BPR (amount, method, date) and TRN (trace number, payer id)
 *   CARC           claim adjustment reason code (CAS02, 05, 08…), in a group: CO contractual, PR patient
 *                  responsibility, OA other, PI payer initiated
 *   RARC           remittance advice remark code (MOA, MIA, LQ*HE): the payer's explanation of an adjustment
 *   PLB            provider level adjustment: money taken or given to the provider outside any claim (L6 interest,
 *                  WO overpayment recovery, FB forwarding balance), with its reference
 */

import { subtractMoney, sumMoney } from "../../shared/money.js";
import {
  components,
  describeLocation,
  element,
  locate,
  malformed,
  readAmount,
  readDate,
  readX12,
  required,
  X12Error,
  type X12Location,
  type X12Segment,
  type X12TransactionSet,
} from "../claims/index.js";

/** One CAS adjustment: group, reason and amount; quantity when given. */
export interface Adjustment {
  /** CAS01: CO, PR, OA, PI (CR in older files). */
  group: string;
  /** The CARC. */
  reason: string;
  /** Two decimals; negative undoes an adjustment. */
  amount: string;
  quantity: string | null;
}

/** One SVC with what follows it up to the next SVC or CLP. */
export interface RemittedLine {
  /** SVC01-1: HC (HCPCS/CPT) and others. */
  qualifier: string;
  code: string;
  modifiers: string[];
  charge: string;
  paid: string;
  /** SVC05, default one unit. */
  units: string;
  /** DTM*472, or DTM*150 when the line spans days. */
  serviceDate: string | null;
  /** REF*6R: our line item control number, sent in the 837's REF*6R. */
  lineControlNumber: string | null;
  adjustments: Adjustment[];
  /** LQ*HE: RARCs for the line. */
  remarks: string[];
  /** Where the SVC is, for messages. */
  location: X12Location;
}

/** One CLP with its adjustments, remarks and lines. */
export interface RemittedClaim {
  /** CLP01: our patient control number, as sent in CLM01. */
  patientControlNumber: string;
  /** CLP02: 1 primary, 2 secondary, 3 tertiary, 4 denied, 22 reversal… */
  status: string;
  charge: string;
  paid: string;
  patientResponsibility: string | null;
  /** CLP07: the payer's claim control number. */
  payerClaimControlNumber: string | null;
  /** Claim-level CAS. */
  adjustments: Adjustment[];
  /** MOA and MIA remark codes (RARCs). */
  remarks: string[];
  lines: RemittedLine[];
  location: X12Location;
}

/** One PLB adjustment: a reason with its reference, and the amount (positive takes money back from us). */
export interface ProviderAdjustment {
  /** PLB01: the provider identifier the payer used. */
  providerId: string;
  /** PLB02, CCYY-MM-DD: end of the provider's fiscal period. */
  fiscalPeriodEnd: string | null;
  /** PLB03-1: L6 interest, WO overpayment recovery, FB forwarding balance, CV capitation… */
  reason: string;
  /** PLB03-2. */
  reference: string | null;
  amount: string;
  location: X12Location;
}

/** One payment: one 835 transaction set. */
export interface RemittedPayment {
  /** BPR02, two decimals. */
  amount: string;
  /** BPR01: I remittance information only, C payment with it, H notification, D debit, P prenotification. */
  handling: string;
  /** BPR04: ACH, CHK, FWT, BOP, NON. */
  method: string;
  /** BPR16, CCYY-MM-DD. */
  paymentDate: string | null;
  /** TRN02: the check or EFT trace number. */
  traceNumber: string;
  /** TRN03: the payer's id (1 + EIN, usually). */
  payerId: string;
  payerName: string;
  /** The payer's id as the 837 named it (NM1*PR): N1*PR04 with XV, or REF*2U. */
  payerIdentification: string | null;
  payeeName: string;
  /** N1*PE identifier (NPI with XX, tax id with FI). */
  payeeId: string | null;
  claims: RemittedClaim[];
  providerAdjustments: ProviderAdjustment[];
  location: X12Location;
}

/** A read 835: its sender and the payments it holds. */
export interface Remittance {
  senderId: string;
  controlNumber: string;
  payments: RemittedPayment[];
}

/** An 835 whose amounts do not add up: where, and the amounts that disagree. Never forced to balance. */
export class UnbalancedRemittance extends X12Error {
  constructor(
    message: string,
    location: X12Location,
    readonly expected: string,
    readonly actual: string,
  ) {
    super("X12_MALFORMED", message, location);
    this.name = "UnbalancedRemittance";
  }
}

/** Reads the CAS segment's up to six reason/amount/quantity triplets. */
function readAdjustments(segment: X12Segment): Adjustment[] {
  const group = required(segment, 1);
  const adjustments: Adjustment[] = [];
  for (let reasonAt = 2; reasonAt <= 17; reasonAt += 3) {
    const reason = element(segment, reasonAt);
    if (reason === "") continue;
    const amount = readAmount(segment, reasonAt + 1);
    if (amount === null) throw malformed(segment, "has a reason without an amount.", reasonAt + 1);
    const quantity = element(segment, reasonAt + 2);
    if (quantity !== "" && !/^-?\d+(\.\d+)?$/.test(quantity)) {
      throw malformed(segment, `"${quantity}" is not a quantity.`, reasonAt + 2);
    }
    adjustments.push({ group, reason, amount, quantity: quantity || null });
  }
  return adjustments;
}

const amountOf = (segment: X12Segment, index: number): string => {
  const amount = readAmount(segment, index);
  if (amount === null) throw malformed(segment, "is required and empty.", index);
  return amount;
};

/** Remark codes in the MOA (03–07) or MIA (05, 20–24) elements that hold them. */
const remarksOf = (segment: X12Segment, indexes: number[]): string[] =>
  indexes.map((index) => element(segment, index)).filter((code) => code !== "");

/**
 * SVC01 is a composite (HC:99213:25). Some payers write the qualifier and the code as two elements (SVC*HC*99213*…),
 * which moves every amount one place right: read so when SVC01 is a bare qualifier, SVC06 being otherwise unused
 * in that position, and let balancing judge the reading.
 */
function readLine(segment: X12Segment): RemittedLine {
  const procedure = components(segment, 1);
  const split = procedure.length === 1 && element(segment, 7) === "" && /^[A-Z]{2}$/.test(procedure[0] ?? "");
  const at = (index: number) => (split ? index + 1 : index);
  const code = split ? element(segment, 2) : (procedure[1] ?? "");
  const units = element(segment, at(5));
  if (units !== "" && !/^\d+(\.\d+)?$/.test(units)) throw malformed(segment, `"${units}" is not a count.`, at(5));
  return {
    qualifier: procedure[0] ?? "",
    code,
    modifiers: split ? [] : procedure.slice(2, 6).filter((modifier) => modifier !== ""),
    charge: amountOf(segment, at(2)),
    paid: amountOf(segment, at(3)),
    units: units || "1",
    serviceDate: null,
    lineControlNumber: null,
    adjustments: [],
    remarks: [],
    location: locate(segment),
  };
}

function readClaim(segment: X12Segment): RemittedClaim {
  return {
    patientControlNumber: required(segment, 1),
    status: required(segment, 2),
    charge: amountOf(segment, 3),
    paid: amountOf(segment, 4),
    patientResponsibility: readAmount(segment, 5),
    payerClaimControlNumber: element(segment, 7) || null,
    adjustments: [],
    remarks: [],
    lines: [],
    location: locate(segment),
  };
}

/**
 * BPR16, the date the money moves. Payers send days that do not exist (20002316 in a shipped sample); the date
 * only informs, so such a day is read as none rather than refusing the payment.
 */
function effectiveDate(bpr: X12Segment): string | null {
  try {
    return readDate(bpr, 16);
  } catch (error) {
    if (error instanceof X12Error) return null;
    throw error;
  }
}

/** Reads one 835 transaction set: header, claims (2100), lines (2110) and PLB. */
function readPayment(set: X12TransactionSet): RemittedPayment {
  const bpr = set.segments.find((segment) => segment.id === "BPR");
  const trn = set.segments.find((segment) => segment.id === "TRN");
  if (!bpr || !trn) throw malformed(set.header, "An 835 needs a BPR and a TRN segment.");
  const payment: RemittedPayment = {
    amount: amountOf(bpr, 2),
    handling: required(bpr, 1),
    method: element(bpr, 4),
    paymentDate: effectiveDate(bpr),
    traceNumber: required(trn, 2),
    payerId: element(trn, 3),
    payerName: "",
    payerIdentification: null,
    payeeName: "",
    payeeId: null,
    claims: [],
    providerAdjustments: [],
    location: locate(set.header),
  };
  let claim: RemittedClaim | null = null;
  let line: RemittedLine | null = null;
  for (const segment of set.segments) {
    switch (segment.id) {
      case "N1":
        if (element(segment, 1) === "PR") {
          payment.payerName = element(segment, 2);
          payment.payerIdentification = element(segment, 4) || null;
        }
        if (element(segment, 1) === "PE") {
          payment.payeeName = element(segment, 2);
          payment.payeeId = element(segment, 4) || null;
        }
        break;
      case "CLP":
        claim = readClaim(segment);
        line = null;
        payment.claims.push(claim);
        break;
      case "SVC":
        if (!claim) throw malformed(segment, "comes before any CLP.");
        line = readLine(segment);
        claim.lines.push(line);
        break;
      case "CAS":
        if (!claim) throw malformed(segment, "comes before any CLP.");
        (line ?? claim).adjustments.push(...readAdjustments(segment));
        break;
      case "MOA":
        if (claim && !line) claim.remarks.push(...remarksOf(segment, [3, 4, 5, 6, 7]));
        break;
      case "MIA":
        if (claim && !line) claim.remarks.push(...remarksOf(segment, [5, 20, 21, 22, 23, 24]));
        break;
      case "LQ":
        if (line && element(segment, 1) === "HE") line.remarks.push(required(segment, 2));
        break;
      case "DTM":
        if (line && ["472", "150"].includes(element(segment, 1))) {
          line.serviceDate ??= readDate(segment, 2);
        }
        break;
      case "REF":
        if (line && element(segment, 1) === "6R") line.lineControlNumber = required(segment, 2);
        if (!claim && element(segment, 1) === "2U") payment.payerIdentification ??= required(segment, 2);
        break;
      case "PLB":
        claim = null;
        line = null;
        payment.providerAdjustments.push(...readProviderAdjustments(segment));
        break;
    }
  }
  return payment;
}

/** PLB03/04 … PLB13/14: up to six reason:reference / amount pairs. */
function readProviderAdjustments(segment: X12Segment): ProviderAdjustment[] {
  const adjustments: ProviderAdjustment[] = [];
  for (let at = 3; at <= 13; at += 2) {
    const [reason = "", reference = ""] = components(segment, at);
    if (reason === "") continue;
    adjustments.push({
      providerId: required(segment, 1),
      fiscalPeriodEnd: readDate(segment, 2),
      reason,
      reference: reference || null,
      amount: amountOf(segment, at + 1),
      location: locate(segment),
    });
  }
  return adjustments;
}

const total = (adjustments: readonly Adjustment[]): string => sumMoney(adjustments.map((each) => each.amount));

function refuse(where: X12Location, what: string, expected: string, actual: string): never {
  throw new UnbalancedRemittance(`${describeLocation(where)}: ${what}`, where, expected, actual);
}

/**
 * The guide's balancing rules, checked before anything is posted: per line charge − adjustments = paid; per
 * claim charge − claim and line adjustments = paid; per payment BPR02 = Σ CLP04 − Σ PLB amounts.
 */
export function checkBalance(payment: RemittedPayment): void {
  for (const claim of payment.claims) {
    for (const line of claim.lines) {
      const owed = subtractMoney(line.charge, total(line.adjustments));
      if (owed !== line.paid) {
        refuse(
          line.location,
          `claim ${claim.patientControlNumber}, line ${line.code || line.qualifier}: charge ${line.charge} − ` +
            `adjustments ${total(line.adjustments)} = ${owed}, but ${line.paid} is paid.`,
          owed,
          line.paid,
        );
      }
    }
    const adjusted = sumMoney([total(claim.adjustments), ...claim.lines.map((line) => total(line.adjustments))]);
    const owed = subtractMoney(claim.charge, adjusted);
    if (owed !== claim.paid) {
      refuse(
        claim.location,
        `claim ${claim.patientControlNumber}: charge ${claim.charge} − adjustments ${adjusted} = ${owed}, ` +
          `but ${claim.paid} is paid.`,
        owed,
        claim.paid,
      );
    }
  }
  const paid = sumMoney(payment.claims.map((claim) => claim.paid));
  const taken = sumMoney(payment.providerAdjustments.map((each) => each.amount));
  const expected = subtractMoney(paid, taken);
  if (expected !== payment.amount) {
    refuse(
      payment.location,
      `payment ${payment.traceNumber}: claims paid ${paid} − provider adjustments ${taken} = ${expected}, ` +
        `but BPR02 is ${payment.amount}.`,
      expected,
      payment.amount,
    );
  }
}

/** Who paid, for "the same payment": the payer's TRN03 id, else its name (N1*PR02). */
export const payerKeyOf = (payment: Pick<RemittedPayment, "payerId" | "payerName">): string =>
  payment.payerId || payment.payerName;

/** A payment's exactly-once key: who paid (payerKeyOf) and the trace number. */
export interface PaymentKey {
  payer: string;
  traceNumber: string;
}

/**
 * The payments' keys of an 835 read before, without reading it again: the first TRN and the N1*PR of each
 * transaction set, in file order, by the separators of its ISA. Only for a file whose very bytes were read and
 * checked before (the caller matches its content hash), so its envelopes and amounts need no second look.
 */
export function keysOfReadFile(text: string): PaymentKey[] {
  const body = text.slice(text.search(/[^\s\uFEFF]/)).replace(/\r\n/g, "\n");
  const [elementSeparator, componentSeparator, terminator] = [body[3]!, body[104]!, body[105]!];
  // As x12-parser's Segment cleans each component: line breaks dropped, spaces trimmed.
  const first = (raw: string | undefined) => (raw ?? "").split(componentSeparator)[0]!.replace(/\n/g, "").trim();
  const keys: PaymentKey[] = [];
  let set: { payerId: string; payerName: string; traceNumber: string | null } | null = null;
  for (const raw of body.split(terminator)) {
    const segment = raw.trimStart();
    const id = segment.slice(0, segment.indexOf(elementSeparator)).trim();
    if (id !== "ST" && id !== "TRN" && id !== "N1" && id !== "SE") continue;
    const elements = segment.split(elementSeparator);
    if (id === "ST") set = { payerId: "", payerName: "", traceNumber: null };
    else if (!set) continue;
    else if (id === "TRN" && set.traceNumber === null) {
      set.traceNumber = first(elements[2]);
      set.payerId = first(elements[3]);
    } else if (id === "N1" && first(elements[1]) === "PR") set.payerName = first(elements[2]);
    else if (id === "SE") {
      keys.push({ payer: payerKeyOf(set), traceNumber: set.traceNumber ?? "" });
      set = null;
    }
  }
  return keys;
}

/**
 * Reads an 835 (005010X221A1) and checks that every line, claim and payment balances. Throws X12Error
 * (UnbalancedRemittance for amounts that do not add up) saying where.
 */
export async function readRemittance(text: string): Promise<Remittance> {
  const interchange = await readX12(text);
  const sets = interchange.groups.flatMap((group) => group.transactionSets);
  if (sets.length === 0) {
    throw new X12Error("X12_MALFORMED", "The interchange holds no 835: nothing to post.", {
      segment: 1,
      segmentId: "ISA",
    });
  }
  const other = sets.find((set) => set.id !== "835");
  if (other) {
    throw new X12Error(
      "X12_WRONG_TRANSACTION",
      `The transaction set at segment ${other.header.position} is a ${other.id}, not an 835 remittance.`,
      locate(other.header, 1),
    );
  }
  const payments = sets.map(readPayment);
  payments.forEach(checkBalance);
  return { senderId: interchange.header.senderId, controlNumber: interchange.header.controlNumber, payments };
}
