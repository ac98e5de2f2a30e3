import { basename, extname, join } from "node:path";
import { copyText } from "../../db/bulk.js";
import type { Database } from "../../db/client.js";
import {
  adjustmentCodes,
  diagnosisEdits,
  modifiers,
  mueLimits,
  ncciAddOnCodes,
  ncciPtpEdits,
  placesOfService,
} from "../../db/schema/codesets.js";
import { applyAddenda, readAddenda } from "./codeset.addenda.js";
import { type CodeSystem, CPT_PLACEHOLDER, isCptNumber, normalizeCode } from "./codeset.codes.js";
import { CODESETS_DIR, sha256File, tsvRows } from "./codeset.files.js";
import {
  checkedCodes,
  type Progress,
  type Release,
  ShippedHistories,
  type ShippedSystem,
  seconds,
} from "./codeset.history.js";
import {
  analyzeCodes,
  findRelease,
  insertCodeNotes,
  insertRelease,
  latestRelease,
  latestReleaseDates,
  lockCodeSetImports,
  mergeCodeRelease,
  ncciCodeNumbers,
  ncciRationaleIds,
  rebuildSearchTerms,
  releaseInForce,
  replaceNcciSetting,
  replaceTable,
  setAsideCodeIndexes,
  setReleaseRowCount,
  writeCodeHistory,
} from "./codeset.import-store.js";
import type { StagedCode } from "./codeset.merge.js";
import { type NamedCode, NamedCodes, PTP_COLUMNS, PTP_EDITS_FROM, PtpFiles } from "./codeset.ptp.js";
import { fileError, ImportRefusal, isAddendaFile, readReleaseFile } from "./codeset.readers.js";
import { TABULAR_DATASET } from "./codeset.store.js";
import { readTabular } from "./codeset.tabular.js";
import { forgetVocabulary } from "./codeset.vocabulary.js";

interface LoadResult {
  rows: number;
}

/** Runs `load` in one transaction with the release row, unless a file with the same checksum was imported before. */
async function importRelease(
  db: Database,
  release: Release,
  progress: Progress,
  load: (tx: Database, releaseId: number) => Promise<LoadResult>,
): Promise<boolean> {
  const sha256 = await sha256File(release.file);
  if (await findRelease(db, release.dataset, sha256)) {
    progress(`${release.dataset} ${release.label}: already imported (same file), nothing to do`);
    return false;
  }
  const started = performance.now();
  progress(`${release.dataset} ${release.label}: loading ${basename(release.file)} …`);
  const rows = await db.transaction(async (tx) => {
    // Instances starting together on one database import one at a time; the later one finds the release done.
    await lockCodeSetImports(tx, release.dataset);
    if (await findRelease(tx, release.dataset, sha256)) return null;
    const latest = await latestRelease(tx, release.dataset);
    if (latest && latest.effectiveFrom > release.effectiveFrom) {
      throw new ImportRefusal(
        `${release.dataset} ${release.label} starts ${release.effectiveFrom}, before the imported ` +
          `${latest.label} (${latest.effectiveFrom}): import releases oldest first`,
        "RELEASE_OUT_OF_ORDER",
      );
    }
    const releaseId = await insertRelease(tx, { ...release, sourceFile: basename(release.file), sha256, rowCount: 0 });
    const result = await load(tx, releaseId);
    await setReleaseRowCount(tx, releaseId, result.rows);
    return result.rows;
  });
  if (rows === null) {
    progress(`${release.dataset} ${release.label}: imported meanwhile by another process`);
    return false;
  }
  progress(`${release.dataset} ${release.label}: ${rows.toLocaleString("en-US")} rows in ${seconds(started)} s`);
  return true;
}

/**
 * Loads one release of a code system and refreshes what depends on the codes. `searchTerms: false`
 * leaves the search words to a later release of the same system loaded in the same run (the words
 * come from every version of every code, so the last release's rebuild covers the earlier ones).
 */
