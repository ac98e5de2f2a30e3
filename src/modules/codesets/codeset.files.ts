import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse/sync";
import { projectPath } from "../../shared/project.js";

/** The code-set files shipped in the repository (see its PROVENANCE.md). */
export const CODESETS_DIR = projectPath("data", "codesets");

/** The lines of a text file, gunzipped when its name ends in .gz. */
export function lines(path: string): AsyncIterable<string> {
  const raw: Readable = createReadStream(path);
  return createInterface({ input: path.endsWith(".gz") ? raw.pipe(createGunzip()) : raw, crlfDelay: Infinity });
}

/** Rows of a tab-separated file with a header line and no quoting (the shipped CMS extracts), as objects. */
export async function* tsvRows(path: string): AsyncGenerator<Record<string, string>> {
  let header: string[] | undefined;
  for await (const line of lines(path)) {
    if (line === "") continue;
    const cells = line.split("\t");
    if (!header) {
      header = cells;
      continue;
    }
    // A plain loop: the NCCI tables have millions of rows, and a [name, cell] pair each doubled the garbage.
    const row: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) row[header[i]!] = cells[i] ?? "";
    yield row;
  }
}

/**
 * Calls `onRow` with the cells of each line of a tab-separated file like tsvRows reads, and where
 * each header column is: for the NCCI tables' millions of rows, where an object and an await per
 * row took twice as long as splitting the text itself.
 */
export async function eachTsvRow(
  path: string,
  onRow: (cells: readonly string[], column: Readonly<Record<string, number>>) => void,
): Promise<void> {
  const raw: Readable = createReadStream(path);
  const input = (path.endsWith(".gz") ? raw.pipe(createGunzip()) : raw).setEncoding("utf8");
  let column: Record<string, number> | undefined;
  const take = (line: string) => {
    const text = line.endsWith("\r") ? line.slice(0, -1) : line;
    if (text === "") return;
    const cells = text.split("\t");
    if (column) onRow(cells, column);
    else column = Object.fromEntries(cells.map((name, index) => [name, index]));
  };
  let rest = "";
  for await (const chunk of input) {
    const parts = (rest + (chunk as string)).split("\n");
    rest = parts.pop()!;
    for (const line of parts) take(line);
  }
  take(rest);
}

/** A user-supplied CSV with a header line (licensed CPT files), quoting and all. */
export async function csvRows(path: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path), {
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    skip_empty_lines: true,
    trim: true,
    bom: true,
  });
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export interface OrderFileEntry {
  code: string;
  billable: boolean;
  shortDescription: string;
  longDescription: string;
}

/**
 * One line of a CMS ICD-10-CM or ICD-10-PCS order file (icd10cm_order_YYYY.txt), fixed width:
 * order number (1–5), code without dot (7–13), 1 for a valid code or 0 for a header (15),
 * short description (17–76), long description (78 on). Null for a line of another shape.
 */
export function parseOrderFileLine(line: string): OrderFileEntry | null {
  if (!/^\d{5} [0-9A-Z]{3,7} *[01] /.test(line) || line.length < 17) return null;
  const code = line.slice(6, 13).trim();
  const flag = line[14];
  if (flag !== "0" && flag !== "1") return null;
  const shortDescription = line.slice(16, 76).trim();
  const longDescription = line.slice(77).trim() || shortDescription;
  return { code, billable: flag === "1", shortDescription, longDescription };
}
