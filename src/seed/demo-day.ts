import { randomUUID } from "node:crypto";
import { type GraphQLSchema, graphql } from "graphql";
import type { Services } from "../context.js";
import { write277ca, write999 } from "../modules/claims/index.js";
import { type PayerVerdict, write835 } from "../modules/remittance/index.js";
import { findActiveUserByEmail } from "../modules/users/index.js";
import { createContext } from "../request.js";
import { DEMO_CODES, type DemoCodes, demoCodes } from "./demo-coding.js";

/*
 * The demo's first working day, worked through the GraphQL API by the demo organization's own
 * people, so that a biller signing in finds claims in every state they meet: the biller submits
 * recent office visits for coding, the supervisor hands them to a coder, the coder codes them
 * (demo-coding.ts), the auditor reviews the coder's first encounters, and the billing staff work
 * the claims that result: some are left with the scrubber's findings, some clean in the Billing
 * queue, some READY, the rest submitted in 837P batches. The clearinghouse answers all but the last
 * batch: a 999 taking each in, then a 277CA from the payer accepting every claim but one, which it
 * rejects for a member id it cannot find (back in Claim edits). The payers then pay what they accepted in 835s:
 * paid with coinsurance, denied for medical necessity, eligibility and authorization (in the
 * Denials queue), one paid and later reversed and paid anew, and one under a patient control number the payer
 * mistyped (in Unmatched payments).
 */

/** The organization whose day is worked, and who works it. */
const ORGANIZATION = "demo.chartroom.test";
const who = (login: string) => `${login}@${ORGANIZATION}`;

/** How many recent office visits go through coding to billing. */
const VISITS = 16;
/** Clean claims left in the Billing queue, and READY claims left out of the batches, for a biller to try. */
const LEFT_IN_BILLING = 2;
const LEFT_READY = 2;

export interface DemoDaySummary {
  /** Null when the day was worked; else why not (the loaded code sets lack the demo coder's codes). */
  skipped: string | null;
  claims: Record<string, number>;
  batches: number;
  /** 999s and 277CAs imported. */
  acknowledgements: number;
  /** 835 payments posted. */
  remittances: number;
}

type Variables = Record<string, unknown>;
/** An operation's data, as the query shapes it; a refusal (GraphQL error or userErrors) is thrown. */
type Run = <T = unknown>(query: string, variables?: Variables) => Promise<T>;
type Refusable = { userErrors?: { code: string; message: string }[] } | null;
interface Page<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
type Ref = { id: string; version: number };

/** Runs operations as one demo user: a token issued here, the request context the server would build. */
async function signedIn(services: Services, schema: GraphQLSchema, email: string): Promise<Run> {
  const user = await findActiveUserByEmail(services.db, email);
  if (!user) throw new Error(`the demo has no user ${email}`);
  const token = await services.tokens.issue(user);
  return async <T>(query: string, variables?: Variables) => {
    const contextValue = await createContext(services, randomUUID(), token, "127.0.0.1");
    const result = await graphql({ schema, source: query, variableValues: variables, contextValue });
    if (result.errors?.length) throw new Error(`demo day, ${email}: ${result.errors[0]!.message}`);
    const data = result.data as Record<string, Refusable>;
    for (const payload of Object.values(data)) {
      const refused = payload?.userErrors?.[0];
      if (refused) throw new Error(`demo day, ${email}: ${refused.code} ${refused.message}`);
    }
    return data as T;
  };
}

