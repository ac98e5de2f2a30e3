import { type ClaimLoops, claimLoops, nameSegment } from "./claim.837p.loops.js";
import type { ClaimDocument } from "./claim.document.js";
import { segment, X12_SEPARATORS, X12Document, type X12Segments, type X12Size, X12Values } from "./x12.writer.js";

/*
 * Writes one 837P 005010X222A1 interchange for one payer: ISA / GS / one or more ST, each with BHT, submitter (1000A),
 * receiver (1000B) and its claims under HL loops (2000A billing provider, 2000B subscriber, 2000C patient). Pure: the
 * caller allocates control numbers and stores the result.
 */

/** The implementation guide's version, in GS08 and ST03. */
export const X12_837P_VERSION = "005010X222A1";
/** The guide recommends at most 5,000 claims (CLM) per transaction set; a larger batch gets more of them. */
export const CLAIMS_PER_TRANSACTION_SET = 5000;
/** Loop 2300 repeats at most 100 times under one subscriber or patient HL. */
const CLAIMS_PER_HL = 100;
const CONTROL_NUMBER_MAX = 999_999_999;

/** An interchange party: its id qualifier (ISA05/ISA07: ZZ mutually defined, 30 tax id, …) and id (≤ 15). */
export interface X12Party {
  qualifier: string;
  id: string;
}

/** Who sends to whom, when, and under which control numbers. */
export interface Envelope837p {
  /** ISA15: P production, T test. */
  usage: "P" | "T";
  /** ISA09/10, GS04/05 and BHT04/05, written in UTC. */
  createdAt: Date;
  /** ISA05/06 and GS02; its id is also the submitter's id in 1000A (NM109). */
  sender: X12Party;
  /** ISA07/08 and GS03; its id is also the receiver's id in 1000B (NM109). */
  receiver: X12Party & { name: string };
  /** 1000A: the submitter's name and EDI contact (PER*IC: a name, a telephone number, an email if any). */
  submitter: { name: string; contactName: string; phone: string; email: string | null };
  /** ISA13, from the organization's counter: never reused. Written as nine digits. */
  interchangeControlNumber: number;
  /** GS06, from the organization's counter. */
  groupControlNumber: number;
  /** ST02 of the first transaction set; the next ones count up from it. */
  firstTransactionSetControlNumber: number;
}

/** One transaction set of a batch and the claims in it: what a 999 (AK2) or 277CA names to accept or reject. */
export interface TransactionSet837p {
  /** ST02 as written. */
  controlNumber: string;
  /** BHT03 as written: the batch reference a 277CA echoes in its TRN. */
  reference: string;
  patientControlNumbers: string[];
}

/** A written interchange. */
export interface Batch837p {
  x12: string;
  /** ISA13 as written (nine digits). */
  interchangeControlNumber: string;
  /** GS06 as written. */
  groupControlNumber: string;
  transactionSets: TransactionSet837p[];
}

/** One thing that stops a batch from being written: which claim (null for the envelope), which field, why. */
export interface Claim837pProblem {
  patientControlNumber: string | null;
  field: string[];
  message: string;
}

/** A batch with at least one claim or envelope value an 837P cannot carry; nothing was written. */
export class Claim837pRefused extends Error {
  constructor(readonly problems: Claim837pProblem[]) {
    const first = problems[0]!;
    const where = first.patientControlNumber === null ? "envelope" : `claim ${first.patientControlNumber}`;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : "";
    super(`837P not written: ${where}: ${first.field.join(".")} ${first.message}${more}`);
    this.name = "Claim837pRefused";
  }
}

const SENDER_ID: X12Size = { min: 2, max: 15 };
const QUALIFIER: X12Size = { min: 2, max: 2 };
const NAME: X12Size = { max: 60 };
const COMMUNICATION_NUMBER: X12Size = { max: 256 };
const EMAIL: X12Size = { max: 256, optional: true };

/**
 * The 837P interchange for one payer's claims, and which claims went in which transaction set. Throws
 * Claim837pRefused, listing every problem, when any claim or envelope value cannot be written: a batch is never
 * written in part, and never corrupt.
 */