async function importCodes(
  db: Database,
  system: CodeSystem,
  release: Release,
  codes: (tx: Database) => Promise<StagedCode[]>,
  progress: Progress,
  { searchTerms = true } = {},
) {
  try {
    return await importRelease(db, release, progress, async (tx, releaseId) => {
      const staged = checkedCodes(system, basename(release.file), await codes(tx));
      await mergeCodeRelease(tx, system, releaseId, release.effectiveFrom, staged);
      if (searchTerms) {
        await rebuildSearchTerms(tx, system);
        await analyzeCodes(tx);
      }
      return { rows: staged.length };
    });
  } finally {
    // After the commit: a search meanwhile may have cached the words as they were.
    forgetVocabulary(db);
  }
}

/** MCE edit rules such as "Maternity (Ages 9-64)", "Perinatal/Newborn (Age 0 Only)", "Female Only". */
async function readMce(file: string) {
  const edits = new Map<
    string,
    { code: string; sex: string | null; age_min: number | null; age_max: number | null; manifestation: boolean }
  >();
  for await (const row of tsvRows(file)) {
    const code = normalizeCode(row["code"] ?? "");
    const edit = edits.get(code) ?? { code, sex: null, age_min: null, age_max: null, manifestation: false };
    const rule = row["edit_rule"] ?? "";
    const ages = /Ages? (\d+)(?:-(\d+))?/.exec(rule);
    if (ages) {
      edit.age_min = Number(ages[1]);
      edit.age_max = Number(ages[2] ?? ages[1]);
    }
    if (/^Female/.test(rule)) edit.sex = "F";
    if (/^Male/.test(rule)) edit.sex = "M";
    if (/^Manifestation/.test(rule)) edit.manifestation = true;
    edits.set(code, edit);
  }
  return [...edits.values()];
}

const SETTINGS = {
  Practitioner: "PRACTITIONER",
  "Outpatient Hospital": "OUTPATIENT_HOSPITAL",
  "DME Supplier": "DME_SUPPLIER",
} as const;

/**
 * Everything Chartroom ships, in dependency order: code systems, their edits, then the CPT numbers
 * the NCCI tables name; the files in `dir`, the repository's data/codesets unless CHARTROOM_CODESETS_DIR names
 * a folder laid out the same way (tests start the server on a small one).
 */
