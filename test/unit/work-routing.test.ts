import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { organizations, workQueues } from "../../src/db/schema/index.js";
import { defaultQueues } from "../../src/modules/work/work.defaults.js";
import { priorityOf, type RoutingSubject, route } from "../../src/modules/work/work.routing.js";
import type { WorkQueueRow } from "../../src/modules/work/work.store.js";

const NOW = new Date("2026-11-24T12:00:00Z");
const FACILITY = "00000000-0000-4000-8000-000000000001";
const subject = (overrides: Partial<RoutingSubject>): RoutingSubject => ({
  kind: "CODING",
  facilityId: FACILITY,
  encounterType: "OUTPATIENT",
  payerKind: null,
  serviceDate: "2026-11-14",
  expectedCharge: "0.00",
  ...overrides,
});

describe("priority", () => {
  it("is days since the date of service plus one per $100 of expected charge, each capped", () => {
    expect(priorityOf("2026-11-14", "0.00", NOW)).toBe(10);
    expect(priorityOf("2026-11-14", "1250.00", NOW)).toBe(22);
    expect(priorityOf("2020-01-01", "0.00", NOW)).toBe(365);
    expect(priorityOf("2026-11-24", "9000000.00", NOW)).toBe(500);
    expect(priorityOf("2026-12-01", "0.00", NOW)).toBe(0);
  });
});

describe("routing over a new organization's default queues", () => {
  let handle: DatabaseHandle;
  let queues: WorkQueueRow[];

  beforeAll(async () => {
    handle = await openDatabase({});
    await handle.migrate();
    const [org] = await handle.db.insert(organizations).values({ name: "New Clinic", slug: "new-clinic" }).returning();
    queues = await handle.db.insert(workQueues).values(defaultQueues(org!.id)).returning();
  });
  afterAll(() => handle?.close());

  it("sends inpatient stays to the CCS queue and every other encounter to outpatient coding, due by the SLA", () => {
    const inpatient = route(queues, subject({ encounterType: "INPATIENT" }), NOW);
    expect(inpatient?.queue).toMatchObject({ name: "Inpatient coding", requiredCredential: "CCS" });
    expect(inpatient?.dueAt).toEqual(new Date(NOW.getTime() + 72 * 3_600_000));
    for (const encounterType of ["PROFESSIONAL", "OUTPATIENT", "EMERGENCY"] as const) {
      expect(route(queues, subject({ encounterType }), NOW)?.queue.name).toBe("Outpatient coding");
    }
    expect(
      route(queues, subject({ kind: "DENIAL", encounterType: null, payerKind: "MEDICARE" }), NOW)?.queue.name,
    ).toBe("Denials");
  });

  it("prefers a narrower queue by routing order, and finds none when no rule matches", () => {
    const cardiology = {
      ...queues.find((q) => q.name === "Outpatient coding")!,
      id: "x",
      name: "Cardiology clinic",
      routingOrder: 5,
      facilityIds: [FACILITY],
    };
    expect(route([...queues, cardiology], subject({}), NOW)?.queue.name).toBe("Cardiology clinic");
    expect(
      route([...queues, cardiology], subject({ facilityId: "00000000-0000-4000-8000-000000000002" }), NOW)?.queue.name,
    ).toBe("Outpatient coding");
    expect(
      route(
        queues.filter((q) => q.kind !== "CODING"),
        subject({}),
        NOW,
      ),
    ).toBeNull();
  });
});
