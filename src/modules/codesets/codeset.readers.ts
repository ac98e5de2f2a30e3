import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { unzipSync } from "fflate";
import type readXlsxFile from "read-excel-file/node";
import { type CodeSystem, isCptNumber, normalizeCode } from "./codeset.codes.js";
import { csvRows, lines, parseOrderFileLine, tsvRows } from "./codeset.files.js";
import type { StagedCode } from "./codeset.merge.js";

/** A release file as read: the system and dates it states, and its codes (or the changes it makes). */
export interface ReleaseFile {
  system: CodeSystem;
  /** What the file itself says of its release; null where it says nothing (a shipped extract, a licensed CSV). */
  label: string | null;
  effectiveFrom: string | null;
  codes: StagedCode[];
}

/**
 * An import refused for what the file holds (FILE_REFUSED) or for the order releases come in
 * (RELEASE_OUT_OF_ORDER), as opposed to a failure of the server: an administrator can act on it.
 */
export class ImportRefusal extends Error {
  constructor(
    message: string,
    readonly code: "FILE_REFUSED" | "RELEASE_OUT_OF_ORDER" = "FILE_REFUSED",
  ) {
    super(message);
  }
}

/** A refusal that names the file and, where one is at fault, its line. */
export function fileError(file: string, message: string, line?: number): ImportRefusal {
  return new ImportRefusal(`${basename(file)}${line === undefined ? "" : `, line ${line}`}: ${message}`);
}

/** ICD-10 fiscal years start on 1 October of the year before: FY2026 from 2025-10-01. */
export const fiscalYearStart = (year: number) => `${year - 1}-10-01`;

const ORDER_FILE_NAME = /^icd10(cm|pcs)_order_(\d{4})\.txt$/i;

/** The release a CMS order-file name states: icd10cm_order_2026.txt is ICD-10-CM FY2026. */
function orderFileRelease(name: string): Pick<ReleaseFile, "system" | "label" | "effectiveFrom"> | null {
  const match = ORDER_FILE_NAME.exec(name);
  if (!match) return null;
  const year = Number(match[2]);
  return {
    system: match[1]!.toLowerCase() === "cm" ? "ICD10CM" : "ICD10PCS",
    label: `FY${year}`,
    effectiveFrom: fiscalYearStart(year),
  };
}

const orderCode = (entry: NonNullable<ReturnType<typeof parseOrderFileLine>>): StagedCode => ({
  code: entry.code,
  billable: entry.billable,
  short: entry.shortDescription,
  long: entry.longDescription,
  from: null,
  to: null,
});

/** Every line of a CMS order file, refused at the first line of another shape. */
function orderFileCodes(file: string, text: string): StagedCode[] {
  const codes: StagedCode[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const entry = parseOrderFileLine(line);
    if (!entry) throw fileError(file, "not a line of a CMS order file (order number, code, 0 or 1, titles)", index + 1);
    codes.push(orderCode(entry));
  });
  return codes;
}

/**
 * The order file inside a CMS ICD-10-CM or -PCS zip as downloaded ("Code Descriptions in Tabular
 * Order", "Order File"): the member icd10cm_order_YYYY.txt or icd10pcs_order_YYYY.txt names system and year.
 */
async function readOrderZip(file: string): Promise<ReleaseFile> {
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(await readFile(file), { filter: (member) => ORDER_FILE_NAME.test(basename(member.name)) });
  } catch (error) {
    throw fileError(file, `not a readable zip file (truncated download?): ${(error as Error).message}`);
  }
  const names = Object.keys(members);
  if (names.length !== 1) {
    throw fileError(
      file,
      `holds ${names.length} order files (icd10cm_order_YYYY.txt or icd10pcs_order_YYYY.txt), not one`,
    );
  }
  const member = names[0]!;
  const release = orderFileRelease(basename(member))!;
  const text = new TextDecoder("latin1").decode(members[member]);
  return { ...release, codes: orderFileCodes(`${basename(file)}/${basename(member)}`, text) };
}

/** A CMS order file already unzipped: its name states the release when it is CMS's own. */
async function readOrderText(file: string): Promise<ReleaseFile | null> {
  const codes = orderFileCodes(file, await readFile(file, "latin1"));
  const release = orderFileRelease(basename(file));
  if (release) return { ...release, codes };
  if (codes.length === 0) return null;
  return { system: /^\d{7}$/.test(codes[0]!.code) ? "ICD10PCS" : "ICD10CM", label: null, effectiveFrom: null, codes };
}

/** ICD-10-CM or -PCS codes from a shipped TSV extract (columns code or code_nodot, billable, descriptions). */
export async function readOrderExtract(file: string): Promise<StagedCode[]> {
  const codes: StagedCode[] = [];
  for await (const cells of tsvRows(file)) {
    const long = cells["long_description"] ?? "";
    codes.push({
      code: normalizeCode(cells["code_nodot"] ?? cells["code"] ?? ""),
      billable: cells["billable"] === "1",
      short: cells["short_description"] || long,
      long,
      from: null,
      to: null,
    });
  }
  return codes.filter((c) => c.code !== "");
}

/** A HCPCS extract in the shipped TSV layout (code, descriptions, date_added, date_term). */
export async function readHcpcsExtract(file: string): Promise<StagedCode[]> {
  const codes: StagedCode[] = [];
  for await (const row of tsvRows(file)) {
    const long = row["long_description"] || row["short_description"] || "";
    codes.push({
      code: normalizeCode(row["code"] ?? ""),
      billable: true,
      short: row["short_description"] || long,
      long,
      from: row["date_added"] || null,
      to: row["date_term"] || null,
    });
  }
  return codes;
}