/** The most recent DRAFT office visits the demo coder can code, newest first. */
async function recentOfficeVisits(biller: Run): Promise<{ id: string; codes: DemoCodes }[]> {
  const found: { id: string; serviceDate: string; codes: DemoCodes }[] = [];
  let after: string | null = null;
  do {
    const { encounters }: { encounters: Page<{ id: string; serviceDate: string; documentation: string | null }> } =
      await biller(
        `query ($after: String) { encounters(filter: { status: [DRAFT], type: [PROFESSIONAL] }, first: 100,
        after: $after) { edges { node { id serviceDate documentation } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
    for (const { node } of encounters.edges) {
      const codes = demoCodes(node.documentation ?? "");
      if (codes) found.push({ id: node.id, serviceDate: node.serviceDate, codes });
    }
    after = encounters.pageInfo.hasNextPage ? encounters.pageInfo.endCursor : null;
  } while (after);
  return found.sort((a, b) => (a.serviceDate < b.serviceDate ? 1 : a.serviceDate > b.serviceDate ? -1 : 0));
}

/** The encounter's open work item (the one the last step routed it to). */
async function openItem(run: Run, encounterId: string): Promise<Ref> {
  const { encounter } = await run<{ encounter: { workItems: (Ref & { status: string })[] } }>(
    `query ($id: ID!) { encounter(id: $id) { workItems { id version status } } }`,
    { id: encounterId },
  );
  const item = encounter.workItems.find((w) => w.status === "READY");
  if (!item) throw new Error(`demo day: encounter ${encounterId} has no READY work`);
  return item;
}

async function userId(run: Run): Promise<string> {
  return (await run<{ viewer: { id: string } }>("{ viewer { id } }")).viewer.id;
}

async function encounterVersion(run: Run, id: string): Promise<number> {
  const read = await run<{ encounter: Ref }>(`query ($id: ID!) { encounter(id: $id) { id version } }`, { id });
  return read.encounter.version;
}

/** Submitted, assigned, coded and (while the coder is new) reviewed: the encounter is billed. */
async function codeVisit(
  people: Record<"biller" | "supervisor" | "coder" | "auditor", Run>,
  ids: { coder: string; auditor: string },
  visit: { id: string; codes: DemoCodes },
): Promise<void> {
  const { biller, supervisor, coder, auditor } = people;
  const input = { encounterId: visit.id };
  await biller(
    `mutation ($input: EncounterRefInput!) { submitEncounterForCoding(input: $input) { userErrors { code message } } }`,
    { input },
  );
  const coding = await openItem(supervisor, visit.id);
  await supervisor(
    `mutation ($input: AssignWorkItemInput!) { assignWorkItem(input: $input) { userErrors { code message } } }`,
    { input: { workItemId: coding.id, expectedVersion: coding.version, userId: ids.coder } },
  );
  await coder(
    `mutation ($input: SetEncounterCodesInput!) { setEncounterCodes(input: $input) { userErrors { code message } } }`,
    { input: { ...input, expectedVersion: await encounterVersion(coder, visit.id), ...visit.codes } },
  );
  const completed = await coder<{ completeCoding: { encounter: { status: string; version: number } } }>(
    `mutation ($input: EncounterRefInput!) { completeCoding(input: $input) { encounter { status version }
      userErrors { code message } } }`,
    { input },
  );
  const encounter = completed.completeCoding.encounter;
  if (encounter.status !== "IN_REVIEW") return;
  const review = await openItem(supervisor, visit.id);
  await supervisor(
    `mutation ($input: AssignWorkItemInput!) { assignWorkItem(input: $input) { userErrors { code message } } }`,
    { input: { workItemId: review.id, expectedVersion: review.version, userId: ids.auditor } },
  );
  await auditor(
    `mutation ($input: SubmitCodingReviewInput!) { submitCodingReview(input: $input) { userErrors { code message } } }`,
    { input: { ...input, expectedVersion: encounter.version } },
  );
}

/** The biller works the Billing queue: each clean claim is marked READY, but for a few left to try. */
async function markReady(biller: Run): Promise<void> {
  const { workQueues } = await biller<{ workQueues: { id: string; kind: string; stats: { ready: number } }[] }>(
    "{ workQueues { id kind stats { ready } } }",
  );
  const billing = workQueues.find((q) => q.kind === "BILLING");
  if (!billing) throw new Error("demo day: the biller sees no Billing queue");
  for (let left = billing.stats.ready; left > LEFT_IN_BILLING; left--) {
    const claimed = await biller<{ claimNextWorkItem: { workItem: { subject: Ref } } }>(
      `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) { workItem {
        subject { ... on Claim { id version } } } userErrors { code message } } }`,
      { queueId: billing.id },
    );
    const claim = claimed.claimNextWorkItem.workItem.subject;
    await biller(
      `mutation ($input: ClaimVersionInput!) { markClaimReady(input: $input) { userErrors { code message } } }`,
      { input: { claimId: claim.id, expectedVersion: claim.version } },
    );
  }
}

/** Every READY claim but a few goes out, one 837P per payer. */
async function submitReady(biller: Run): Promise<number> {
  const ready = await biller<{ claims: Page<{ id: string }> }>(
    `{ claims(filter: { status: [READY] }, first: 100) { edges { node { id } } } }`,
  );
  const ids = ready.claims.edges.map((edge) => edge.node.id);
  const sent = ids.slice(LEFT_READY);
  if (sent.length === 0) return 0;
  const submitted = await biller<{ submitClaims: { batches: { id: string }[] } }>(
    `mutation ($input: SubmitClaimsInput!) { submitClaims(input: ` +
      `$input) { batches { id } userErrors { code message } } }`,
    { input: { claimIds: sent } },
  );
  return submitted.submitClaims.batches.length;
}

/**
 * The clearinghouse's answers to every batch but the newest (still waiting, as real ones do): a 999
 * accepting its transaction sets, then the payer's 277CA accepting each claim with the payer's claim
 * number, but for the first claim of the first batch, rejected: the payer knows no such member.
 */
async function answerBatches(biller: Run): Promise<number> {
  const { claims } = await biller<{
    claims: Page<{
      patientControlNumber: string;
      batch: { id: string; x12: string; interchangeControlNumber: string };
    }>;
  }>(`{ claims(filter: { status: [SUBMITTED] }, first: 100) { edges { node { patientControlNumber
    batch { id x12 interchangeControlNumber } } } } }`);
  const batches = new Map<string, { x12: string; number: string; claims: string[] }>();
  for (const { node } of claims.edges) {
    const batch = batches.get(node.batch.id) ?? {
      x12: node.batch.x12,
      number: node.batch.interchangeControlNumber,
      claims: [],
    };
    batch.claims.push(node.patientControlNumber);
    batches.set(node.batch.id, batch);
  }
  // ISA13 counts up: the highest is the newest batch, left waiting.
  const answered = [...batches.values()].sort((a, b) => a.number.localeCompare(b.number)).slice(0, -1);
  let imported = 0;
  for (const [index, batch] of answered.entries()) {
    const verdicts = Object.fromEntries(
      batch.claims.map((pcn, position) => [
        pcn,
        index === 0 && position === 0
          ? { accept: false as const, category: "A7", status: "164", entity: "IL" }
          : { accept: true as const, payerClaimControlNumber: `26${pcn.slice(1)}` },
      ]),
    );
    for (const x12 of [write999(batch.x12, [], 9100 + index * 2), write277ca(batch.x12, verdicts, 9101 + index * 2)]) {
      await biller(
        `mutation ($input: ImportAcknowledgementInput!) { importAcknowledgement(input: $input) {
          acknowledgement { id } userErrors { code message } } }`,
        { input: { x12 } },
      );
      imported++;
    }
  }
  return imported;
}

/** What the payers decide of the accepted claims, in the order the claims were accepted. */
const PAYER_DECISIONS: { verdict: PayerVerdict; renamed?: true; reversedLater?: true }[] = [
  { verdict: { pay: true, patient: { reason: "2", amount: "15.00" } } },
  { verdict: { pay: false, reason: "50", remark: "N115" } },
  { verdict: { pay: true }, renamed: true },
  { verdict: { pay: true, allowedPercent: 70 }, reversedLater: true },
  { verdict: { pay: false, reason: "27", remark: "N30" } },
  { verdict: { pay: false, reason: "197" } },
];

/**
 * The payers' 835s for the claims they accepted, one per batch (each batch is one payer's), posted by the biller;
 * then a second 835 from the payer of the claim it underpaid: the payment reversed and paid anew.
 */
async function payAccepted(biller: Run): Promise<number> {
  const { claims } = await biller<{
    claims: Page<{ patientControlNumber: string; batch: { x12: string; interchangeControlNumber: string } }>;
  }>(`{ claims(filter: { status: [ACCEPTED] }, first: 100) { edges { node { patientControlNumber
    batch { x12 interchangeControlNumber } } } } }`);
  const accepted = claims.edges
    .map(({ node }) => node)
    .sort((a, b) => a.patientControlNumber.localeCompare(b.patientControlNumber));
  const decided = accepted.slice(0, PAYER_DECISIONS.length).map((claim, index) => ({
    claim,
    ...PAYER_DECISIONS[index]!,
  }));
  const batches = [...new Set(decided.map(({ claim }) => claim.batch.interchangeControlNumber))];
  const post = (x12: string) =>
    biller(
      `mutation ($input: PostRemittanceInput!) { postRemittance(input: $input) {
        remittance { id } userErrors { code message } } }`,
      { input: { x12 } },
    );
  let posted = 0;
  for (const [index, number] of batches.entries()) {
    const ofBatch = decided.filter(({ claim }) => claim.batch.interchangeControlNumber === number);
    const file = write835(
      ofBatch[0]!.claim.batch.x12,
      Object.fromEntries(ofBatch.map(({ claim, verdict }) => [claim.patientControlNumber, verdict])),
      {
        traceNumber: `EFT${number}`,
        control: 9200 + index,
        renamed: Object.fromEntries(
          ofBatch
            .filter(({ renamed }) => renamed)
            .map(({ claim }) => [claim.patientControlNumber, claim.patientControlNumber.replace("0", "O")]),
        ),
      },
    );
    await post(file);
    posted++;
  }
  const underpaid = decided.find(({ reversedLater }) => reversedLater);
  if (underpaid && "pay" in underpaid.verdict) {
    const correction = write835(
      underpaid.claim.batch.x12,
      { [underpaid.claim.patientControlNumber]: { reverse: underpaid.verdict, correction: { pay: true } } },
      { traceNumber: `EFT${underpaid.claim.batch.interchangeControlNumber}R`, control: 9299 },
    );
    await post(correction);
    posted++;
  }
  return posted;
}

async function claimCounts(biller: Run): Promise<Record<string, number>> {
  const { claims } = await biller<{ claims: Page<{ status: string }> }>(
    `{ claims(first: 100) { edges { node { status } } } }`,
  );
  const counts: Record<string, number> = {};
  for (const { node } of claims.edges) counts[node.status] = (counts[node.status] ?? 0) + 1;
  return counts;
}

/** Whether the loaded code sets hold every code the demo coder sets (a small fixture set does not). */
async function missingDemoCode(coder: Run): Promise<string | null> {
  for (const { system, code } of DEMO_CODES) {
    const found = await coder<{ code: { code: string } | null }>(
      `query ($system: CodeSystem!, $code: String!) { code(system: $system, code: $code) {
      code } }`,
      { system, code },
    );
    if (!found.code) return `${system} ${code}`;
  }
  return null;
}

/**
 * Works the demo's first day on a freshly seeded database, through the API: after it, the demo's
 * billers find claims with scrubber findings, clean claims to mark ready, READY claims and 837P batches.
 */
export async function workDemoDay(services: Services, schema: GraphQLSchema): Promise<DemoDaySummary> {
  const people = {
    biller: await signedIn(services, schema, who("biller1")),
    supervisor: await signedIn(services, schema, who("supervisor")),
    coder: await signedIn(services, schema, who("coder3")),
    auditor: await signedIn(services, schema, who("auditor")),
  };
  const missing = await missingDemoCode(people.coder);
  if (missing)
    return {
      skipped: `the loaded code sets lack ${missing}`,
      claims: {},
      batches: 0,
      acknowledgements: 0,
      remittances: 0,
    };
  const ids = { coder: await userId(people.coder), auditor: await userId(people.auditor) };
  const visits = (await recentOfficeVisits(people.biller)).slice(0, VISITS);
  for (const visit of visits) await codeVisit(people, ids, visit);
  await markReady(people.biller);
  const batches = await submitReady(people.biller);
  const acknowledgements = await answerBatches(people.biller);
  const remittances = await payAccepted(people.biller);
  return { skipped: null, claims: await claimCounts(people.biller), batches, acknowledgements, remittances };
}