export const shippedReleases = (dir: string = CODESETS_DIR) =>
  ({
    icd10cm: [
      {
        dataset: "ICD10CM",
        label: "FY2024",
        effectiveFrom: "2023-10-01",
        file: join(dir, "icd10cm/icd10cm_order_fy2024.tsv.gz"),
      },
      {
        dataset: "ICD10CM",
        label: "FY2025",
        effectiveFrom: "2024-10-01",
        file: join(dir, "icd10cm/icd10cm_fy2025_code_descriptions_cms.zip"),
      },
      {
        dataset: "ICD10CM",
        label: "FY2026",
        effectiveFrom: "2025-10-01",
        file: join(dir, "icd10cm/icd10cm_fy2026_code_descriptions_cms.zip"),
      },
      // The full FY2027 files are not in hand: FY2026 with CMS's FY2027 order addenda applied.
      {
        dataset: "ICD10CM",
        label: ADDENDA_LABEL("FY2027", "FY2026"),
        effectiveFrom: "2026-10-01",
        file: join(dir, "icd10cm/icd10cm_order_addenda_2027.txt"),
      },
    ],
    icd10pcs: [
      {
        dataset: "ICD10PCS",
        label: "FY2024",
        effectiveFrom: "2023-10-01",
        file: join(dir, "icd10pcs/icd10pcs_order_fy2024.tsv.gz"),
      },
      {
        dataset: "ICD10PCS",
        label: "FY2025",
        effectiveFrom: "2024-10-01",
        file: join(dir, "icd10pcs/icd10pcs_fy2025_order_file_cms.zip"),
      },
      {
        dataset: "ICD10PCS",
        label: "FY2026",
        effectiveFrom: "2025-10-01",
        file: join(dir, "icd10pcs/icd10pcs_fy2026_order_file_cms.zip"),
      },
    ],
    hcpcs: [
      {
        dataset: "HCPCS",
        label: "2024 July",
        effectiveFrom: "2024-07-01",
        file: join(dir, "hcpcs/hcpcs_level2_2024_jul.tsv"),
      },
      {
        dataset: "HCPCS",
        label: "2025 OCT",
        effectiveFrom: "2025-10-01",
        file: join(dir, "hcpcs/hcpcs_HCPC2025_OCT_ANWEB.xlsx"),
      },
    ],
    mce: {
      dataset: "MCE",
      label: "v41.1 FY2024",
      effectiveFrom: "2023-10-01",
      file: join(dir, "icd10cm/mce_code_edits_v41_1_fy2024.tsv"),
    },
    modifiers: {
      dataset: "MODIFIERS",
      label: "2024",
      effectiveFrom: "2024-01-01",
      file: join(dir, "hcpcs/modifiers_2024.tsv"),
    },
    pos: {
      dataset: "POS",
      label: "2023-09",
      effectiveFrom: "2023-09-01",
      file: join(dir, "claims/place_of_service_codes.tsv"),
    },
    adjustments: {
      dataset: "CARC_RARC",
      label: "2024-06",
      effectiveFrom: "2024-06-18",
      file: join(dir, "claims/carc_rarc_codes_2024-06.tsv"),
    },
    ptpPractitioner: {
      dataset: "NCCI_PTP_PRACTITIONER",
      label: "2024Q3",
      effectiveFrom: "2024-07-01",
      file: join(dir, "ncci/ptp_practitioner_2024-07-01.tsv.gz"),
    },
    ptpOutpatient: {
      dataset: "NCCI_PTP_OUTPATIENT_HOSPITAL",
      label: "2024Q3",
      effectiveFrom: "2024-07-01",
      file: join(dir, "ncci/ptp_outpatient_hospital_2024-07-01.tsv.gz"),
    },
    muePractitioner: {
      dataset: "MUE_PRACTITIONER",
      label: "2024Q3",
      effectiveFrom: "2024-07-01",
      file: join(dir, "ncci/mue_practitioner_2024-07-01.tsv"),
    },
    mueOutpatient: {
      dataset: "MUE_OUTPATIENT_HOSPITAL",
      label: "2024Q3",
      effectiveFrom: "2024-07-01",
      file: join(dir, "ncci/mue_outpatient_hospital_2024-07-01.tsv"),
    },
    mueDme: {
      dataset: "MUE_DME_SUPPLIER",
      label: "2024Q3",
      effectiveFrom: "2024-07-01",
      file: join(dir, "ncci/mue_dme_supplier_2024-07-01.tsv"),
    },
    addOnCodes: {
      dataset: "NCCI_AOC",
      label: "2024-06-03",
      effectiveFrom: "2024-06-03",
      file: join(dir, "ncci/aoc_add_on_code_edits_2024-06-03.tsv"),
    },
  }) satisfies Record<string, Release | Release[]>;

const ADDENDA_LABEL = (label: string, base: string) => `${label} (${base} with the order addenda)`;
const shippedList = (dir?: string) => Object.values(shippedReleases(dir)).flat();

/**
 * True when some shipped release is neither imported nor superseded by a newer release of its data
 * set: start-up then imports (idempotently).
 */
export async function shippedCodeSetsMissing(db: Database): Promise<boolean> {
  const latest = await latestReleaseDates(db);
  return (
    shippedList().some((release) => (latest.get(release.dataset) ?? "") < release.effectiveFrom) || !latest.has("CPT")
  );
}

/**
 * The code systems' shipped releases not yet imported, oldest first. Systems with none imported
 * yet (`fresh`, read by `histories`) load together (importHistories); the others release by
 * release, the search words rebuilt with the last.
 */
