import { expect } from "vitest";
import { write277ca } from "../../src/modules/claims/clearinghouse.js";
import { type Codes, type EncounterPlan, givenBilledEncounter, VISIT_WITH_URINALYSIS } from "./encounters.js";
import type { Organization } from "./organizations.js";

/**
 * The claim without its TABLE_OLDER_THAN_SERVICE_DATE warnings: every 2026 claim carries them while
 * the shipped NCCI/MUE (2024Q3) and Code Editor (FY2024) tables predate it, and a story about another
 * edit reads the rest. One story (billing.test.ts) checks those warnings themselves.
 */
export function withoutTableAge<T extends { issues?: { code: string }[] } | null | undefined>(claim: T): T {
  if (!claim?.issues) return claim;
  return { ...claim, issues: claim.issues.filter((issue) => issue.code !== "TABLE_OLDER_THAN_SERVICE_DATE") };
}

/** A claim as a story holds it. */
export interface ReadyClaim {
  id: string;
  version: number;
  patientControlNumber: string;
}

/**
 * A READY claim, as a biller makes one: an encounter coded by coder3 and reviewed, its clean claim claimed from
 * the Billing queue by biller1 and marked ready. The clinic's patient is billed to the commercial payer, the
 * hospital's to Medicare. Stories make their claims one after the other, so the Billing queue holds only this one.
 */
export async function givenReadyClaim(
  org: Organization,
  plan: EncounterPlan & { codes?: Codes } = {},
): Promise<ReadyClaim> {
  const { claim } = await givenBilledEncounter(org, "coder3", plan);
  if (claim?.status !== "DRAFT") throw new Error(`the claim was not built clean: ${JSON.stringify(claim)}`);
  const biller = await org.signIn("biller1");
  const claimed = await org.api.gql(
    `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) {
      workItem { subject { ... on Claim { id } } } userErrors { code } } }`,
    { queueId: org.queueId("Billing") },
    biller,
  );
  if (claimed.data?.["claimNextWorkItem"]?.workItem?.subject.id !== claim.id)
    throw new Error(`biller1 claimed other Billing work: ${JSON.stringify(claimed)}`);
  const ready = await org.api.gql(
    `mutation ($input: ClaimVersionInput!) { markClaimReady(input: $input) {
      claim { id version patientControlNumber status } userErrors { code message } } }`,
    { input: { claimId: claim.id, expectedVersion: claim.version } },
    biller,
  );
  const marked = ready.data?.["markClaimReady"]?.claim;
  if (marked?.status !== "READY") throw new Error(`the claim was not marked ready: ${JSON.stringify(ready)}`);
  return { id: marked.id, version: marked.version, patientControlNumber: marked.patientControlNumber };
}

/**
 * A claim the scrubber stopped before it was made ready: an encounter with a urinalysis line coded by
 * coder3, whose claim biller1 claims from the Billing queue; a line of zero units stops it
 * (NEEDS_REVIEW) until biller1 puts one back (DRAFT) and marks it READY. Answers the claim's id.
 */
export async function givenClaimStoppedThenReady(org: Organization, plan: EncounterPlan = {}): Promise<string> {
  const { claim } = await givenBilledEncounter(org, "coder3", { ...plan, codes: VISIT_WITH_URINALYSIS });
  const biller = await org.signIn("biller1");
  await org.api.gql(
    `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) { userErrors { code } } }`,
    { queueId: org.queueId("Billing") },
    biller,
  );
  const correct = `mutation ($input: CorrectClaimInput!) { correctClaim(input: $input) {
    claim { status version } userErrors { code } } }`;
  let version = claim!.version;
  for (const [units, status] of [
    [0, "NEEDS_REVIEW"],
    [1, "DRAFT"],
  ] as const) {
    const corrected = await org.api.gql(
      correct,
      { input: { claimId: claim!.id, expectedVersion: version, lines: [{ lineNumber: 2, units }] } },
      biller,
    );
    expect(corrected.data!["correctClaim"].claim.status).toBe(status);
    version = corrected.data!["correctClaim"].claim.version;
  }
  const ready = await org.api.gql(
    `mutation ($input: ClaimVersionInput!) { markClaimReady(input: $input) {
      claim { status } userErrors { code } } }`,
    { input: { claimId: claim!.id, expectedVersion: version } },
    biller,
  );
  expect(ready.data!["markClaimReady"].claim.status).toBe("READY");
  return claim!.id;
}

/** A batch as submitClaims answered it: its id and the 837P written. */
export interface SubmittedBatch {
  id: string;
  x12: string;
}

/** biller1 submits the claims with `submitClaims`, which must take them without userErrors: their batch. */
export async function submitClaims(org: Organization, claimIds: readonly string[]): Promise<SubmittedBatch> {
  const submitted = await org.api.gql(
    `mutation ($input: SubmitClaimsInput!) { submitClaims(input: $input) { batch { id x12 } userErrors { code } } }`,
    { input: { claimIds } },
    await org.signIn("biller1"),
  );
  expect(submitted.data?.["submitClaims"].userErrors).toEqual([]);
  return submitted.data!["submitClaims"].batch;
}

/** Claims a biller made ready one after the other (`codes` each, a routine visit unless said), submitted together. */
export async function givenSubmittedClaims(
  org: Organization,
  count: number,
  plan: EncounterPlan & { codes?: Codes } = {},
): Promise<{ claims: ReadyClaim[]; batch: SubmittedBatch }> {
  const claims: ReadyClaim[] = [];
  for (let i = 0; i < count; i++) claims.push(await givenReadyClaim(org, plan));
  const batch = await submitClaims(
    org,
    claims.map((claim) => claim.id),
  );
  return { claims, batch };
}

/** biller1 imports a 999 or 277CA through `importAcknowledgement`, which must take it without userErrors. */
export async function importAcknowledgement(org: Organization, x12: string): Promise<void> {
  const imported = await org.api.gql(
    `mutation ($input: ImportAcknowledgementInput!) { importAcknowledgement(input: $input) {
      acknowledgement { id } userErrors { code message } } }`,
    { input: { x12 } },
    await org.signIn("biller1"),
  );
  expect(imported.data?.["importAcknowledgement"].userErrors).toEqual([]);
}

/**
 * A claim the payer accepted under `payerNumber`, the way one gets there: made ready and submitted by biller1,
 * then the clearinghouse simulator's 277CA accepting it imported.
 */
export async function givenAcceptedClaim(
  org: Organization,
  payerNumber: string,
  plan: EncounterPlan & { codes?: Codes } = {},
): Promise<Omit<ReadyClaim, "version">> {
  const { claims, batch } = await givenSubmittedClaims(org, 1, plan);
  const claim = claims[0]!;
  const verdict = { accept: true as const, payerClaimControlNumber: payerNumber };
  await importAcknowledgement(org, write277ca(batch.x12, { [claim.patientControlNumber]: verdict }));
  return { id: claim.id, patientControlNumber: claim.patientControlNumber };
}
