import { moneySign, sumMoney } from "../../shared/money.js";
import type { Adjustment, RemittedClaim, RemittedLine } from "./remittance.reader.js";

/*
 * What a payer's answer means for our claim, read from the CLP alone: its new status, the money it moves, and
 * which of our lines each SVC pays. Pure, so the rules are tested apart from the database.
 */

/** A claim's status after a posting: the statuses a remittance can give. */
export type PostedStatus = "PAID" | "PARTIALLY_PAID" | "DENIED";

/** CLP02 22: the payer takes back an earlier payment of the claim (with negated amounts). */
export const REVERSAL = "22";
/** CLP02 4: the payer denied the claim. */
const DENIED = "4";

/**
 * CARCs that lower what the payer pays without refusing the service: the fee schedule (45), sequestration (253),
 * deductible, coinsurance and copay (1, 2, 3), and what a prior payer paid (23). A line paid nothing for any other
 * reason was denied.
 */
export const REDUCTIONS = new Set(["1", "2", "3", "23", "45", "253"]);

const refuses = (adjustments: readonly Adjustment[]) =>
  adjustments.some((adjustment) => !REDUCTIONS.has(adjustment.reason) && moneySign(adjustment.amount) > 0);

/** A line the payer paid nothing for, for a reason other than a reduction: a denied line. */
export function lineDenied(line: RemittedLine): boolean {
  return moneySign(line.paid) === 0 && refuses(line.adjustments);
}

/**
 * DENIED when the payer says so (CLP02 4) or pays nothing and refuses something; PARTIALLY_PAID when it pays but
 * denies a line or refuses part at the claim level; PAID otherwise, including a claim paid nothing because it all
 * went to the deductible (the balance is the patient's).
 */
export function statusAfter(claim: RemittedClaim): PostedStatus {
  const deniedLines = claim.lines.filter(lineDenied).length;
  const refusedAnywhere = refuses(claim.adjustments) || claim.lines.some((line) => refuses(line.adjustments));
  if (claim.status === DENIED) return "DENIED";
  if (moneySign(claim.paid) === 0 && refusedAnywhere) return "DENIED";
  if (claim.lines.length > 0 && deniedLines === claim.lines.length) return "DENIED";
  if (deniedLines > 0 || refuses(claim.adjustments)) return "PARTIALLY_PAID";
  return "PAID";
}

/** Every CAS of the claim, its own and its lines'. */
export const allAdjustments = (claim: RemittedClaim): Adjustment[] => [
  ...claim.adjustments,
  ...claim.lines.flatMap((line) => line.adjustments),
];

/**
 * How a posting moves the claim's totals: paid, adjusted away, and the patient's share (PR). Only reductions
 * (fee schedule, sequestration, a prior payer's payment) of groups other than PR are adjusted away: what the payer
 * refused stays in the claim's balance until a biller works the denial (appeals it, corrects the claim, writes it
 * off or moves it to the patient), and a payment after an appeal is posted against it.
 */
export interface Movement {
  paid: string;
  adjusted: string;
  patientResponsibility: string;
}

export function movementOf(claim: RemittedClaim): Movement {
  const adjustments = allAdjustments(claim);
  const patient = adjustments.filter((adjustment) => adjustment.group === "PR").map((each) => each.amount);
  const reduced = adjustments
    .filter((adjustment) => adjustment.group !== "PR" && REDUCTIONS.has(adjustment.reason))
    .map((each) => each.amount);
  return { paid: claim.paid, adjusted: sumMoney(reduced), patientResponsibility: sumMoney(patient) };
}

/** Our claim line as a remittance line is matched to it. */
export interface LineToMatch {
  lineNumber: number;
  lineControlNumber: string;
  code: string;
  modifiers: readonly string[];
  serviceDate: string;
}

const sameModifiers = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Our line for each SVC, in order (null when none): by REF*6R line control number, else by code, modifiers and
 * date among lines not yet matched. A line is matched once.
 */
export function matchLines(remitted: readonly RemittedLine[], ours: readonly LineToMatch[]): (number | null)[] {
  const taken = new Set<number>();
  const take = (line: LineToMatch | undefined) => {
    if (!line) return null;
    taken.add(line.lineNumber);
    return line.lineNumber;
  };
  const byControl = remitted.map((line) =>
    take(ours.find((own) => !taken.has(own.lineNumber) && own.lineControlNumber === line.lineControlNumber)),
  );
  return remitted.map(
    (line, index) =>
      byControl[index] ??
      take(
        ours.find(
          (own) =>
            !taken.has(own.lineNumber) &&
            own.code === line.code &&
            sameModifiers(own.modifiers, line.modifiers) &&
            (line.serviceDate === null || line.serviceDate === own.serviceDate),
        ),
      ),
  );
}
