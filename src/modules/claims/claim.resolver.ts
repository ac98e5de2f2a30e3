import {
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  registerEnumType,
  Subscription,
} from "type-graphql";
import { forDelivery, type RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { kindsOf } from "../../graphql/enums.js";
import { payload } from "../../graphql/payload.js";
import { toConnection, UserError } from "../../graphql/relay.js";
import { required } from "../../graphql/required.js";
import { DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";
import { notFound } from "../../shared/errors.js";
import { toGlobalId, uuidOf } from "../../shared/ids.js";
import { subtractMoney } from "../../shared/money.js";
import { type CodeEdit, CodeEditType } from "../edits/index.js";
import type { EncounterRow } from "../encounters/index.js";
import { Encounter, EncounterRefInput } from "../encounters/index.js";
import { type Delivery, eventCursor } from "../events/index.js";
import type { FacilityRow, PayerRow, ProviderRow } from "../organizations/index.js";
import { Facility, Payer, Provider } from "../organizations/index.js";
import type { PatientRow } from "../patients/index.js";
import { Patient } from "../patients/index.js";
import * as corrections from "./claim.corrections.js";
import { CLAIM_EVENT_TYPES, type ClaimEventType, claimEvents, payloadOf } from "./claim.events.js";
import {
  ClaimFilter,
  ClaimRefInput,
  ClaimVersionInput,
  CorrectClaimInput,
  ReturnToCodingInput,
} from "./claim.inputs.js";
import * as replacements from "./claim.replacements.js";
import * as claims from "./claim.service.js";
import type { ClaimLineRow, ClaimRow, ClaimStatusChangeRow } from "./claim.store.js";
import { Claim, ClaimConnection, ClaimLine, ClaimStatusChange } from "./claim.type.js";

const BILLERS = claims.BILLING_ROLES;

@ObjectType({ description: "Result of a claim mutation." })
export class ClaimPayload {
  @Field(() => Claim, { nullable: true, description: "The claim; null when userErrors is not empty." })
  claim!: ClaimRow | null;

  @Field(() => [UserError], {
    description:
      "What to fix; empty on success. For markClaimReady, the claim's ERROR edits (code and field as in `issues`).",
  })
  userErrors!: UserError[];
}

/** `ClaimEvent.kind`: the event types as an enum, for clients that generate types from the schema. */
export const ClaimEventKindEnum = kindsOf(CLAIM_EVENT_TYPES);
registerEnumType(ClaimEventKindEnum, {
  name: "ClaimEventKind",
  description: "What happened to a claim: `ClaimEvent.kind`.",
  valuesConfig: {
    CREATED: { description: "Built from a coded encounter, by hand, or as a replacement, void or secondary claim." },
    STATUS_CHANGED: { description: "Its status moved: `claim.status` says where it stands now." },
    CHANGED: { description: "Lines, numbers or scrubber edits changed; the status did not." },
  },
});

@ObjectType({ description: "One change of a claim, as claimEvents delivers it." })
export class ClaimEvent {
  @Field(() => String, { description: "Pass it as `after` when subscribing again to resume right after this event." })
  cursor!: string;

  @Field(() => String, {
    description:
      "What happened: created, status_changed (see `claim.status`) or changed (lines, scrub, numbers); " +
      "`kind` says the same as an enum.",
  })
  type!: string;

  @Field(() => ClaimEventKindEnum, { description: "What happened: `type` as an enum, for generated client types." })
  kind!: Uppercase<ClaimEventType>;

  @Field(() => DateTimeScalar, { description: "When the change was made." })
  at!: Date;

  @Field(() => Claim, { description: "The claim as it is now, when the event is delivered." })
  claim!: ClaimRow;
}

@Resolver(() => Claim)
export class ClaimResolver {
  @Roles()
  @Query(() => ClaimConnection, { description: "Claims of the caller's facilities, newest first." })
  async claims(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => ClaimFilter, { nullable: true, description: "Status, payer, encounter." })
    filter?: ClaimFilter,
    @Arg("first", () => Int, { nullable: true, description: "Page size: default 20, at most 100." }) first?: number,
    @Arg("after", () => String, { nullable: true, description: "Cursor from a previous page's `endCursor`." })
    after?: string,
  ) {
    const search = {
      status: filter?.status ?? null,
      payerId: filter?.payerId ? idOrMissing(filter.payerId, "Payer", "filter.payerId") : null,
      encounterId: filter?.encounterId ? idOrMissing(filter.encounterId, "Encounter", "filter.encounterId") : null,
    };
    return toConnection(await claims.listClaims(ctx, search, first, after));
  }

  @Roles()
  @Query(() => Claim, {
    nullable: true,
    description: "One claim; null when it does not exist or is outside the caller's facilities.",
  })
  claim(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID, { description: "Claim id." }) id: string,
  ): Promise<ClaimRow | null> {
    const claimId = uuidOf(id, "Claim");
    return claimId ? ctx.loaders.claim.load(claimId) : Promise.resolve(null);
  }

  @Roles(...BILLERS)
  @Mutation(() => ClaimPayload, {
    description:
      "Builds, scrubs and routes the claim of a READY_TO_BILL encounter by hand: for one whose claim was never " +
      "built (self-pay until a coverage was found) or whose claims were all voided. CONFLICT when the encounter is " +
      "not READY_TO_BILL or already has a claim that is not voided; userErrors SELF_PAY when its coverage is " +
      "still self-pay.",
  })
  async createClaimFromEncounter(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => EncounterRefInput, { description: "The encounter, and optionally its version last read." })
    input: EncounterRefInput,
  ) {
    return payload("claim", await claims.createClaimFromEncounter(ctx, input));
  }

  @Roles(...BILLERS)
  @Mutation(() => ClaimPayload, {
    description:
      "Runs the scrubber on a claim not yet sent (after a coverage or provider fix, say): `issues` are renewed, " +
      "the coverage billed is read again, and a claim with ERROR edits is NEEDS_REVIEW, a clean one DRAFT.",
  })
  async scrubClaim(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ClaimRefInput, { description: "The claim." }) input: ClaimRefInput,
  ) {
    return payload("claim", await claims.scrubClaim(ctx, input));
  }

  @Roles(...BILLERS)
  @Mutation(() => ClaimPayload, {
    description:
      "A biller marks a claim with no ERROR edits READY for submission; the claim is scrubbed again first and the " +
      "ERROR edits come back as userErrors. The caller must hold the claim's CLAIM_EDIT or BILLING work " +
      "(claimNextWorkItem), which is finished with it.",
  })
  async markClaimReady(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ClaimVersionInput, { description: "The claim at the version last read." })
    input: ClaimVersionInput,
  ) {
    return payload("claim", await claims.markClaimReady(ctx, input));
  }

  @Roles(...BILLERS)
  @Mutation(() => ClaimPayload, {
    description:
      "A biller corrects lines of a claim not yet sent (modifiers, units, charge, diagnosis pointers); the total " +
      "follows and the claim is scrubbed again: NEEDS_REVIEW while ERROR edits remain, DRAFT once clean. Billers " +
      "must hold the claim's CLAIM_EDIT or BILLING work; supervisors may correct any claim of their facilities.",
  })
  async correctClaim(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => CorrectClaimInput, { description: "The claim and its line corrections." })
    input: CorrectClaimInput,
  ) {
    return payload("claim", await corrections.correctClaim(ctx, input));
  }

  @Roles(...BILLERS)
  @Mutation(() => ClaimPayload, {
    description:
      "Sends a claim's encounter back to coding, with the reason, when a diagnosis or procedure code is wrong " +
      "(codes are the coder's to change). In one transaction: the claim (never sent) is VOID, the caller's " +
      "CLAIM_EDIT or BILLING work on it is DONE, and the encounter is READY_FOR_CODING with coding work whose " +
      "history carries the reason. Completing the coding again builds a new claim.",
  })
  async returnToCoding(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ReturnToCodingInput, { description: "The claim, its version and why." })
    input: ReturnToCodingInput,
  ) {
    return payload("claim", await corrections.returnToCoding(ctx, input));
  }

  @Roles(...BILLERS)
  @Mutation(() => ClaimPayload, {
    description:
      "A replacement claim (frequency 7) of a claim the payer has accepted (ACCEPTED, PAID, PARTIALLY_PAID, DENIED " +
      "or APPEALED), carrying the payer's claim control number (REF*F8) and the original's lines to correct " +
      "(correctClaim); it is scrubbed, worked and submitted like any claim. The original's history shows it, and " +
      "its DENIAL work ends (completed when the caller holds it). CONFLICT when the payer's number is not known " +
      "yet or another correction of the claim is open.",
  })
  async createReplacementClaim(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ClaimRefInput, { description: "The claim to replace." }) input: ClaimRefInput,
  ) {
    return payload("claim", await replacements.createReplacementClaim(ctx, input));
  }

  @Roles(...BILLERS)
  @Mutation(() => ClaimPayload, {
    description:
      "A void claim (frequency 8) of a claim the payer has accepted, carrying the payer's claim control number " +
      "(REF*F8); submitted like any claim, it tells the payer to cancel the original, which is VOID from now on.",
  })
  async voidClaim(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ClaimRefInput, { description: "The claim to void." }) input: ClaimRefInput,
  ) {
    return payload("claim", await replacements.voidClaim(ctx, input));
  }

  @Roles()
  @Subscription(() => ClaimEvent, {
    description:
      "Changes to the claims the caller may see (or to one of them): built, scrubbed, corrected, marked ready, " +
      "submitted, acknowledged. `after` replays what was missed. Permissions are checked again before every event.",
    subscribe: ({ args, context }) => {
      const ctx = context as RequestContext;
      const claimId = args["claimId"] ? idOrMissing(args["claimId"] as string, "Claim", "claimId") : null;
      return claimEvents.stream(ctx, claimId, args["after"] as string | undefined);
    },
  })
  async claimEvents(
    @Root() delivery: Delivery,
    @Ctx() ctx: RequestContext,
    @Arg("claimId", () => ID, {
      nullable: true,
      description: "Only this claim; absent: every claim the caller may see.",
    })
    _claimId?: string,
    @Arg("after", () => String, {
      nullable: true,
      description:
        "The `cursor` of the last event received: events after it are replayed first, then live ones follow. " +
        "Absent: live events only.",
    })
    _after?: string,
  ): Promise<ClaimEvent> {
    forDelivery(ctx, delivery.actor, `event:${delivery.event.id}`);
    const claim = await ctx.loaders.claim.load(payloadOf(delivery.event).claimId);
    if (!claim) throw notFound("Claim", "claimId");
    return {
      cursor: eventCursor(delivery.event),
      type: payloadOf(delivery.event).type,
      kind: payloadOf(delivery.event).type.toUpperCase() as Uppercase<ClaimEventType>,
      at: delivery.event.createdAt,
      claim,
    };
  }

  @FieldResolver(() => ID, { description: "Opaque global id." })
  id(@Root() row: ClaimRow): string {
    return toGlobalId("Claim", row.id);
  }

  @FieldResolver(() => Encounter, { description: "The coded encounter this claim bills." })
  encounter(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<EncounterRow> {
    return required(ctx.loaders.encounter.load(row.encounterId), "the encounter of a claim");
  }

  @FieldResolver(() => Facility, { description: "The billing provider (837P 2010AA): the encounter's facility." })
  facility(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<FacilityRow> {
    return required(ctx.loaders.facility.load(row.facilityId), "the facility of a claim");
  }

  @FieldResolver(() => Patient, { description: "The patient billed for." })
  patient(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<PatientRow> {
    return required(ctx.loaders.patient.load(row.patientId), "the patient of a claim");
  }

  @FieldResolver(() => Provider, { nullable: true, description: "The rendering provider (837P 2310B)." })
  async renderingProvider(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<ProviderRow | null> {
    return row.renderingProviderId ? ctx.loaders.provider.load(row.renderingProviderId) : null;
  }

  @FieldResolver(() => Payer, {
    nullable: true,
    description:
      "The payer billed: the primary coverage's in force on the date of service (a secondary claim's: the " +
      "coverage of priority 2), read again on every scrub until the claim is sent. Null while the patient has no " +
      "such coverage then (PAYER_MISSING).",
  })
  async payer(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<PayerRow | null> {
    return row.payerId ? ctx.loaders.payer.load(row.payerId) : null;
  }

  @FieldResolver(() => Claim, { nullable: true, description: "The claim this one replaces or voids." })
  async replaces(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<ClaimRow | null> {
    return row.replacesClaimId ? ctx.loaders.claim.load(row.replacesClaimId) : null;
  }

  @FieldResolver(() => [Claim], {
    description: "The replacements (frequency 7) and voids (8) of this claim, oldest first.",
  })
  corrections(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<ClaimRow[]> {
    return ctx.loaders.claimCorrections.load(row.id);
  }

  @FieldResolver(() => Claim, {
    nullable: true,
    description:
      "On a secondary claim: the primary payer's claim whose 835 left the balance this one bills. Null on a primary " +
      "claim.",
  })
  async primaryClaim(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<ClaimRow | null> {
    return row.primaryClaimId ? ctx.loaders.claim.load(row.primaryClaimId) : null;
  }

  @FieldResolver(() => [Claim], {
    description:
      "The secondary claims billed to the patient's second coverage after the primary payer's 835 left a balance " +
      "on this one, oldest first.",
  })
  secondaryClaims(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<ClaimRow[]> {
    return ctx.loaders.secondaryClaims.load(row.id);
  }

  @FieldResolver(() => [ClaimLine], { description: "Service lines in line order." })
  lines(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<ClaimLineRow[]> {
    return ctx.loaders.claimLines.load(row.id);
  }

  @FieldResolver(() => MoneyScalar, {
    description:
      "What remains to collect, from the payer or the patient: total charge less payments and less what was " +
      "adjusted away (reductions, write-offs, balances moved to the patient's statement). The patient's share and " +
      "what a payer denied stay in it until a biller works them.",
  })
  balance(@Root() row: ClaimRow): string {
    return subtractMoney(subtractMoney(row.totalCharge, row.paidAmount), row.adjustedAmount);
  }

  @FieldResolver(() => [CodeEditType], {
    description:
      "Scrubber edits on the claim as of its last scrub (every change scrubs it again), ERROR first; the README " +
      'lists every rule. `field` is a path into the claim, e.g. ["lines", "0", "units"].',
  })
  issues(@Root() row: ClaimRow) {
    return (row.scrubEdits as CodeEdit[]).map((edit) => ({ ...edit, suggestions: edit.suggestions ?? [] }));
  }

  @FieldResolver(() => [ClaimStatusChange], { description: "Every change of the claim's status, oldest first." })
  statusHistory(@Root() row: ClaimRow, @Ctx() ctx: RequestContext): Promise<ClaimStatusChangeRow[]> {
    return ctx.loaders.claimStatusChanges.load(row.id);
  }
}

/** The row id of a filter's global id; an id of another type matches nothing, as NOT_FOUND says. */
function idOrMissing(globalId: string, type: "Payer" | "Encounter" | "Claim", field: string): string {
  const id = uuidOf(globalId, type);
  if (!id) throw notFound(type, field);
  return id;
}