async function importShippedSystems(
  db: Database,
  systems: readonly ShippedSystem[],
  latest: Map<string, string>,
  histories: ShippedHistories | undefined,
  progress: Progress,
  alone: boolean,
) {
  const fresh = systems.filter(([system]) => !latest.has(system));
  if (histories && fresh.length > 0) await importHistories(db, fresh, histories, progress, alone);
  for (const [system, releases] of systems.filter(([system]) => latest.has(system))) {
    await importShippedCodes(db, system, releases, latest.get(system)!, progress);
  }
}

/** A system's shipped releases newer than its `latest` imported one, one release at a time. */
async function importShippedCodes(
  db: Database,
  system: CodeSystem,
  releases: readonly Release[],
  latest: string,
  progress: Progress,
) {
  for (const release of releases.filter((r) => r.effectiveFrom <= latest)) {
    progress(`${system} ${release.label}: already imported, or a release of that date or newer is`);
  }
  const pending = releases.filter((release) => release.effectiveFrom > latest);
  for (const [index, release] of pending.entries()) {
    const last = index === pending.length - 1;
    if (extname(release.file) === ".txt" && (await isAddendaFile(release.file))) {
      await importAddenda(db, { ...release, system }, progress, { searchTerms: last });
      continue;
    }
    const read = async () => (await readReleaseFile(release.file, system)).codes;
    await importCodes(db, system, release, read, progress, { searchTerms: last });
  }
}

/**
 * Code systems' shipped releases into a database that has none of their codes (the first start):
 * each system's releases read and merged in memory oldest first (in a worker thread: see
 * ShippedHistories), then each row written once in its final state, with the search words, all in
 * one transaction. What the per-release path would write, in a fraction of the statements; as
 * there, a bad file leaves nothing written. Into an empty table, the secondary indexes are set aside
 * first and restored once the rows are in (see setAsideCodeIndexes), and the foreign key too when the
 * load runs `alone`: dropping it locks the releases table until the commit, which would hold up every
 * group loading beside it (PostgreSQL's concurrent load).
 */
async function importHistories(
  db: Database,
  systems: readonly ShippedSystem[],
  histories: ShippedHistories,
  progress: Progress,
  alone: boolean,
) {
  const started = performance.now();
  const checksums = await Promise.all(
    systems.map(([, releases]) => Promise.all(releases.map((release) => sha256File(release.file)))),
  );
  try {
    const loaded = await db.transaction(async (tx) => {
      // Instances starting together on one database import one at a time; the later one finds the systems done.
      for (const [system] of systems) await lockCodeSetImports(tx, system);
      const pending = [];
      for (const [index, [system, releases]] of systems.entries()) {
        if (!(await latestRelease(tx, system))) pending.push({ system, releases, checksums: checksums[index]! });
      }
      if (pending.length === 0) return [];
      const rebuild = await setAsideCodeIndexes(tx, { foreignKeys: alone });
      for (const { system, releases, checksums } of pending) {
        const counts = await histories.counts(system);
        const ids = [];
        for (const [index, release] of releases.entries()) {
          const sourceFile = basename(release.file);
          const sha256 = checksums[index]!;
          ids.push(await insertRelease(tx, { ...release, sourceFile, sha256, rowCount: counts[index]! }));
        }
        const at = performance.now();
        const text = await histories.text(system, ids);
        await writeCodeHistory(tx, system, text);
        progress(`${system}: ${text.rows.toLocaleString("en-US")} code versions written in ${seconds(at)} s`);
      }
      if (rebuild) {
        const at = performance.now();
        await rebuild();
        progress(`code indexes built in ${seconds(at)} s`);
      }
      return pending.map(({ system }) => system);
    });
    const names = (loaded.length > 0 ? loaded : systems.map(([system]) => system)).join(", ");
    progress(`${names}: ${loaded.length > 0 ? `loaded in ${seconds(started)} s` : "imported meanwhile"}`);
  } finally {
    forgetVocabulary(db);
  }
}

