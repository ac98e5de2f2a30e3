import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DatabaseHandle } from "../../../src/db/client.js";
import { createLogger } from "../../../src/logger.js";
import { EventFeed } from "../../../src/modules/events/event.feed.js";
import { cloneTemplate, type TestDatabase } from "../../helpers/template.js";

describe(`an instance shutting down (${inject("database").driver})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await cloneTemplate(inject("database"));
  });
  afterAll(() => database.close());

  it("wakes the other instances for its last commits before it lets go of the database, never after", async () => {
    const wakeUps: number[] = [];
    let stopped = false;
    const counted: DatabaseHandle = {
      ...database,
      notify: (channel, payload) => {
        wakeUps.push(stopped ? 1 : 0);
        return database.notify(channel, payload);
      },
    };
    const logLines: string[] = [];
    const feed = new EventFeed(counted, {
      pollMs: 1_000,
      retentionMs: 86_400_000,
      log: createLogger("info", { write: (line: string) => void logLines.push(line) }),
    });
    feed.start();
    await feed.ready();

    // Two commits in a row, as a biller's last mutations before SIGTERM: the second's wake-up waits
    // out the interval between notifications.
    feed.written();
    feed.written();
    await feed.stop();
    stopped = true;
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(wakeUps).toEqual([0, 0]);
    expect(logLines.join("")).not.toMatch(/notification failed/);
  });
});