export function write837p(claims: readonly ClaimDocument[], envelope: Envelope837p): Batch837p {
  const { headers, problems } = envelopeValues(envelope, claims.length);
  const loops = claimsLoops(claims, problems);
  if (problems.length > 0) throw new Claim837pRefused(problems);

  const interchangeControlNumber = String(envelope.interchangeControlNumber).padStart(9, "0");
  const groupControlNumber = String(envelope.groupControlNumber);
  const x12 = new X12Document();
  x12.add(...headers.interchange);
  const transactionSets: TransactionSet837p[] = [];
  for (let start = 0; start < claims.length; start += CLAIMS_PER_TRANSACTION_SET) {
    const controlNumber = String(envelope.firstTransactionSetControlNumber + transactionSets.length).padStart(4, "0");
    const reference = `${interchangeControlNumber}${controlNumber}`;
    const first = x12.count;
    x12.add(
      segment("ST", "837", controlNumber, X12_837P_VERSION),
      segment("BHT", "0019", "00", reference, headers.date, headers.time, "CH"),
      ...headers.parties,
    );
    writeHierarchy(loops.slice(start, start + CLAIMS_PER_TRANSACTION_SET), x12);
    x12.add(segment("SE", `${x12.count - first + 1}`, controlNumber));
    const inSet = claims.slice(start, start + CLAIMS_PER_TRANSACTION_SET);
    transactionSets.push({ controlNumber, reference, patientControlNumbers: inSet.map((c) => c.patientControlNumber) });
  }
  x12.add(
    segment("GE", `${transactionSets.length}`, groupControlNumber),
    segment("IEA", "1", interchangeControlNumber),
  );
  return { x12: x12.toString(), interchangeControlNumber, groupControlNumber, transactionSets };
}

/** Each claim's loops; problems of every claim, plus claims of another payer and repeated control numbers. */
function claimsLoops(claims: readonly ClaimDocument[], problems: Claim837pProblem[]): ClaimLoops[] {
  const payerId = claims.find((claim) => claim.payer !== null)?.payer?.payerId;
  const seen = new Set<string>();
  return claims.map((claim) => {
    const pcn = claim.patientControlNumber;
    const written = claimLoops(claim);
    for (const problem of written.problems) problems.push({ patientControlNumber: pcn, ...problem });
    if (claim.payer !== null && claim.payer.payerId !== payerId) {
      const message = `is not this batch's payer (${payerId})`;
      problems.push({ patientControlNumber: pcn, field: ["payer", "payerId"], message });
    }
    if (seen.has(pcn)) {
      const message = "appears twice in this batch";
      problems.push({ patientControlNumber: pcn, field: ["patientControlNumber"], message });
    }
    seen.add(pcn);
    return written.loops;
  });
}

