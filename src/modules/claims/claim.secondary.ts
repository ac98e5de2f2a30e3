import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import type { Database } from "../../db/client.js";
import { moneySign } from "../../shared/money.js";
import { RELATIONSHIP } from "./claim.assemble.js";
import type { PrimaryAdjudication } from "./claim.document.js";
import { claimParties, primaryCoverageOn, SECONDARY_PRIORITY } from "./claim.parties.store.js";
import { openClaim } from "./claim.service.js";
import { type ClaimRow, encounterTypeOfClaim, linesOfClaims, secondariesOfClaims } from "./claim.store.js";

/*
 * Secondary claims: when the primary payer's 835 leaves a balance and the patient has a second coverage (priority 2)
 * in force on the date of service, the balance is billed to it on a new claim that carries the primary's
 * adjudication as the other payer's (837P 2320, 2330A/B, 2430; SBR01 S). Remittance posting calls this inside the
 * transaction that posts the payment; it passes plain data, so claims never reads remittance.
 */

/** What the primary payer's posted 835 said of the claim: the adjudication without who paid and for whom. */
export type PrimaryPayment = Omit<PrimaryAdjudication, "payer" | "subscriber"> & {
  /** CLP07: the primary payer's claim control number, when it gave one. */
  payerClaimControlNumber: string | null;
};

/**
 * Bills what the primary's payment left to the patient (PR: deductible, coinsurance, copay) to the patient's
 * secondary coverage, inside the caller's transaction: the new claim is scrubbed and routed like any new claim.
 * Nothing when the claim is itself a secondary, the primary denied it (a denial is worked in Denials first: appeal,
 * correct or write off), the patient was left nothing, there is no secondary coverage (or it is self-pay), or a
 * secondary claim not voided bills it already.
 */
export async function billSecondary(
  tx: Database,
  ctx: RequestContext,
  primary: ClaimRow,
  payment: PrimaryPayment,
): Promise<ClaimRow | null> {
  if (primary.primaryClaimId !== null || primary.status === "DENIED") return null;
  const balance = primary.patientResponsibility;
  if (moneySign(balance) <= 0) return null;
  const scope = actorOf(ctx).scope;
  const [secondary, existing, parties, lines, encounterType] = await Promise.all([
    primaryCoverageOn(tx, scope, primary.patientId, primary.serviceDate, SECONDARY_PRIORITY),
    secondariesOfClaims(tx, scope, [primary.id]),
    claimParties(tx, scope, [primary]),
    linesOfClaims(tx, scope, [primary.id]),
    encounterTypeOfClaim(tx, scope, primary.id),
  ]);
  if (!secondary || secondary.payer.kind === "SELF_PAY" || !encounterType) return null;
  if (existing.some((claim) => claim.status !== "VOID")) return null;
  const { coverage, payer, patient } = parties.get(primary.id)!;
  // A claim the payer paid was billed to a coverage and payer; without them there is no other payer to name.
  if (!coverage || !payer) return null;
  const self = coverage.subscriberRelation === "SELF";
  const { payerClaimControlNumber, ...adjudication } = payment;
  const primaryAdjudication: PrimaryAdjudication = {
    ...adjudication,
    payer: { name: payer.name, payerId: payer.payerId, kind: payer.kind, claimControlNumber: payerClaimControlNumber },
    subscriber: {
      firstName: self ? patient.firstName : (coverage.subscriberFirstName ?? ""),
      lastName: self ? patient.lastName : (coverage.subscriberLastName ?? ""),
      memberId: coverage.memberId,
      groupNumber: coverage.groupNumber,
      relationshipToPatient: RELATIONSHIP[coverage.subscriberRelation],
    },
  };
  return openClaim(tx, ctx, {
    values: {
      encounterId: primary.encounterId,
      facilityId: primary.facilityId,
      patientId: primary.patientId,
      coverageId: secondary.coverage.id,
      payerId: secondary.payer.id,
      renderingProviderId: primary.renderingProviderId,
      referringProviderId: primary.referringProviderId,
      primaryClaimId: primary.id,
      primaryAdjudication,
      placeOfService: primary.placeOfService,
      serviceDate: primary.serviceDate,
      diagnoses: primary.diagnoses,
    },
    lines: (patientControlNumber) =>
      lines.map(({ orgId: _org, claimId: _claim, paidAmount: _paid, ...line }) => ({
        ...line,
        lineControlNumber: `${patientControlNumber}-${line.lineNumber}`,
      })),
    encounterType,
    reason:
      `Secondary claim to ${secondary.payer.name} for the ${balance} that ${payer.name} left on claim ` +
      `${primary.patientControlNumber} (paid ${payment.paid} on ${payment.adjudicatedOn}).`,
  });
}
