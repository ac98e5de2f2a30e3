/**
 * The thread ShippedHistories starts (codeset.history.ts): reads and merges each shipped code
 * system in turn, says how many codes each release holds, and on request turns a system's rows
 * into COPY text with its releases' ids.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { CodeSystem } from "./codeset.codes.js";
import { type FromHistoryWorker, readHistory, type ShippedSystem, type ToHistoryWorker } from "./codeset.history.js";
import type { CodeHistory } from "./codeset.merge.js";
import { ImportRefusal } from "./codeset.readers.js";

const port = parentPort!;
const say = (message: FromHistoryWorker) => port.postMessage(message);
const histories = new Map<CodeSystem, CodeHistory>();

port.on("message", ({ system, releaseIds }: ToHistoryWorker) => {
  say({ kind: "text", system, text: histories.get(system)!.copyText(releaseIds) });
  histories.delete(system);
});

for (const shipped of (workerData as { systems: ShippedSystem[] }).systems) {
  const [system] = shipped;
  try {
    const { history, counts } = await readHistory(shipped, (line) => say({ kind: "progress", line }));
    histories.set(system, history);
    say({ kind: "merged", system, counts });
  } catch (error) {
    const refusal = error instanceof ImportRefusal ? error.code : null;
    say({ kind: "failed", system, message: error instanceof Error ? error.message : String(error), refusal });
  }
}