/** The envelope's segments and values, checked. */
function envelopeValues(envelope: Envelope837p, claimCount: number) {
  const values = new X12Values();
  const at = (field: string) => `envelope.${field}`;
  const { sender, receiver, submitter } = envelope;
  const senderId = values.id(sender.id, at("sender.id"), SENDER_ID);
  const receiverId = values.id(receiver.id, at("receiver.id"), SENDER_ID);
  const iso = envelope.createdAt.toISOString();
  const date = iso.slice(0, 10).replaceAll("-", "");
  const time = iso.slice(11, 16).replace(":", "");
  const lastSet = envelope.firstTransactionSetControlNumber + Math.ceil(claimCount / CLAIMS_PER_TRANSACTION_SET) - 1;
  controlNumber(values, envelope.interchangeControlNumber, at("interchangeControlNumber"));
  controlNumber(values, envelope.groupControlNumber, at("groupControlNumber"));
  controlNumber(values, envelope.firstTransactionSetControlNumber, at("firstTransactionSetControlNumber"));
  if (lastSet > CONTROL_NUMBER_MAX) {
    values.problem(at("firstTransactionSetControlNumber"), "leaves no room for every transaction set");
  }
  if (claimCount === 0) values.problem("claims", "is empty: an interchange needs at least one claim");
  // ISA carries the separators themselves, so it is joined by hand; its ids are padded to their fixed width.
  // biome-ignore format: the ISA's sixteen elements read best in rows
  const isa = [
    "ISA", "00", "".padEnd(10), "00", "".padEnd(10),
    values.id(sender.qualifier, at("sender.qualifier"), QUALIFIER), senderId.padEnd(15),
    values.id(receiver.qualifier, at("receiver.qualifier"), QUALIFIER), receiverId.padEnd(15),
    date.slice(2), time, X12_SEPARATORS.repetition, "00501", String(envelope.interchangeControlNumber).padStart(9, "0"),
    "0", envelope.usage, X12_SEPARATORS.component,
  ];
  const email = values.id(submitter.email, at("submitter.email"), EMAIL);
  const submitterName = values.text(submitter.name, at("submitter.name"), NAME);
  const contactName = values.text(submitter.contactName, at("submitter.contactName"), NAME);
  const phone = values.id(submitter.phone, at("submitter.phone"), COMMUNICATION_NUMBER);
  const receiverName = values.text(receiver.name, at("receiver.name"), NAME);
  const parties = [
    nameSegment("41", "2", submitterName, "", { qualifier: "46", value: senderId }),
    segment("PER", "IC", contactName, "TE", phone, email === "" ? "" : "EM", email),
    nameSegment("40", "2", receiverName, "", { qualifier: "46", value: receiverId }),
  ];
  const interchange = [
    isa.join(X12_SEPARATORS.element),
    segment("GS", "HC", senderId, receiverId, date, time, `${envelope.groupControlNumber}`, "X", X12_837P_VERSION),
  ];
  const problems: Claim837pProblem[] = values.problems.map((p) => ({ patientControlNumber: null, ...p }));
  return { headers: { interchange, parties, date, time }, problems };
}

function controlNumber(values: X12Values, value: number, field: string): void {
  if (!Number.isInteger(value) || value < 1 || value > CONTROL_NUMBER_MAX) {
    values.problem(field, `must be a whole number from 1 to ${CONTROL_NUMBER_MAX}`);
  }
}

/** A hierarchical level: its segments, the claims directly under it, and the levels beneath, found by content. */
interface Level {
  segments: X12Segments;
  claims: X12Segments[];
  children: Level[];
  byContent: Map<string, Level>;
}

const level = (segments: X12Segments): Level => ({ segments, claims: [], children: [], byContent: new Map() });

/**
 * The HL loops of one transaction set: claims of the same billing provider share a 2000A, claims of the same
 * subscriber (same SBR, name, ids and payer) a 2000B, claims of the same dependent patient a 2000C, in the order
 * first met; a level that reaches 100 claims is followed by a new one.
 */
function writeHierarchy(claims: ClaimLoops[], x12: X12Document): void {
  const root = level({ text: "", count: 0 });
  for (const loops of claims) {
    const provider = childOf(root, loops.billingProvider);
    const subscriber = childOf(provider, loops.subscriber, loops.patient === null);
    const holder = loops.patient === null ? subscriber : childOf(subscriber, loops.patient, true);
    holder.claims.push(loops.claim);
  }
  let hl = 0;
  for (const provider of root.children) {
    const providerHl = ++hl;
    x12.add(segment("HL", `${providerHl}`, "", "20", "1"));
    x12.addSegments(provider.segments);
    for (const subscriber of provider.children) {
      const subscriberHl = ++hl;
      x12.add(segment("HL", `${subscriberHl}`, `${providerHl}`, "22", subscriber.children.length > 0 ? "1" : "0"));
      x12.addSegments(subscriber.segments);
      for (const claim of subscriber.claims) x12.addSegments(claim);
      for (const patient of subscriber.children) {
        x12.add(segment("HL", `${++hl}`, `${subscriberHl}`, "23", "0"));
        x12.addSegments(patient.segments);
        for (const claim of patient.claims) x12.addSegments(claim);
      }
    }
  }
}

function childOf(parent: Level, segments: X12Segments, holdsClaims = false): Level {
  let child = parent.byContent.get(segments.text);
  if (child === undefined || (holdsClaims && child.claims.length >= CLAIMS_PER_HL)) {
    child = level(segments);
    parent.children.push(child);
    parent.byContent.set(segments.text, child);
  }
  return child;
}
