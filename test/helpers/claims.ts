import { expect } from "vitest";
import { type Codes, type EncounterPlan, givenBilledEncounter } from "./encounters.js";
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

/** A batch as submitClaims answered it: its id and the 837P written. */
export interface SubmittedBatch {
  id: string;
  x12: string;
}

/** Claims a biller made ready one after the other (`codes` each, a routine visit unless said), submitted together. */
export async function givenSubmittedClaims(
  org: Organization,
  count: number,
  plan: EncounterPlan & { codes?: Codes } = {},
): Promise<{ claims: ReadyClaim[]; batch: SubmittedBatch }> {
  const claims: ReadyClaim[] = [];
  for (let i = 0; i < count; i++) claims.push(await givenReadyClaim(org, plan));
  const submitted = await org.api.gql(
    `mutation ($input: SubmitClaimsInput!) { submitClaims(input: $input) { batch { id x12 } userErrors { code } } }`,
    { input: { claimIds: claims.map((claim) => claim.id) } },
    await org.signIn("biller1"),
  );
  expect(submitted.data?.["submitClaims"].userErrors).toEqual([]);
  return { claims, batch: submitted.data!["submitClaims"].batch };
}
