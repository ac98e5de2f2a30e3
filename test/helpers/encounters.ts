import type { GraphQLResponse } from "./api.js";
import type { Organization, Site } from "./organizations.js";

/**
 * Encounters and their work, built through the API as the people of the organization would: the
 * biller records and submits, a coder claims, codes and completes, or holds.
 */

export interface EncounterPlan {
  /** The facility it happens at: the clinic unless said. */
  at?: Site;
  type?: "PROFESSIONAL" | "OUTPATIENT" | "EMERGENCY" | "INPATIENT";
  serviceDate?: string;
  documentation?: string;
  /** The patient's global id: the facility's first patient unless said. */
  patientId?: string;
}

/** The codes a coder sets: type 2 diabetes and hypertension, seen at an established-patient visit. */
export interface Codes {
  diagnoses: { code: string; presentOnAdmission?: string }[];
  procedures: Record<string, unknown>[];
}
export const ROUTINE_VISIT: Codes = {
  diagnoses: [{ code: "E11.9" }, { code: "I10" }],
  procedures: [{ system: "CPT", code: "99213", units: 1, charge: "110.00", diagnosisPointers: [1, 2] }],
};

/** Cystitis seen at an office visit with a dipstick urinalysis: two lines, 110.00 and 20.00. */
export const VISIT_WITH_URINALYSIS: Codes = {
  diagnoses: [{ code: "N30.00" }],
  procedures: [
    { system: "CPT", code: "99213", units: 1, charge: "110.00", diagnosisPointers: [1] },
    { system: "CPT", code: "81002", units: 1, charge: "20.00", diagnosisPointers: [1] },
  ],
};

export interface Ref {
  id: string;
  version: number;
}
/** An encounter and its coding work item, at their versions once the helper is done. */
export interface EncounterWork {
  encounter: Ref & { status: string };
  workItem: Ref & { status: string };
}

/** A DRAFT encounter the organization's biller recorded. */
export async function givenEncounter(org: Organization, plan: EncounterPlan = {}): Promise<Ref> {
  const site = org.sites[plan.at ?? "clinic"];
  const created = await call(
    org,
    "biller1",
    `mutation ($input: CreateEncounterInput!) { createEncounter(input: $input) {
      encounter { id version } userErrors { code message } } }`,
    {
      input: {
        facilityId: site.id,
        patientId: plan.patientId ?? site.patientId,
        renderingProviderId: site.providerId,
        type: plan.type ?? "OUTPATIENT",
        serviceDate: plan.serviceDate ?? "2026-10-15",
        documentation: plan.documentation ?? "Follow-up of type 2 diabetes and hypertension; stable on current doses.",
      },
    },
  );
  return created["createEncounter"].encounter;
}

/** An encounter the biller submitted for coding: READY in the coding queue that routing chose. */
export async function givenEncounterReadyForCoding(
  org: Organization,
  plan: EncounterPlan = {},
): Promise<EncounterWork> {
  const draft = await givenEncounter(org, plan);
  await call(
    org,
    "biller1",
    `mutation ($input: EncounterRefInput!) { submitEncounterForCoding(input: $input) { userErrors { code message } } }`,
    { input: { encounterId: draft.id } },
  );
  return workOf(org, draft.id);
}

/**
 * An encounter `coder` claimed from its coding queue, as their next item. The story's organization
 * must hold no READY work the coder would take first: the helper says so if it did.
 */
export async function givenClaimedEncounter(
  org: Organization,
  coder: string,
  plan: EncounterPlan = {},
): Promise<EncounterWork> {
  const ready = await givenEncounterReadyForCoding(org, plan);
  const queueId = org.queueId(plan.type === "INPATIENT" ? "Inpatient coding" : "Outpatient coding");
  const claimed = await call(
    org,
    coder,
    `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) { workItem { id } userErrors {
      code } } }`,
    { queueId },
  );
  const item = claimed["claimNextWorkItem"].workItem;
  if (item?.id !== ready.workItem.id)
    throw new Error(`${coder} claimed ${JSON.stringify(item)}, not the new encounter's work: its queue held more`);
  return workOf(org, ready.encounter.id);
}

