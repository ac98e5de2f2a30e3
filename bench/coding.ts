import { benchApi, measure } from "./database.js";
import { recordDriverFigure } from "./figures.js";

const ENCOUNTERS = `{
  encounters(filter: { status: [READY_FOR_CODING], type: [PROFESSIONAL] }, first: 1) { edges { node { id version } } }
}`;
const SET = `mutation ($input: SetEncounterCodesInput!) {
  setEncounterCodes(input: $input) { encounter { version edits { code } } userErrors { code message } }
}`;
const EDITS = `query ($id: ID!) {
  encounter(id: $id) { diagnoses { code { code } } procedures { code { code } } edits { code severity field } }
}`;

/** A full professional claim's worth of codes: 12 diagnoses, 10 lines, one NCCI pair and one MUE over the limit. */
const DIAGNOSES = [
  "E11.621",
  "L97.519",
  "B35.1",
  "I10",
  "E78.5",
  "Z79.4",
  "N18.30",
  "E66.9",
  "Z68.30",
  "G47.33",
  "K21.9",
  "M17.11",
].map((code) => ({ code }));
const LINES = [
  ["99214", ["25"]],
  ["11042", []],
  ["11720", ["59"]],
  ["97597", []],
  ["20610", ["RT"]],
  ["J1100", []],
  ["96372", []],
  ["36415", []],
  ["93000", []],
  ["G0439", []],
].map(([code, modifiers], i) => ({
  system: String(code).startsWith("J") || String(code).startsWith("G") ? "HCPCS" : "CPT",
  code,
  modifiers,
  units: i === 9 ? 2 : 1,
  charge: "100.00",
  diagnosisPointers: [1 + (i % 12)],
}));

/**
 * setEncounterCodes (which answers with the edits) and reading Encounter.edits, for one encounter of
 * 12 diagnoses and 10 lines.
 */
export async function benchCoding(databaseUrl: string | undefined): Promise<void> {
  const driver = (databaseUrl ? "PostgreSQL" : "PGlite").padEnd(10);
  const api = await benchApi(databaseUrl, "supervisor@demo.chartroom.test", { codeSets: true });
  try {
    const found = (await api.query(ENCOUNTERS)) as {
      encounters: { edges: { node: { id: string; version: number } }[] };
    };
    const encounter = found.encounters.edges[0]!.node;
    let version = encounter.version;
    const save = async () => {
      const data = (await api.query(SET, {
        input: { encounterId: encounter.id, expectedVersion: version, diagnoses: DIAGNOSES, procedures: LINES },
      })) as {
        setEncounterCodes: {
          encounter: { version: number; edits: { code: string }[] } | null;
          userErrors: { message: string }[];
        };
      };
      if (!data.setEncounterCodes.encounter) throw new Error(JSON.stringify(data.setEncounterCodes.userErrors));
      version = data.setEncounterCodes.encounter.version;
      return data;
    };
    const edits = (await save()).setEncounterCodes.encounter!.edits.map((edit) => edit.code);
    console.log(`coding edits on the bench encounter: ${edits.join(", ")}`);
    const saved = await measure(`setEncounterCodes 12 dx + 10 lines ${driver}`, 1, 100, save, "p50 ≤ 15 ms");
    recordDriverFigure("set_codes_p50_ms", databaseUrl, saved.p50);
    for (const concurrency of [1, 8]) {
      const target = concurrency === 8 ? "≥ 300 req/s" : undefined;
      const read = await measure(
        `Encounter.edits 12 dx + 10 lines ${driver}`,
        concurrency,
        100 * concurrency,
        () => api.query(EDITS, { id: encounter.id }),
        target,
      );
      if (concurrency === 8) recordDriverFigure("edits_rps_8", databaseUrl, read.requestsPerSecond);
    }
  } finally {
    await api.stop();
  }
}
