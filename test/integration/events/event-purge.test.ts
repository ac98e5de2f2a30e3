import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { events, users } from "../../../src/db/schema/index.js";
import { createLogger } from "../../../src/logger.js";
import { EventFeed } from "../../../src/modules/events/event.feed.js";
import { cloneTemplate, type TestDatabase } from "../../helpers/template.js";

const DAY_MS = 86_400_000;

describe(`purging the outbox (${inject("database").driver})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await cloneTemplate(inject("database"));
  });
  afterAll(() => database.close());

  it("an instance starting deletes events past their retention and keeps recent ones, without a warning", async () => {
    const [admin] = await database.db
      .select({ orgId: users.orgId })
      .from(users)
      .where(eq(users.email, "admin@demo.chartroom.test"));
    const event = (daysAgo: number) => ({
      orgId: admin!.orgId,
      topic: "work_item",
      payload: { type: "created", daysAgo },
      createdAt: new Date(Date.now() - daysAgo * DAY_MS),
    });
    const written = await database.db
      .insert(events)
      .values([event(30), event(8), event(6), event(0)])
      .returning({ id: events.id, createdAt: events.createdAt });
    const [monthOld, weekAndADayOld, sixDaysOld, fresh] = written.map((row) => row.id);

    const logLines: string[] = [];
    const feed = new EventFeed(database, {
      pollMs: 1_000,
      retentionMs: 7 * DAY_MS,
      log: createLogger("info", { write: (line: string) => void logLines.push(line) }),
    });
    feed.start();
    await feed.ready();
    // Stopping waits for the purge that starting began.
    await feed.stop();

    const left = await database.db
      .select({ id: events.id })
      .from(events)
      .where(inArray(events.id, [monthOld!, weekAndADayOld!, sixDaysOld!, fresh!]));
    expect(left.map((row) => row.id).sort((a, b) => a - b)).toEqual([sixDaysOld, fresh]);
    expect(logLines.join("")).not.toMatch(/purging old events failed/);
    expect(logLines.join("")).toMatch(/purged events past their retention/);
    const [older] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from ${events} where ${events.createdAt} < now() - interval '7 days'`,
    );
    expect(older!.n).toBe(0);
  });
});