/** The code systems Chartroom ships, each with its releases, oldest first (see shippedReleases). */
export function shippedSystems(dir?: string): ShippedSystem[] {
  const shipped = shippedReleases(dir);
  return [
    ["ICD10CM", shipped.icd10cm],
    ["ICD10PCS", shipped.icd10pcs],
    ["HCPCS", shipped.hcpcs],
  ];
}

/** The shipped files a first start reads in worker threads from its first moment (see importShippedCodeSets). */
export interface ShippedReaders {
  histories?: ShippedHistories | undefined;
  ptp?: PtpFiles | undefined;
}

/**
 * Readers for the shipped files a database with none of them loaded needs: the code systems' histories
 * and the PTP tables, each read in a worker thread from now on.
 */
export function readShippedFiles(dir?: string, progress: Progress = () => {}): Required<ShippedReaders> {
  const shipped = shippedReleases(dir);
  return {
    histories: new ShippedHistories(shippedSystems(dir), progress),
    ptp: new PtpFiles([shipped.ptpPractitioner.file, shipped.ptpOutpatient.file]),
  };
}

/**
 * Imports every shipped data set not yet imported, from `dir` (see shippedReleases). Running it
 * again changes nothing. The code systems not yet imported and the PTP tables are read in worker
 * threads from the start (`readers`, when the caller started them earlier; this load closes them),
 * while the main thread loads the reference lists and the other NCCI tables, then writes the codes.
 * `concurrent` (PostgreSQL, whose pool has a connection for each) loads those groups side by side;
 * the CPT numbers, read from the NCCI tables, come last, then the planner's statistics and the
 * search indexes' pending lists (see analyzeCodes), once for all that was loaded.
 */
export async function importShippedCodeSets(
  db: Database,
  progress: Progress,
  dir?: string,
  { concurrent = false, readers = {} }: { concurrent?: boolean; readers?: ShippedReaders } = {},
): Promise<void> {
  const shipped = shippedReleases(dir);
  const systems = shippedSystems(dir);
  const latest = await latestReleaseDates(db);
  const fresh = systems.filter(([system]) => !latest.has(system));
  const histories = readers.histories ?? (fresh.length > 0 ? new ShippedHistories(fresh, progress) : undefined);
  const pendingPtp = [shipped.ptpPractitioner, shipped.ptpOutpatient]
    .filter((release) => (latest.get(release.dataset) ?? "") < release.effectiveFrom)
    .map((release) => release.file);
  const ptp = readers.ptp ?? (pendingPtp.length > 0 ? new PtpFiles(pendingPtp) : undefined);
  let named: NamedCode[] | null = null;
  try {
    const groups = [
      () => importReferenceLists(db, shipped, progress),
      async () => {
        named = await importNcci(db, shipped, progress, ptp);
      },
      () => importShippedSystems(db, systems, latest, histories, progress, !concurrent),
    ];
    if (concurrent) {
      // Every group ends (commits or rolls back) before the first failure is reported.
      const failed = (await Promise.allSettled(groups.map((group) => group()))).find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
    } else {
      for (const group of groups) await group();
    }
  } finally {
    await Promise.all([histories?.close(), ptp?.close()]);
  }
  const cptLoaded = await importCptNumbers(db, shipped.muePractitioner, named, progress);
  if (fresh.length > 0 || cptLoaded) {
    const at = performance.now();
    await analyzeCodes(db);
    progress(`code statistics and search indexes refreshed in ${seconds(at)} s`);
  }
}

type Shipped = ReturnType<typeof shippedReleases>;

