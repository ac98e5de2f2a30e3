import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { conflict, type Outcome, ok } from "../../shared/errors.js";
import { auditChange } from "../audit/index.js";
import { requireRole } from "../auth/index.js";
import { withEvents } from "../events/index.js";
import { finishClaimWork } from "../work/index.js";
import { BILLING_ROLES, claimOf, openClaim, recordStatus } from "./claim.service.js";
import {
  type ClaimRow,
  type ClaimStatus,
  claimForUpdate,
  correctionsOfClaims,
  linesOfClaims,
  updateClaim,
} from "./claim.store.js";

/*
 * Corrections of a claim the payer has: a replacement (frequency 7) that takes its place with the
 * payer, or a void (8) that cancels it. Both are new claims carrying the payer's claim control number
 * (REF*F8) and linked to the claim they correct; they are scrubbed, worked and submitted like any other.
 */

/** Statuses of a claim the payer took in, denied ones included: it can be replaced or voided. */
const WITH_PAYER: readonly ClaimStatus[] = ["ACCEPTED", "PAID", "PARTIALLY_PAID", "DENIED", "APPEALED"];

/** The claim locked, with the payer and not already being corrected. */
async function correctable(ctx: RequestContext, claimId: string, action: string): Promise<ClaimRow> {
  const actor = actorOf(ctx);
  const found = await claimOf(ctx, claimId);
  if (!WITH_PAYER.includes(found.status))
    throw conflict(
      `Only a claim the payer has accepted can be ${action}; this one is ${found.status}` +
        (found.status === "REJECTED" || found.status === "READY" ? ": correct it and submit it again." : "."),
    );
  const claim = (await claimForUpdate(ctx.db, actor.scope, found.id))!;
  if (!claim.payerClaimControlNumber)
    throw conflict("The payer's claim control number of this claim is not known yet: it is needed on REF*F8.");
  const pending = (await correctionsOfClaims(ctx.db, actor.scope, [claim.id])).find(
    (correction) => correction.status !== "VOID",
  );
  if (pending)
    throw conflict(`Claim ${pending.patientControlNumber} already corrects this claim: work that one instead.`);
  return claim;
}

/** A replacement or void of `original`, with its lines, in one transaction. */
async function correction(ctx: RequestContext, claimId: string, frequencyCode: "7" | "8"): Promise<Outcome<ClaimRow>> {
  const actor = actorOf(ctx);
  const action = frequencyCode === "7" ? "replaced" : "voided";
  requireRole(actor, BILLING_ROLES, `correct claims the payer has`);
  const checked = await correctable(ctx, claimId, action);
  const encounter = await ctx.loaders.encounter.load(checked.encounterId);
  if (!encounter) throw conflict("This claim's encounter is not visible to you.");
  return withEvents(ctx, async (tx) => {
    const original = (await claimForUpdate(tx, actor.scope, checked.id))!;
    if (original.version !== checked.version) throw conflict("The claim changed meanwhile: read it again.");
    const lines = await linesOfClaims(tx, actor.scope, [original.id]);
    const what = frequencyCode === "7" ? "Replacement" : "Void";
    const claim = await openClaim(tx, ctx, {
      values: {
        encounterId: original.encounterId,
        facilityId: original.facilityId,
        patientId: original.patientId,
        coverageId: original.coverageId,
        payerId: original.payerId,
        renderingProviderId: original.renderingProviderId,
        referringProviderId: original.referringProviderId,
        frequencyCode,
        payerClaimControlNumber: original.payerClaimControlNumber,
        replacesClaimId: original.id,
        placeOfService: original.placeOfService,
        serviceDate: original.serviceDate,
        diagnoses: original.diagnoses,
      },
      lines: (patientControlNumber) =>
        lines.map(({ orgId: _org, claimId: _claim, paidAmount: _paid, ...line }) => ({
          ...line,
          lineControlNumber: `${patientControlNumber}-${line.lineNumber}`,
        })),
      encounterType: encounter.type,
      reason: `${what} of claim ${original.patientControlNumber} (payer's number ${original.payerClaimControlNumber}).`,
    });
    // The original's history says what corrects it; a void cancels it with the payer, so it is VOID.
    const after = (await updateClaim(tx, actor.scope, original.id, original.version, {
      ...(frequencyCode === "8" ? { status: "VOID" as const } : {}),
    }))!;
    const note = `${what} claim ${claim.patientControlNumber} created.`;
    await recordStatus(tx, ctx, original, after, note, { always: true });
    // A denied claim corrected (or voided) is a denial worked: its DENIAL work ends with it.
    await finishClaimWork(tx, ctx, original.id, ["DENIAL"], note);
    await auditChange(tx, ctx, frequencyCode === "7" ? "claim.replace" : "claim.void", "Claim", [
      original.id,
      claim.id,
    ]);
    return ok(claim);
  });
}

export function createReplacementClaim(ctx: RequestContext, input: { claimId: string }): Promise<Outcome<ClaimRow>> {
  return correction(ctx, input.claimId, "7");
}

export function voidClaim(ctx: RequestContext, input: { claimId: string }): Promise<Outcome<ClaimRow>> {
  return correction(ctx, input.claimId, "8");
}
