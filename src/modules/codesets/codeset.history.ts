import { basename, extname } from "node:path";
import type { Worker } from "node:worker_threads";
import type { CodeSetDataset } from "../../db/schema/codesets.js";
import { type Deferred, deferred, startWorker } from "../../shared/threads.js";
import { applyAddenda, readAddenda } from "./codeset.addenda.js";
import { type CodeSystem, hasShape } from "./codeset.codes.js";
import { CodeHistory, type HistoryText, type StagedCode } from "./codeset.merge.js";
import { fileError, ImportRefusal, isAddendaFile, readReleaseFile } from "./codeset.readers.js";

export type Progress = (message: string) => void;

/** A release file Chartroom ships, and what it is. */
export interface Release {
  dataset: CodeSetDataset;
  label: string;
  effectiveFrom: string;
  file: string;
}

/** A code system and its shipped releases, oldest first. */
export type ShippedSystem = readonly [CodeSystem, readonly Release[]];

export const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

/**
 * The codes of a file, refused whole if any is not shaped like a code of the system (the wrong
 * --system) or appears twice.
 */
export function checkedCodes(system: CodeSystem, file: string, codes: StagedCode[]): StagedCode[] {
  if (codes.length === 0) throw fileError(file, `holds no ${system} codes in a known format`);
  const malformed = codes.filter((c) => !hasShape(system, c.code)).map((c) => c.code);
  if (malformed.length > 0) {
    throw new ImportRefusal(
      `${file}: ${malformed.length} of ${codes.length} codes are not shaped like ${system} codes ` +
        `(${malformed.slice(0, 3).join(", ")}, …): is --system right?`,
    );
  }
  const seen = new Set<string>();
  for (const { code } of codes) {
    if (seen.has(code)) throw fileError(file, `code ${code} appears twice`);
    seen.add(code);
  }
  return codes;
}

/** A shipped release's codes: read from its file, or, for an order addenda file, applied to the codes of `history`. */
async function shippedCodes(system: CodeSystem, release: Release, history: CodeHistory): Promise<StagedCode[]> {
  if (extname(release.file) !== ".txt" || !(await isAddendaFile(release.file))) {
    return (await readReleaseFile(release.file, system)).codes;
  }
  const addenda = await readAddenda(release.file);
  if (addenda.system !== system || addenda.effectiveFrom !== release.effectiveFrom) {
    throw fileError(
      release.file,
      `makes ${addenda.system} ${addenda.label}, not ${system} from ${release.effectiveFrom}`,
    );
  }
  return applyAddenda(release.file, addenda, history.inForce(addenda.baseEffectiveFrom));
}

/**
 * A system's shipped releases read and merged in memory, oldest first (release i merged as i):
 * the history, and how many codes each release holds.
 */
export async function readHistory(
  [system, releases]: ShippedSystem,
  progress: Progress,
): Promise<{ history: CodeHistory; counts: number[] }> {
  const history = new CodeHistory(system);
  const counts: number[] = [];
  for (const [index, release] of releases.entries()) {
    const at = performance.now();
    progress(`${system} ${release.label}: loading ${basename(release.file)} …`);
    const staged = checkedCodes(system, basename(release.file), await shippedCodes(system, release, history));
    history.merge(index, release.effectiveFrom, staged);
    counts.push(staged.length);
    progress(`${system} ${release.label}: ${staged.length.toLocaleString("en-US")} rows merged in ${seconds(at)} s`);
  }
  return { history, counts };
}

/** What the reading thread says (see codeset.history-worker.ts). */
export type FromHistoryWorker =
  | { kind: "progress"; line: string }
  | { kind: "merged"; system: CodeSystem; counts: number[] }
  | { kind: "failed"; system: CodeSystem; message: string; refusal: ImportRefusal["code"] | null }
  | { kind: "text"; system: CodeSystem; text: HistoryText };

/** What the reading thread is asked: a merged system's rows as COPY text, with its releases' ids. */
export interface ToHistoryWorker {
  system: CodeSystem;
  releaseIds: number[];
}

/**
 * The shipped code systems read and merged in a worker thread, from the moment this is made, while
 * the main thread opens the database, migrates and loads the other tables (on PGlite, the database
 * itself runs on the main thread): the first start's Node work and the database's overlap on two
 * cores. A system's rows come back as COPY text once its releases have ids. `close` ends the thread.
 */
export class ShippedHistories {
  readonly #worker: Worker;
  readonly #merged = new Map<CodeSystem, Deferred<number[]>>();
  readonly #texts = new Map<CodeSystem, Deferred<HistoryText>>();

  constructor(systems: readonly ShippedSystem[], progress: Progress) {
    for (const [system] of systems) {
      this.#merged.set(system, deferred());
      this.#texts.set(system, deferred());
    }
    this.#worker = startWorker(import.meta.url, "codeset.history-worker", { systems });
    this.#worker.on("message", (message: FromHistoryWorker) => {
      if (message.kind === "progress") progress(message.line);
      else if (message.kind === "merged") this.#merged.get(message.system)?.resolve(message.counts);
      else if (message.kind === "text") this.#texts.get(message.system)?.resolve(message.text);
      else {
        const error = message.refusal
          ? new ImportRefusal(message.message, message.refusal)
          : new Error(message.message);
        this.#merged.get(message.system)?.reject(error);
      }
    });
    const stopped = (error: unknown) => {
      for (const pending of [...this.#merged.values(), ...this.#texts.values()]) pending.reject(error);
    };
    this.#worker.on("error", stopped);
    this.#worker.on("exit", (code) => stopped(new Error(`the code-set reading thread stopped (exit code ${code})`)));
  }

  /** How many codes each of the system's releases holds, once all are read and merged; rejects as a reader refuses. */
  counts(system: CodeSystem): Promise<number[]> {
    const merged = this.#merged.get(system);
    if (!merged) throw new Error(`${system} is not among the systems being read`);
    return merged.promise;
  }

  /** The system's rows and search words as COPY text, its releases' ids in the order they were read. */
  async text(system: CodeSystem, releaseIds: number[]): Promise<HistoryText> {
    await this.counts(system);
    this.#worker.postMessage({ system, releaseIds } satisfies ToHistoryWorker);
    return this.#texts.get(system)!.promise;
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
