import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";
import { percentile } from "./database.js";
import { benchEventWrites } from "./event-writes.js";
import { recordDriverFigure } from "./figures.js";

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes of one machine. */
export const clock = () => performance.timeOrigin + performance.now();

/** What bench/events-server.ts is asked over IPC, one request at a time. */
export type ServerRequest =
  | { op: "clock" }
  | { op: "gc" }
  | { op: "write"; count: number; intervalMs: number }
  | { op: "stop" };
/** Its answers: once started, "ready"; then one answer per request, of the same op ("written" for "write"). */
export type ServerReply =
  | { op: "ready"; url: string; queueId: string; supervisorToken: string }
  | { op: "clock"; at: number }
  | { op: "gc"; heapUsed: number; heapTotal: number; external: number }
  | { op: "written"; commits: { type: string; at: number }[] };

/**
 * A delivery run: how many subscriptions on how many sockets, what they select, and the measured
 * changes with their pace (steady, one transaction at a time). Twenty events to 1,000 subscribers
 * are 20,000 deliveries, enough for a p99, in 4 s of the run's ~25; 10,000 subscribers get ten
 * events a second apart, so that the bench's own client (on the same machine) keeps up.
 */
interface DeliveryRun {
  subscribers: number;
  sockets: number;
  selection: Selection;
  events: number;
  intervalMs: number;
}
const THOUSAND = { subscribers: 1_000, events: 20, intervalMs: 200 };
const DELIVERY_TIMEOUT_MS = 60_000;
/** How long to wait after the last expected delivery for any duplicate or stray one. */
const SETTLE_MS = 500;

/**
 * What the subscribers select: the event alone, or with the item as it is now (which the server reads
 * for each delivery).
 */
const SELECTIONS = {
  event: "cursor type status version",
  "event and item": "cursor type status version item { id status priority }",
};
type Selection = keyof typeof SELECTIONS;

/**
 * Event figures: on PostgreSQL, write throughput without events, with Chartroom's outbox event, and
 * with a NOTIFY in every transaction (bench/event-writes.ts); on both drivers, commit-to-client
 * latency and server memory with 1,000 graphql-ws subscribers: multiplexed on 10 sockets, then one
 * socket each, then on 10 sockets again selecting the item too.
 */
export async function benchEvents(databaseUrl: string | undefined): Promise<void> {
  if (databaseUrl) await benchEventWrites(databaseUrl);
  const onTen = await benchDelivery(databaseUrl, { ...THOUSAND, sockets: 10, selection: "event" });
  recordDriverFigure("delivery_p99_ms_1000", databaseUrl, onTen.p99);
  recordDriverFigure("kib_per_subscription_10_sockets", databaseUrl, onTen.kibPerSubscription);
  const eachOwn = await benchDelivery(databaseUrl, { ...THOUSAND, sockets: 1_000, selection: "event" });
  recordDriverFigure("delivery_p99_ms_1000_sockets", databaseUrl, eachOwn.p99);
  recordDriverFigure("kib_per_subscription", databaseUrl, eachOwn.kibPerSubscription);
  await benchDelivery(databaseUrl, { ...THOUSAND, sockets: 10, selection: "event and item" });
  const tenThousand = await benchDelivery(databaseUrl, {
    subscribers: 10_000,
    sockets: 100,
    selection: "event",
    events: 10,
    intervalMs: 1_000,
  });
  recordDriverFigure("delivery_p99_ms_10000", databaseUrl, tenThousand.p99);
}

/** The Chartroom server of a delivery run, in a child process (bench/events-server.ts). */
class ServerProcess {
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;