/** The MCE edits, modifiers, places of service and adjustment codes, each replaced whole by its release. */
async function importReferenceLists(db: Database, shipped: Shipped, progress: Progress): Promise<void> {
  await importRelease(db, shipped.mce, progress, async (tx) => {
    const rows = await readMce(shipped.mce.file);
    await replaceTable(tx, diagnosisEdits, ["code", "sex", "age_min", "age_max", "manifestation"], rows);
    return { rows: rows.length };
  });
  await importRelease(db, shipped.modifiers, progress, async (tx) => {
    const byCode = new Map<string, { code: string; levels: string[]; description: string }>();
    for await (const row of tsvRows(shipped.modifiers.file)) {
      const level = row["level"]?.startsWith("II") ? "II" : "I";
      const entry = byCode.get(row["modifier"]!) ?? { code: row["modifier"]!, levels: [], description: "" };
      entry.levels.push(level);
      entry.description ||= row["description"] || (level === "I" ? "CPT® modifier; descriptor requires a licence" : "");
      byCode.set(entry.code, entry);
    }
    await replaceTable(tx, modifiers, ["code", "levels", "description"], [...byCode.values()]);
    return { rows: byCode.size };
  });
  await importRelease(db, shipped.pos, progress, async (tx) => {
    const rows = [];
    for await (const row of tsvRows(shipped.pos.file))
      rows.push({ code: row["code"], name: row["name"], description: row["description"] });
    await replaceTable(tx, placesOfService, ["code", "name", "description"], rows);
    return { rows: rows.length };
  });
  await importRelease(db, shipped.adjustments, progress, async (tx) => {
    const rows = [];
    for await (const row of tsvRows(shipped.adjustments.file)) {
      rows.push({
        type: row["code_type"]!.toUpperCase(),
        code: row["code"],
        description: row["description"],
        start_date: row["start_date"] || null,
        end_date: row["end_date"] || null,
      });
    }
    await replaceTable(tx, adjustmentCodes, ["type", "code", "description", "start_date", "end_date"], rows);
    return { rows: rows.length };
  });
}

/**
 * The NCCI PTP, MUE and add-on code tables, one after the other (the PTP tables share their
 * rationale texts). The PTP files are read by `ptp` when given (else by a reader of its own, only
 * if one must be loaded). Resolves to the codes the tables name (see NamedCodes) when this load
 * wrote every one of them, else to null.
 */
async function importNcci(
  db: Database,
  shipped: Shipped,
  progress: Progress,
  ptp: PtpFiles | undefined,
): Promise<NamedCode[] | null> {
  const named = new NamedCodes();
  const loaded: boolean[] = [];
  let reader = ptp;
  try {
    for (const [release, setting] of [
      [shipped.ptpPractitioner, "PRACTITIONER"],
      [shipped.ptpOutpatient, "OUTPATIENT_HOSPITAL"],
    ] as const) {
      loaded.push(
        await importRelease(db, release, progress, async (tx) => {
          reader ??= new PtpFiles();
          const read = await reader.text(release.file, setting, (texts) => ncciRationaleIds(tx, texts));
          for (const { code, to } of read.named) named.name(code, to);
          await replaceNcciSetting(tx, ncciPtpEdits, setting, PTP_COLUMNS, read.text);
          return { rows: read.pairs };
        }),
      );
    }
  } finally {
    if (reader !== ptp) await reader?.close();
  }
  for (const release of [shipped.muePractitioner, shipped.mueOutpatient, shipped.mueDme]) {
    loaded.push(
      await importRelease(db, release, progress, async (tx) => {
        const rows = [];
        let setting = "";
        for await (const row of tsvRows(release.file)) {
          setting = SETTINGS[row["service_type"] as keyof typeof SETTINGS];
          named.name(row["hcpcs_cpt_code"]!, null);
          rows.push({
            setting,
            code: row["hcpcs_cpt_code"],
            units: Number(row["mue_value"]),
            adjudication_indicator: Number(row["mue_adjudication_indicator"]),
            rationale: row["mue_rationale"] ?? "",
          });
        }
        const columns = ["setting", "code", "units", "adjudication_indicator", "rationale"];
        await replaceNcciSetting(tx, mueLimits, setting, columns, copyText(columns, rows));
        return { rows: rows.length };
      }),
    );
  }
  loaded.push(
    await importRelease(db, shipped.addOnCodes, progress, async (tx) => {
      const rows = await readAddOnCodes(shipped.addOnCodes.file);
      for (const row of rows) for (const code of [row.add_on_code, ...row.primary_codes]) named.name(code, null);
      await replaceTable(tx, ncciAddOnCodes, ["add_on_code", "edit_type", "primary_codes"], rows);
      return { rows: rows.length };
    }),
  );
  return loaded.every(Boolean) ? named.codes : null;
}

