import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { write277ca } from "../../../src/modules/claims/index.js";
import { write835 } from "../../../src/modules/remittance/index.js";
import { rowIdOf, startApi, type TestApi } from "../../helpers/api.js";
import { givenClaimStoppedThenReady, givenSubmittedClaims, importAcknowledgement } from "../../helpers/claims.js";
import { givenBilledEncounter, VISIT_WITH_URINALYSIS } from "../../helpers/encounters.js";
import { givenOrganization } from "../../helpers/organizations.js";

const QUALITY = `query ($from: Date!, $to: Date!) { claimQuality(from: $from, to: $to) {
  readied clean acknowledged acceptedFirst } }`;
const POST = `mutation ($input: PostRemittanceInput!) { postRemittance(input: $input) {
  userErrors { code message } } }`;

interface Firsts {
  claimId: string;
  readyAt: string | null;
  reviewAt: string | null;
  outcomeAt: string | null;
  acceptedAt: string | null;
}

describe("claim milestones: the clean-claim report's firsts stay those of the history", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  /** The firsts of the organization's claims as kept, and as computed again from the whole status history. */
  async function keptAndRecomputed(claimIds: readonly string[]): Promise<[Firsts[], Firsts[]]> {
    const ids = sql.join(
      claimIds.map((id) => sql`${rowIdOf(id)}::uuid`),
      sql`, `,
    );
    const stamp = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`);
    const kept = await api.database.rows<Firsts>(sql`
      select claim_id::text as "claimId", ${stamp("ready_at")} as "readyAt", ${stamp("review_at")} as "reviewAt",
        ${stamp("outcome_at")} as "outcomeAt", ${stamp("accepted_at")} as "acceptedAt"
      from claim_milestones where claim_id in (${ids}) order by claim_id`);
    const recomputed = await api.database.rows<Firsts>(sql`
      select claim_id::text as "claimId",
        ${stamp("min(at) filter (where to_status = 'READY')")} as "readyAt",
        ${stamp("min(at) filter (where to_status = 'NEEDS_REVIEW')")} as "reviewAt",
        ${stamp("min(at) filter (where to_status in ('ACCEPTED', 'REJECTED'))")} as "outcomeAt",
        ${stamp("min(at) filter (where to_status = 'ACCEPTED')")} as "acceptedAt"
      from claim_status_changes
      where claim_id in (${ids}) and to_status in ('READY', 'NEEDS_REVIEW', 'ACCEPTED', 'REJECTED')
      group by claim_id order by claim_id`);
    return [kept, recomputed];
  }

  /**
   * Three visits sent together: the clearinghouse accepts two and rejects the third; the payer pays the first (then
   * reverses and pays it again) and denies the second, whose balance the supervisor writes off. A fourth visit is
   * stopped by the scrubber (NEEDS_REVIEW) before the biller fixes it and marks it ready, and a fifth waits DRAFT.
   * After each step the kept firsts equal those computed from scratch, and so does the report.
   */
  it("after submissions, acknowledgements, postings, a reversal and a write-off", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const supervisor = await org.signIn("supervisor");
    const claimIds: string[] = [];
    const agree = async (step: string) => {
      const [kept, recomputed] = await keptAndRecomputed(claimIds);
      expect(kept, step).toEqual(recomputed);
    };

    const { claims, batch } = await givenSubmittedClaims(org, 3, { codes: VISIT_WITH_URINALYSIS });
    const [paid, denied, rejected] = claims.map((claim) => claim.patientControlNumber) as [string, string, string];
    claimIds.push(...claims.map((claim) => claim.id));
    await agree("submitted");

    await importAcknowledgement(
      org,
      write277ca(batch.x12, {
        [paid]: { accept: true, payerClaimControlNumber: "P1" },
        [denied]: { accept: true, payerClaimControlNumber: "P2" },
        [rejected]: { accept: false },
      }),
    );
    await agree("acknowledged");

    const coinsurance = { reason: "2", amount: "20.00" } as const;
    for (const x12 of [
      write835(
        batch.x12,
        { [paid]: { pay: true, patient: coinsurance }, [denied]: { pay: false, reason: "29" } },
        { traceNumber: "M1" },
      ),
      write835(
        batch.x12,
        {
          [paid]: {
            reverse: { pay: true, patient: coinsurance },
            correction: { pay: true, allowedPercent: 90, patient: coinsurance },
          },
        },
        { traceNumber: "M2", control: 8002 },
      ),
    ]) {
      const posted = await api.gql(POST, { input: { x12 } }, biller);
      expect(posted.data!["postRemittance"].userErrors).toEqual([]);
    }
    await agree("posted and reversed");

    const deniedClaim = claims[1]!;
    const read = await api.gql(`query ($id: ID!) { claim(id: $id) { version } }`, { id: deniedClaim.id }, supervisor);
    const written = await api.gql(
      `mutation ($input: WriteOffClaimBalanceInput!) { writeOffClaimBalance(input: $input) {
        claim { status } userErrors { code } } }`,
      {
        input: {
          claimId: deniedClaim.id,
          expectedVersion: read.data!["claim"].version,
          reason: "No proof of timely filing.",
        },
      },
      supervisor,
    );
    expect(written.data!["writeOffClaimBalance"]).toEqual({ claim: { status: "CLOSED" }, userErrors: [] });
    await agree("written off");

    claimIds.push(await givenClaimStoppedThenReady(org));
    const { claim: waiting } = await givenBilledEncounter(org, "coder3", { codes: VISIT_WITH_URINALYSIS });
    claimIds.push(waiting!.id);
    await agree("fixed and made ready");

    const [kept] = await keptAndRecomputed(claimIds);
    expect(kept.map((firsts) => firsts.claimId).sort()).toEqual(claimIds.slice(0, 4).map(rowIdOf).sort());
    const today = new Date().toISOString().slice(0, 10);
    const report = await api.gql(QUALITY, { from: today, to: today }, supervisor);
    expect(report.data!["claimQuality"]).toEqual({ readied: 4, clean: 3, acknowledged: 3, acceptedFirst: 2 });
  });
});