  private constructor(
    child: ChildProcess,
    readonly ready: Extract<ServerReply, { op: "ready" }>,
  ) {
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once("exit", resolve));
  }

  static async start(databaseUrl: string | undefined): Promise<ServerProcess> {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "bench/events-server.ts"], {
      env: { ...process.env, BENCH_DATABASE_URL: databaseUrl ?? "" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const ready = await new Promise<ServerReply>((resolve, reject) => {
      child.once("message", (message: ServerReply) => resolve(message));
      child.once("exit", (code) => reject(new Error(`the benchmark server exited ${code} before it was ready`)));
    });
    child.removeAllListeners("exit");
    if (ready.op !== "ready") throw new Error(`the benchmark server said ${ready.op} before it was ready`);
    return new ServerProcess(child, ready);
  }

  ask<Op extends ServerReply["op"]>(request: ServerRequest, op: Op): Promise<Extract<ServerReply, { op: Op }>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`the benchmark server exited ${code} while asked to ${request.op}`));
      this.#child.once("exit", onExit);
      this.#child.once("message", (message: ServerReply) => {
        this.#child.off("exit", onExit);
        if (message.op === op) resolve(message as Extract<ServerReply, { op: Op }>);
        else reject(new Error(`asked to ${request.op}, the benchmark server answered ${message.op}`));
      });
      this.#child.send(request);
    });
  }

  /**
   * After a full garbage collection: the server's resident memory as the kernel counts it, its
   * JavaScript heap (used, and held from the system), and memory outside the heap held by JavaScript
   * objects (buffers), in MiB.
   */
  async memory(): Promise<{ rss: number; heap: number; heapHeld: number; external: number }> {
    const { heapUsed, heapTotal, external } = await this.ask({ op: "gc" }, "gc");
    const status = readFileSync(`/proc/${this.#child.pid}/status`, "utf8");
    const mib = (bytes: number) => bytes / 2 ** 20;
    return {
      rss: Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]) / 1024,
      heap: mib(heapUsed),
      heapHeld: mib(heapTotal),
      external: mib(external),
    };
  }

  /**
   * How far the server's clock is ahead of this one, from the IPC round trip that was quickest;
   * both read the same system clock, so this should be near zero, and it is printed to show it.
   */
  async clockOffset(): Promise<{ offset: number; uncertainty: number }> {
    let best = { offset: 0, uncertainty: Infinity };
    for (let i = 0; i < 20; i++) {
      const sent = clock();
      const { at } = await this.ask({ op: "clock" }, "clock");
      const back = clock();
      if ((back - sent) / 2 < best.uncertainty)
        best = { offset: at - (sent + back) / 2, uncertainty: (back - sent) / 2 };
    }
    return best;
  }

  /** CPU time the server has used so far, user and system, in milliseconds. */
  cpuMs(): number {
    const fields = readFileSync(`/proc/${this.#child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks of 10 ms on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }

  async stop(): Promise<void> {
    this.#child.send({ op: "stop" } satisfies ServerRequest);
    await this.#exited;
  }
}

/** One delivery as a subscriber saw it: the event's id (from its cursor), its type, and when it arrived. */
type Arrival = { id: number; type: string; at: number };

/**
 * `count` supervisors' workItemEvents subscriptions on one queue, spread over `sockets` graphql-ws
 * connections, each receiving the events after the `after` cursor.
 */
async function openSubscribers(
  server: ServerProcess,
  sockets: number,
  count: number,
  selection: Selection,
  after: string | null,
) {
  const { url, queueId, supervisorToken } = server.ready;
  const failures: unknown[] = [];
  const clients: Client[] = [];
  await Promise.all(
    Array.from({ length: sockets }, async () => {
      const client = createClient({
        url: url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${supervisorToken}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: (error) => failures.push(error),
      });
      clients.push(client);
      await new Promise((resolve) => client.on("connected", resolve));
    }),
  );
  let lastCursor: string | null = null;
  const arrivals: Arrival[][] = Array.from({ length: count }, (_, i) => {
    const received: Arrival[] = [];
    clients[i % sockets]!.subscribe<{ workItemEvents: { cursor: string; type: string } }>(
      {
        query: `subscription ($queueId: ID, $after: String) {
          workItemEvents(queueId: $queueId, after: $after) { ${SELECTIONS[selection]} }
        }`,
        variables: { queueId, after },
      },
      {
        next: (result) => {
          const at = clock();
          if (!result.data) return void failures.push(result.errors);
          const { cursor, type } = result.data.workItemEvents;
          received.push({ id: Number(Buffer.from(cursor, "base64url").toString("utf8").split(":")[1]), type, at });
          lastCursor = cursor;
        },
        error: (error) => failures.push(error),
        complete: () => failures.push(new Error("a subscription completed while events were expected")),
      },
    );
    return received;
  });
  return {
    arrivals,
    /** The cursor of the last event any of them received. */
    lastCursor: () => lastCursor,
    /**
     * Resolves once every subscriber has received `each` events since the last reset, or false after
     * `timeoutMs`; throws on any failure.
     */
    async waitFor(each: number, timeoutMs = DELIVERY_TIMEOUT_MS): Promise<boolean> {
      const deadline = Date.now() + timeoutMs;
      while (arrivals.some((received) => received.length < each) && failures.length === 0) {
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (failures.length > 0) throw new Error(`subscriptions failed: ${JSON.stringify(failures.slice(0, 3))}`);
      return true;
    },
    reset(): void {
      for (const received of arrivals) received.length = 0;
    },
    close: () => Promise.all(clients.map((client) => client.dispose())),
  };
}

/**
 * Latency from commit to client and the server's memory, with `run.subscribers` subscriptions over
 * `sockets` connections.
 *
 * A change's commit time is taken in the server process right after its service call returned:
 * the transaction has committed then, and not before. The event's `at` would not do: it is the
 * row's created_at, now(), the transaction's start. Nor would the mutation's HTTP response, which
 * leaves after the commit and races the event. The server's clock is compared with this one over
 * IPC. Every subscriber must receive every event exactly once, in order, or the run fails.
 */
async function benchDelivery(
  databaseUrl: string | undefined,
  run: DeliveryRun,
): Promise<{ p99: number; kibPerSubscription: number }> {
  const { subscribers: count, sockets, selection, events, intervalMs } = run;
  const driver = databaseUrl ? "PostgreSQL" : "PGlite";
  const server = await ServerProcess.start(databaseUrl);
  try {
    // One subscriber and one event first, so that the baseline already holds the delivery code.
    // graphql-ws does not acknowledge a subscription: write until the subscriber is listening.
    const warmUp = await openSubscribers(server, 1, 1, selection, null);
    for (let attempt = 1; ; attempt++) {
      await server.ask({ op: "write", count: 1, intervalMs: 0 }, "written");
      if (await warmUp.waitFor(1, 1_000)) break;
      if (attempt === 10) throw new Error("a subscription received none of 10 events, a second apart");
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const start = warmUp.lastCursor();
    await warmUp.close();
    const idle = await server.memory();

    // From the warm-up's last event on, so that an event written while a subscription is still
    // starting reaches it too (replayed); the first event then tells that all are listening.
    const subscribers = await openSubscribers(server, sockets, count, selection, start);
    await server.ask({ op: "write", count: 1, intervalMs: 0 }, "written");
    if (!(await subscribers.waitFor(1))) {
      const reached = subscribers.arrivals.filter((received) => received.length > 0).length;
      throw new Error(`${reached} of ${count} subscribers received the first event within ${DELIVERY_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    if (subscribers.arrivals.some((received) => received.length !== 1))
      throw new Error("a subscriber received the first event twice");
    const subscribed = await server.memory();
    subscribers.reset();

    const { offset, uncertainty } = await server.clockOffset();
    const cpuBefore = server.cpuMs();
    const { commits } = await server.ask({ op: "write", count: events, intervalMs }, "written");
    if (!(await subscribers.waitFor(events))) {
      const counts = subscribers.arrivals.map((received) => received.length);
      throw new Error(
        `after ${DELIVERY_TIMEOUT_MS} ms, ` +
          `subscribers had ${Math.min(...counts)} to ${Math.max(...counts)} of ${events} events`,
      );
    }
    const cpu = server.cpuMs() - cpuBefore;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

    const ids = subscribers.arrivals[0]!.map((arrival) => arrival.id);
    const latencies: number[] = [];
    for (const [n, received] of subscribers.arrivals.entries()) {
      if (
        received.length !== events ||
        received.some((arrival, k) => arrival.id !== ids[k] || arrival.type !== commits[k]!.type)
      ) {
        throw new Error(
          `subscriber ${n} received ${received.map((a) => `${a.id}:${a.type}`).join(" ")}; ` +
            `expected ${events} events ${ids.join(" ")}`,
        );
      }
      for (const [k, arrival] of received.entries()) latencies.push(arrival.at - (commits[k]!.at - offset));
    }
    if (new Set(ids).size !== events || ids.some((id, k) => k > 0 && id <= ids[k - 1]!))
      throw new Error(`event ids not distinct and rising: ${ids.join(" ")}`);
    const delivered = await server.memory();
    await subscribers.close();

    latencies.sort((a, b) => a - b);
    const target = count === 10_000 ? "p99 ≤ 150 ms" : "p99 ≤ 50 ms";
    const label =
      `events   ${driver.padEnd(10)} ${count} subscribers on ${String(sockets).padStart(4)} socket(s), ` +
      `selecting the ${selection.padEnd(14)}:`;
    console.log(
      `${label} ${latencies.length} deliveries (${events} events × ${count}, each once, in order) ` +
        `at ${1000 / intervalMs} events/s: ` +
        `commit→client p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms ` +
        `(clocks ${offset.toFixed(2)} ± ${uncertainty.toFixed(2)} ms apart); ` +
        `server CPU ${((cpu * 1000) / latencies.length).toFixed(0)} µs per delivery; ` +
        `load ${loadavg()[0]!.toFixed(2)}; target ${target}`,
    );
    const kib = (mib: number) => (mib * 1024) / count;
    const perSubscription = (mib: number) => `${kib(mib).toFixed(0)} KiB per subscription`;
    console.log(
      `${label} server RSS ${idle.rss.toFixed(0)} MiB idle, ${subscribed.rss.toFixed(0)} MiB subscribed ` +
        `(${perSubscription(subscribed.rss - idle.rss)}), ${delivered.rss.toFixed(0)} MiB after the deliveries; ` +
        `JS heap ${idle.heap.toFixed(0)}, ${subscribed.heap.toFixed(0)} ` +
        `(${perSubscription(subscribed.heap - idle.heap)}), ${delivered.heap.toFixed(0)} MiB ` +
        `(held ${idle.heapHeld.toFixed(0)}, ${subscribed.heapHeld.toFixed(0)}, ${delivered.heapHeld.toFixed(0)}); ` +
        `outside it ${idle.external.toFixed(0)}, ${subscribed.external.toFixed(0)}, ` +
        `${delivered.external.toFixed(0)} MiB; target ≤ 30 KiB RSS`,
    );
    return { p99: percentile(latencies, 99), kibPerSubscription: kib(subscribed.rss - idle.rss) };
  } finally {
    await server.stop();
  }
}
