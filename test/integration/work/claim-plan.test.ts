import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectRows } from "../../../src/db/client.js";
import { type SentStatement, startApi, type TestApi } from "../../helpers/api.js";
import { givenClaimBacklog } from "../../helpers/behind-the-api.js";
import { demoOrganization, type Organization } from "../../helpers/organizations.js";

const CLAIM = `mutation ($queueId: ID) { claimNextWorkItem(input: { queueId: $queueId }) { workItem { id }
  userErrors { code } } }`;

/** A parameter written as an untyped literal, which PostgreSQL types from where the statement uses it. */
const literal = (value: unknown) => (value === null ? "null" : `'${String(value).replaceAll("'", "''")}'`);

/** The lines of `plan` under the first node named `node`: the part of the plan that node runs. */
function subtree(plan: string, node: string): string {
  const lines = plan.split("\n");
  const start = lines.findIndex((line) => line.includes(node));
  const depth = (line: string) => line.search(/\S/);
  const end = lines.findIndex((line, i) => i > start && depth(line) <= depth(lines[start]!));
  return lines.slice(start, end === -1 ? undefined : end).join("\n");
}

/*
 * A claim is one prepared statement, and after a few runs PostgreSQL settles on its generic plan: the
 * plan it picks without looking at the parameters, from statistics that a morning's import leaves behind
 * the backlog. That plan must read the ready items in claim order from a ready index and take the first
 * workable one. A plan that joined the caller's queues could start from them and sort every READY item,
 * a claim whose cost grows with the backlog (8 ms of the database's time where it should be 0.5).
 */
describe("the claim's plan, whatever the statistics say", () => {
  let api: TestApi;
  let demo: Organization;

  beforeAll(async () => {
    api = await startApi();
    demo = await demoOrganization(api);
    // The morning's import: urgent denials ahead of a day's follow-ups, and no ANALYZE since.
    await givenClaimBacklog(demo, "Denials", 3_000, 50);
    await givenClaimBacklog(demo, "Follow-up", 300, 0);
  });
  afterAll(async () => {
    await api.close();
  });

  /**
   * The item read of the generic plan of the claim statement a biller's claimNextWorkItem sends, as
   * PostgreSQL would cache it.
   */
  const genericPlanOfClaim = async (queueId: string | null) => {
    const biller = await demo.signIn("biller1");
    const { statements } = await api.statementsSent(() => api.gql(CLAIM, { queueId }, biller));
    const claim = statements.find((statement: SentStatement) => statement.text.includes(`"claimed" as (update`));
    expect(claim).toBeDefined();
    return api.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
      await tx.execute(sql.raw(`prepare claim_plan as ${claim!.text}`));
      const plan = await selectRows<{ "QUERY PLAN": string }>(
        tx,
        sql.raw(`explain (costs off) execute claim_plan(${claim!.params.map(literal).join(", ")})`),
      );
      await tx.execute(sql`deallocate claim_plan`);
      // The read of the item to claim, which SKIP LOCKED puts under a LockRows node.
      return subtree(plan.map((line) => line["QUERY PLAN"]).join("\n"), "LockRows");
    });
  };

  it("a claim from all the biller's queues reads the organization's ready index, item by item", async () => {
    const plan = await genericPlanOfClaim(null);
    expect(plan).toMatch(/Index Scan using work_items_ready_org_idx on work_items/);
    // The queue test is a subplan run for the items read, never a join the planner could start from.
    expect(plan).not.toMatch(/Join/);
    expect(plan).not.toMatch(/Sort Key: work_items\.priority/);
  });

  it("a claim from one named queue reads that queue's ready index, not past other queues' items", async () => {
    const plan = await genericPlanOfClaim(demo.queueId("Follow-up"));
    expect(plan).toMatch(/Index Scan using work_items_ready_idx on work_items/);
    expect(plan).not.toMatch(/Join/);
    expect(plan).not.toMatch(/Sort Key: work_items\.priority/);
  });
});
