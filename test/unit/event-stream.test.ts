import { describe, expect, it } from "vitest";
import type { RequestContext } from "../../src/context.js";
import type { Actor } from "../../src/modules/auth/index.js";
import { type EventRecord, eventStream } from "../../src/modules/events/index.js";

const ORG = "00000000-0000-0000-0000-0000000000aa";
const actor = { userId: "u1", orgId: ORG, scope: { orgId: ORG, facilityIds: [] } } as unknown as Actor;
const event = (id: number) =>
  ({ id, orgId: ORG, topic: "work_item", payload: {}, createdAt: new Date() }) as EventRecord;

/** A subscriber's context over a feed the test drives: `publish` hands an event to the listeners, as the feed does. */
function liveFeed() {
  const listeners = new Set<(event: EventRecord) => void>();
  const ctx = {
    currentActor: () => actor,
    events: {
      ready: async () => {},
      cursor: 0,
      listen: (_scope: unknown, listener: (event: EventRecord) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  } as unknown as RequestContext;
  const publish = (from: number, to: number) => {
    for (let id = from; id <= to; id++) for (const listener of listeners) listener(event(id));
  };
  return { ctx, listeners, publish };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("a subscriber's stream of live events", () => {
  it("gets every event once, in order, whether it waits for them or they wait for it", async () => {
    const { ctx, publish } = liveFeed();
    const stream = eventStream(ctx, { topics: ["work_item"], afterId: null, accept: (e) => e.id !== 3 });
    const first = stream.next();
    await turn();
    publish(1, 1);
    expect((await first).value?.event.id).toBe(1);
    publish(2, 5);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await stream.next()).value?.event.id);
    expect(ids).toEqual([2, 4, 5]);
    await stream.return?.();
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it("is cut off with SUBSCRIPTION_LAGGED when more than 10,000 events wait, and stops listening", async () => {
    const { ctx, listeners, publish } = liveFeed();
    const stream = eventStream(ctx, { topics: ["work_item"], afterId: null, accept: () => true });
    const first = stream.next();
    await turn();
    publish(1, 1);
    await first;
    publish(2, 10_002);
    await expect(stream.next()).rejects.toMatchObject({ code: "SUBSCRIPTION_LAGGED" });
    expect(listeners.size).toBe(0);
  });
});