/**
 * An encounter `coder` claimed, coded (`codes`, a routine visit unless said) and completed: in
 * review (a coder's first twenty are all sampled) or ready to bill.
 */
export async function givenCodedEncounter(
  org: Organization,
  coder: string,
  plan: EncounterPlan & { codes?: Codes } = {},
): Promise<EncounterWork> {
  const { encounter } = await givenClaimedEncounter(org, coder, plan);
  const codes = plan.codes ?? ROUTINE_VISIT;
  await call(
    org,
    coder,
    `mutation ($input: SetEncounterCodesInput!) { setEncounterCodes(input: $input) { userErrors { code message } } }`,
    { input: { encounterId: encounter.id, expectedVersion: encounter.version, ...codes } },
  );
  await call(
    org,
    coder,
    `mutation ($input: EncounterRefInput!) { completeCoding(input: $input) { userErrors { code message } } }`,
    { input: { encounterId: encounter.id } },
  );
  return workOf(org, encounter.id);
}

/** Coding work `holder` claimed and then put ON_HOLD, for `reason`. */
export async function givenHeldItem(
  org: Organization,
  holder: string,
  plan: EncounterPlan & { reason?: string } = {},
): Promise<EncounterWork> {
  const { encounter, workItem } = await givenClaimedEncounter(org, holder, plan);
  await call(
    org,
    holder,
    `mutation ($input: HoldWorkItemInput!) { holdWorkItem(input: $input) { userErrors { code message } } }`,
    { input: { workItemId: workItem.id, reason: plan.reason ?? "Waiting for the operative note." } },
  );
  return workOf(org, encounter.id);
}

/** The encounter and its coding work item as the supervisor sees them (a biller may not see coding work). */
async function workOf(org: Organization, encounterId: string): Promise<EncounterWork> {
  const read = await call(
    org,
    "supervisor",
    `query ($id: ID!) { encounter(id: $id) { id version status workItems { id version status queue { kind } } } }`,
    { id: encounterId },
  );
  const { workItems, ...encounter } = read["encounter"];
  const coding = workItems.find((item: { queue: { kind: string } }) => item.queue.kind === "CODING");
  return { encounter, workItem: { id: coding.id, version: coding.version, status: coding.status } };
}

/** Runs an operation as one of the organization's users; any error or userError fails the story's set-up. */
async function call(
  org: Organization,
  login: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Record<string, any>> {
  const response: GraphQLResponse = await org.api.gql(query, variables, await org.signIn(login));
  const refusals = Object.values(response.data ?? {}).flatMap((payload) => payload?.userErrors ?? []);
  if (response.errors || refusals.length > 0)
    throw new Error(`${login} could not set the story up: ${JSON.stringify(response.errors ?? refusals)}`);
  return response.data!;
}

/**
 * An encounter `coder` coded and the auditor reviewed and accepted (a coder's first twenty are all
 * sampled), so READY_TO_BILL: its claim built, scrubbed and routed as billing does. The claim, if one
 * was built, as the supervisor reads it.
 */
export async function givenBilledEncounter(
  org: Organization,
  coder: string,
  plan: EncounterPlan & { codes?: Codes } = {},
): Promise<{ encounter: Ref & { status: string }; claim: (Ref & { status: string }) | null }> {
  const { encounter } = await givenCodedEncounter(org, coder, plan);
  const claimed = await call(
    org,
    "auditor",
    `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) { workItem { subject {
      ... on Encounter { id } } } userErrors { code } } }`,
    { queueId: org.queueId("Coding review") },
  );
  if (claimed["claimNextWorkItem"].workItem?.subject.id !== encounter.id)
    throw new Error("the auditor claimed other review work: the story's organization held more");
  await call(
    org,
    "auditor",
    `mutation ($input: SubmitCodingReviewInput!) { submitCodingReview(input: $input) { userErrors { code message } } }`,
    { input: { encounterId: encounter.id, expectedVersion: encounter.version } },
  );
  const read = await call(
    org,
    "supervisor",
    `query ($id: ID!) { encounter(id: $id) { id version status claims { id version status } } }`,
    { id: encounter.id },
  );
  const { claims, ...billed } = read["encounter"];
  return { encounter: billed, claim: claims.at(-1) ?? null };
}