const ANWEB_COLUMNS = ["HCPC", "SEQNUM", "RECID", "LONG DESCRIPTION", "SHORT DESCRIPTION", "ADD DT", "TERM DT"];
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
/** ANWEB record kinds: 3 a procedure or supply code, 4 the continuation of its long description; 7 a modifier. */
const RECORD = { code: "3", continued: "4" } as const;

const ymd = (value: string) =>
  /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : null;

/**
 * The CMS HCPCS Level II alpha-numeric file as downloaded (HCPC2025_OCT_ANWEB.xlsx): its sheet
 * name states the quarter; one row per code (record 3), long descriptions continued on record 4 rows.
 * Modifiers (record 7) are a list of their own.
 */
async function readAnweb(file: string): Promise<ReleaseFile> {
  let sheets: Awaited<ReturnType<typeof readXlsxFile>>;
  try {
    // The xlsx reader (fifty modules) is loaded only when an xlsx file is read.
    const { default: readXlsx } = await import("read-excel-file/node");
    sheets = await readXlsx(file);
  } catch (error) {
    throw fileError(file, `not a readable xlsx file: ${(error as Error).message}`);
  }
  const sheet = sheets.find((s) => /^HCPC(\d{4})_([A-Z]{3})_ANWEB/i.test(s.sheet));
  if (!sheet) throw fileError(file, "has no HCPCnnnn_MMM_ANWEB sheet: not the CMS HCPCS alpha-numeric file");
  const [, year, month] = /^HCPC(\d{4})_([A-Z]{3})/i.exec(sheet.sheet)!;
  const monthIndex = MONTHS.indexOf(month!.toUpperCase());
  const header = (sheet.data[0] ?? []).map((cell) => String(cell ?? "").trim());
  const missing = ANWEB_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0 || monthIndex < 0) {
    throw fileError(file, `sheet ${sheet.sheet} lacks the ANWEB columns ${missing.join(", ")}: another layout`, 1);
  }
  const column = Object.fromEntries(ANWEB_COLUMNS.map((name) => [name, header.indexOf(name)]));
  const cell = (row: readonly unknown[], name: string) => String(row[column[name]!] ?? "").trim();
  const codes: StagedCode[] = [];
  sheet.data.slice(1).forEach((row, index) => {
    const kind = cell(row, "RECID");
    if (kind === RECORD.continued && codes.at(-1)?.code === normalizeCode(cell(row, "HCPC"))) {
      codes.at(-1)!.long += ` ${cell(row, "LONG DESCRIPTION")}`;
      return;
    }
    if (kind !== RECORD.code) return;
    const code = normalizeCode(cell(row, "HCPC"));
    const long = cell(row, "LONG DESCRIPTION") || cell(row, "SHORT DESCRIPTION");
    if (!code || !long) throw fileError(file, "a code row without its code or description", index + 2);
    codes.push({
      code,
      billable: true,
      short: cell(row, "SHORT DESCRIPTION") || long,
      long,
      from: ymd(cell(row, "ADD DT")),
      to: ymd(cell(row, "TERM DT")),
    });
  });
  const quarterStart = `${year}-${String(monthIndex + 1).padStart(2, "0")}-01`;
  return { system: "HCPCS", label: `${year} ${month!.toUpperCase()}`, effectiveFrom: quarterStart, codes };
}

/**
 * A licensed CPT file: CSV with columns code, short_description (or short) and long_description (or
 * long or description).
 */
async function readLicensedCpt(file: string): Promise<StagedCode[]> {
  return (await csvRows(file))
    .map((row) => {
      const long = row["long_description"] ?? row["long"] ?? row["description"] ?? "";
      return {
        code: normalizeCode(row["code"] ?? ""),
        billable: true,
        short: row["short_description"] ?? row["short"] ?? long,
        long,
        from: null,
        to: null,
      };
    })
    .filter((c) => isCptNumber(c.code) && c.long !== "");
}

/** Whether a text file is an order addenda file (its lines start Add:, Delete:, Revise from:, Revise to:). */
export async function isAddendaFile(file: string): Promise<boolean> {
  for await (const line of lines(file)) {
    if (line.trim() !== "") return /^(Add|Delete|Revise from|Revise to):/.test(line);
  }
  return false;
}

/**
 * A release file of any kind Chartroom reads, told apart by its form: a CMS order-file zip or
 * order file, the HCPCS ANWEB xlsx, a shipped TSV extract, or a CSV (licensed CPT). `system`, when
 * given, is what the caller expects (the tab-separated and CSV files do not say).
 */
export async function readReleaseFile(file: string, system?: CodeSystem): Promise<ReleaseFile> {
  const name = basename(file).toLowerCase();
  if (name.endsWith(".zip")) return readOrderZip(file);
  if (name.endsWith(".xlsx")) return readAnweb(file);
  if (name.endsWith(".csv"))
    return { system: system ?? "CPT", label: null, effectiveFrom: null, codes: await readLicensedCpt(file) };
  if (/\.tsv(\.gz)?$/.test(name)) {
    if (system === "HCPCS") return { system, label: null, effectiveFrom: null, codes: await readHcpcsExtract(file) };
    const codes = await readOrderExtract(file);
    return { system: system ?? "ICD10CM", label: null, effectiveFrom: null, codes };
  }
  const release = await readOrderText(file);
  if (!release) throw fileError(file, "holds no codes in a known format");
  return release;
}
