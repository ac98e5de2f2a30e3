import "reflect-metadata";
import { findActiveUserByEmail } from "../src/modules/users/user.store.js";
import { release } from "../src/modules/work/work.changes.js";
import { claimNext } from "../src/modules/work/work.leases.js";
import { listQueues } from "../src/modules/work/work.service.js";
import { createContext } from "../src/request.js";
import { toGlobalId } from "../src/shared/ids.js";
import { benchApi } from "./database.js";
import { clock, type ServerReply, type ServerRequest } from "./events.js";

/*
 * The Chartroom server of the event delivery benchmark, in a process of its own so that its RSS
 * is the server's alone. Spawned by bench/events.ts with an IPC channel (and --expose-gc); the
 * database URL comes in BENCH_DATABASE_URL, empty for PGlite. It makes the work item changes
 * itself, through the service layer as a request would, and notes when each transaction returned:
 * that is the commit as the writer sees it.
 */
const api = await benchApi(process.env["BENCH_DATABASE_URL"] || undefined, "coder3@demo.chartroom.test");
const { services } = api.server;
const coder = await createContext(services, "bench", api.token, "127.0.0.1");
const queue = (await listQueues(coder)).find((q) => q.name === "Outpatient coding");
const supervisor = await findActiveUserByEmail(services.db, "supervisor@demo.chartroom.test");
if (!queue || !supervisor) throw new Error("the demo seed has no outpatient coding queue or no supervisor");

const reply = (message: ServerReply) => process.send!(message);
/** The item coder3 holds between a claim and its release, across `write` requests. */
let held: string | null = null;

/**
 * `count` changes, one every `intervalMs`, each waiting for the previous one: coder3 claims an
 * outpatient item, then releases it. Each is one transaction and one event, on a fresh context.
 */
async function write(count: number, intervalMs: number): Promise<{ type: string; at: number }[]> {
  const commits: { type: string; at: number }[] = [];
  const started = clock();
  for (let i = 0; i < count; i++) {
    const wait = started + i * intervalMs - clock();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const ctx = await createContext(services, `bench-${i}`, api.token, "127.0.0.1");
    if (held === null) {
      const claimed = await claimNext(ctx, toGlobalId("WorkQueue", queue!.id));
      commits.push({ type: "claimed", at: clock() });
      if (!claimed.value) throw new Error("coder3 found nothing to claim in outpatient coding");
      held = toGlobalId("WorkItem", claimed.value.id);
    } else {
      const released = await release(ctx, { workItemId: held });
      commits.push({ type: "released", at: clock() });
      if (!released.value) throw new Error(`release refused: ${JSON.stringify(released.userErrors)}`);
      held = null;
    }
  }
  return commits;
}

process.on("message", (request: ServerRequest) => {
  void (async () => {
    switch (request.op) {
      case "clock":
        return reply({ op: "clock", at: clock() });
      case "gc": {
        globalThis.gc!();
        const { heapUsed, heapTotal, external } = process.memoryUsage();
        return reply({ op: "gc", heapUsed, heapTotal, external });
      }
      case "write":
        return reply({ op: "written", commits: await write(request.count, request.intervalMs) });
      case "stop":
        await api.stop();
        process.exit(0);
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});

reply({
  op: "ready",
  url: api.server.url,
  queueId: toGlobalId("WorkQueue", queue.id),
  supervisorToken: await services.tokens.issue(supervisor),
});