/** CMS's "any primary code": the add-on code has no list of primaries. */
const ANY_PRIMARY = "CCCCC";

/** The add-on code table (one row per primary code) as one row per add-on code with its primary codes. */
async function readAddOnCodes(file: string) {
  const byCode = new Map<string, { add_on_code: string; edit_type: number; primary_codes: string[] }>();
  for await (const row of tsvRows(file)) {
    const code = row["add_on_code"]!;
    const entry = byCode.get(code) ?? { add_on_code: code, edit_type: Number(row["aoc_edit_type"]), primary_codes: [] };
    if (row["primary_code"] !== ANY_PRIMARY) entry.primary_codes.push(row["primary_code"]!);
    byCode.set(code, entry);
  }
  return [...byCode.values()];
}

/**
 * CPT descriptors are licensed, but the public NCCI tables name CPT code numbers: loaded as a CPT
 * release with a placeholder text, so coders can enter CPT codes before a licensed file is
 * imported. Only while no CPT release exists. A number is in force while a row naming it is: the
 * shipped tables carry no effective dates, so from the first date the loaded PTP rows cover, until
 * the last deletion date of the PTP rows naming it, or with no end while an active PTP row or any
 * MUE or add-on code row (current tables) names it. `named`: the numbers as this run's load of the
 * NCCI tables counted them (see NamedCodes); null reads them from the tables.
 */
async function importCptNumbers(
  db: Database,
  mue: Release,
  named: NamedCode[] | null,
  progress: Progress,
): Promise<boolean> {
  if (await latestRelease(db, "CPT")) return false;
  const release: Release = {
    dataset: "CPT",
    label: "code numbers named in NCCI 2024Q3",
    effectiveFrom: PTP_EDITS_FROM,
    file: mue.file,
  };
  const started = performance.now();
  const numbers = await db.transaction(async (tx) => {
    await lockCodeSetImports(tx, "CPT");
    if (await latestRelease(tx, "CPT")) return null;
    const numbers = (named ?? (await ncciCodeNumbers(tx)))
      .filter(({ code }) => isCptNumber(code))
      .sort((a, b) => a.code.localeCompare(b.code));
    const releaseId = await insertRelease(tx, {
      ...release,
      sourceFile: "NCCI PTP, MUE and add-on code tables",
      sha256: `ncci-code-numbers:${numbers.length}`,
      rowCount: numbers.length,
    });
    const staged = numbers.map(({ code, to }) => ({
      code,
      billable: true,
      short: CPT_PLACEHOLDER,
      long: CPT_PLACEHOLDER,
      from: null,
      to,
    }));
    await mergeCodeRelease(tx, "CPT", releaseId, release.effectiveFrom, staged);
    return numbers;
  });
  if (!numbers) return false;
  progress(`CPT ${release.label}: ${numbers.length.toLocaleString("en-US")} code numbers in ${seconds(started)} s`);
  return true;
}

export interface ImportFileOptions {
  file: string;
  /** What the caller expects; the file's own system wins where it states one, and a mismatch is refused. */
  system?: CodeSystem;
  /** Needed only where the file does not say (a licensed CPT CSV, a renamed order file). */
  label?: string;
  effectiveFrom?: string;
  /** Read the file as the ICD-10-CM tabular list whatever its name (else a name ending .xml says so). */
  tabular?: boolean;
}

/**
 * Applies an order addenda file to the release in force before it (the addenda's footer names
 * it, and its counts must match), as a release of its own from the addenda's fiscal year.
 */
