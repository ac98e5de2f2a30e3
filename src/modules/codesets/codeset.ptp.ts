/**
 * The NCCI procedure-to-procedure (PTP) tables, read without a database: each file's pairs grouped
 * by column-1 code, as the table stores them, and turned into COPY text once their rationales have
 * ids. The shipped files hold 3 million pairs, so a worker thread reads them (PtpFiles) while
 * the main thread opens the database and loads the rest; on PGlite the database runs on the main thread.
 */
import { copyText } from "../../db/bulk.js";
import { type Deferred, deferred, startWorker } from "../../shared/threads.js";
import { eachTsvRow } from "./codeset.files.js";

/**
 * PTP edits deleted before the earliest shipped code-set release (FY2024 ICD-10, from
 * 2023-10-01) can never apply to a date of service Chartroom can code, so they are not loaded.
 * It is also the first date the CPT numbers those rows name are in force.
 */
export const PTP_EDITS_FROM = "2023-10-01";

/** A code the NCCI tables name, and the last date a row naming it applies (null while one is active). */
export interface NamedCode {
  code: string;
  to: string | null;
}

/**
 * The codes the NCCI tables name, as they are loaded, each with the last date a row naming it
 * applies (null while one has no end): what ncciCodeNumbers reads back from the tables, counted
 * here where the rows pass anyway, since that query over the PTP tables' 3 million pairs cost
 * seconds of the first start (on PGlite, in WebAssembly).
 */
export class NamedCodes {
  readonly #to = new Map<string, string | null>();

  name(code: string, to: string | null): void {
    const seen = this.#to.get(code);
    if (seen === undefined) this.#to.set(code, to);
    else if (seen !== null) this.#to.set(code, to === null || to > seen ? to : seen);
  }

  /** A PTP row: its column-1 code until its last pair ends, each column-2 code until its pair does. */
  namePtp(column1: string, column2s: readonly string[], deletionDates: readonly (string | null)[]): void {
    let last: string | null = "";
    for (const [index, column2] of column2s.entries()) {
      const to = deletionDates[index]!;
      this.name(column2, to);
      if (last !== null) last = to === null || to > last ? to : last;
    }
    this.name(column1, last);
  }

  get codes(): NamedCode[] {
    return [...this.#to].map(([code, to]) => ({ code, to }));
  }
}

/** One column-1 code's pairs; `rationales` index the file's rationale texts. */
interface PtpGroup {
  column1: string;
  column2s: string[];
  modifier_indicators: number[];
  deletion_dates: (string | null)[];
  rationales: number[];
}

/** A PTP file read: its pairs grouped by column-1 code, its distinct rationale texts, the codes it names. */
export interface PtpFile {
  groups: PtpGroup[];
  rationales: string[];
  named: NamedCode[];
  pairs: number;
}

export async function readPtpFile(file: string): Promise<PtpFile> {
  const groups = new Map<string, PtpGroup>();
  const rationales = new Map<string, number>();
  let pairs = 0;
  await eachTsvRow(file, (cells, column) => {
    const deletion = cells[column["deletion_date"]!] ?? "";
    if (deletion < PTP_EDITS_FROM) return;
    const column1 = cells[column["column_1"]!]!;
    let group = groups.get(column1);
    if (!group) {
      group = { column1, column2s: [], modifier_indicators: [], deletion_dates: [], rationales: [] };
      groups.set(column1, group);
    }
    const rationale = cells[column["rationale"]!] ?? "";
    let index = rationales.get(rationale);
    if (index === undefined) {
      index = rationales.size;
      rationales.set(rationale, index);
    }
    group.column2s.push(cells[column["column_2"]!]!);
    group.modifier_indicators.push(Number(cells[column["modifier_indicator"]!]));
    group.deletion_dates.push(deletion === "9999-12-31" ? null : deletion);
    group.rationales.push(index);
    pairs++;
  });
  const named = new NamedCodes();
  for (const group of groups.values()) named.namePtp(group.column1, group.column2s, group.deletion_dates);
  return { groups: [...groups.values()], rationales: [...rationales.keys()], named: named.codes, pairs };
}

export const PTP_COLUMNS = ["setting", "column1", "column2s", "modifier_indicators", "deletion_dates", "rationale_ids"];

/** A read file's rows for `setting` as COPY text under PTP_COLUMNS, `rationaleIds[i]` the id of its rationale i. */
export function ptpCopyText(setting: string, file: PtpFile, rationaleIds: readonly number[]): string[] {
  return copyText(
    PTP_COLUMNS,
    file.groups.map(({ rationales, ...group }) => ({
      setting,
      ...group,
      rationale_ids: rationales.map((index) => rationaleIds[index]!),
    })),
  );
}

/** What the PTP reading thread says (see codeset.ptp-worker.ts). */
export type FromPtpWorker =
  | { kind: "read"; file: string; rationales: string[]; named: NamedCode[]; pairs: number }
  | { kind: "text"; file: string; text: string[] }
  | { kind: "failed"; file: string; message: string };

/** What the PTP reading thread is asked: to read a file, or a read file's rows as COPY text with rationale ids. */
export type ToPtpWorker =
  | { kind: "read"; file: string }
  | { kind: "text"; file: string; setting: string; rationaleIds: number[] };

/** A PTP file's rows as COPY text, how many pairs they hold and the codes they name. */
export interface PtpText {
  text: string[];
  pairs: number;
  named: NamedCode[];
}

/**
 * PTP files read in a worker thread, one after the other: those given from the moment this is made
 * (the shipped files a first start loads), any other when first asked for. `text` gives a file's
 * COPY text once the caller has the ids of its rationale texts (which its transaction assigns).
 * `close` ends the thread.
 */
export class PtpFiles {
  readonly #worker;
  readonly #read = new Map<string, Deferred<Omit<FromPtpWorker & { kind: "read" }, "kind" | "file">>>();
  readonly #texts = new Map<string, Deferred<string[]>>();

  constructor(files: readonly string[] = []) {
    this.#worker = startWorker(import.meta.url, "codeset.ptp-worker", {});
    for (const file of files) this.#readFile(file);
    this.#worker.on("message", (message: FromPtpWorker) => {
      if (message.kind === "read") this.#read.get(message.file)?.resolve(message);
      else if (message.kind === "text") this.#texts.get(message.file)?.resolve(message.text);
      else this.#read.get(message.file)?.reject(new Error(`${message.file}: ${message.message}`));
    });
    const stopped = (error: unknown) => {
      for (const pending of [...this.#read.values(), ...this.#texts.values()]) pending.reject(error);
    };
    this.#worker.on("error", stopped);
    this.#worker.on("exit", (code) => stopped(new Error(`the PTP reading thread stopped (exit code ${code})`)));
  }

  #readFile(file: string) {
    const read = deferred<Omit<FromPtpWorker & { kind: "read" }, "kind" | "file">>();
    this.#read.set(file, read);
    this.#texts.set(file, deferred());
    this.#worker.postMessage({ kind: "read", file } satisfies ToPtpWorker);
    return read;
  }

  /** A file's rows for `setting`, its rationale texts given ids by `idsOf`. */
  async text(
    file: string,
    setting: string,
    idsOf: (texts: readonly string[]) => Promise<Map<string, number>>,
  ): Promise<PtpText> {
    const { rationales, named, pairs } = await (this.#read.get(file) ?? this.#readFile(file)).promise;
    const ids = await idsOf(rationales);
    const rationaleIds = rationales.map((text) => ids.get(text)!);
    this.#worker.postMessage({ kind: "text", file, setting, rationaleIds } satisfies ToPtpWorker);
    return { text: await this.#texts.get(file)!.promise, pairs, named };
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