async function importAddenda(
  db: Database,
  options: ImportFileOptions,
  progress: Progress,
  { searchTerms = true } = {},
): Promise<boolean> {
  const { file } = options;
  const addenda = await readAddenda(file);
  if (options.system && options.system !== addenda.system) {
    throw fileError(file, `is an ${addenda.system} addenda file, not ${options.system}`);
  }
  if (options.effectiveFrom && options.effectiveFrom !== addenda.effectiveFrom) {
    throw fileError(
      file,
      `makes ${addenda.label}, in force from ${addenda.effectiveFrom}, not ${options.effectiveFrom}`,
    );
  }
  const release = {
    dataset: addenda.system,
    label: options.label ?? ADDENDA_LABEL(addenda.label, addenda.baseLabel),
    effectiveFrom: addenda.effectiveFrom,
    file,
  };
  const next = async (tx: Database) =>
    applyAddenda(file, addenda, await releaseInForce(tx, addenda.system, addenda.baseEffectiveFrom));
  return importCodes(db, addenda.system, release, next, progress, { searchTerms });
}

/**
 * The ICD-10-CM tabular list's notes (icd10cm_tabular_YYYY.xml) as a release of their own, in force
 * from the fiscal year its <version> states: the coding edits read the Excludes1, Code first and Use
 * additional code notes of the release in force on the date of service. Read whole before the
 * transaction opens, so a bad file is refused before anything is written.
 */
async function importTabular(db: Database, options: ImportFileOptions, progress: Progress): Promise<boolean> {
  const { file } = options;
  if (options.system && options.system !== "ICD10CM")
    throw fileError(file, `is the ICD-10-CM tabular list, not ${options.system}`);
  const tabular = await readTabular(file);
  if (options.effectiveFrom && options.effectiveFrom !== tabular.effectiveFrom) {
    throw fileError(
      file,
      `is the ${tabular.label} tabular list, in force from ${tabular.effectiveFrom}, not ${options.effectiveFrom}`,
    );
  }
  const release: Release = {
    dataset: TABULAR_DATASET,
    label: options.label ?? tabular.label,
    effectiveFrom: tabular.effectiveFrom,
    file,
  };
  return importRelease(db, release, progress, async (tx, releaseId) => {
    await insertCodeNotes(tx, releaseId, tabular.notes);
    return { rows: tabular.notes.length };
  });
}

/**
 * `import-codes <file>`: a release file as CMS publishes it — the ICD-10-CM/PCS order-file zip (or
 * the order file in it), an order addenda file, the ICD-10-CM tabular XML, the HCPCS ANWEB xlsx — or a
 * shipped HCPCS extract, or a licensed CPT CSV. The file says which system and release it is where it can; a caller's
 * `system`, `label` or `effectiveFrom` that contradicts it is refused.
 */
export async function importCodeFile(db: Database, options: ImportFileOptions, progress: Progress): Promise<boolean> {
  const { file } = options;
  if (options.tabular || extname(file).toLowerCase() === ".xml") return importTabular(db, options, progress);
  if (extname(file) === ".txt" && (await isAddendaFile(file))) return importAddenda(db, options, progress);
  const read = await readReleaseFile(file, options.system);
  if (options.system && options.system !== read.system)
    throw fileError(file, `is an ${read.system} file, not ${options.system}`);
  if (read.effectiveFrom && options.effectiveFrom && read.effectiveFrom !== options.effectiveFrom) {
    throw fileError(
      file,
      `is ${read.system} ${read.label}, in force from ${read.effectiveFrom}, not ${options.effectiveFrom}`,
    );
  }
  const label = options.label ?? read.label;
  const effectiveFrom = options.effectiveFrom ?? read.effectiveFrom;
  if (!label || !effectiveFrom)
    throw fileError(file, "does not say which release it is: give --label and --effective-from");
  const release = { dataset: read.system, label, effectiveFrom, file };
  return importCodes(db, read.system, release, async () => read.codes, progress);
}
