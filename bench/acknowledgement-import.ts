import type { Database } from "../src/db/client.js";
import { write277ca } from "../src/modules/claims/clearinghouse.js";
import { insertSubmittedClaims } from "./claims-fixture.js";
import { benchApi } from "./database.js";

const CLAIMS = 10_000;
const INTERCHANGE = 900_000_001;

/**
 * Importing a 277CA of 10,000 claims over POST /acknowledgements: nine in ten accepted, every tenth rejected (to
 * CLAIM_EDIT). The submitted batch is written straight into the tables: submitting 10,000 claims through the API
 * is not what is measured. Target ≤ 5 s.
 */
export async function benchAcknowledgementImport(databaseUrl: string | undefined): Promise<void> {
  const driver = (databaseUrl ? "PostgreSQL" : "PGlite").padEnd(10);
  const api = await benchApi(databaseUrl, "biller1@demo.chartroom.test");
  try {
    const db = api.database.db;
    const batchX12 = await insertSubmittedBatch(db);
    const verdicts = Object.fromEntries(
      Array.from({ length: CLAIMS }, (_, i) => [
        pcn(i),
        i % 10 === 9 ? { accept: false as const } : { accept: true as const, payerClaimControlNumber: `PAYER${i}` },
      ]),
    );
    const file = write277ca(batchX12, verdicts);
    const started = performance.now();
    const response = await fetch(new URL("/acknowledgements", api.server.url), {
      method: "POST",
      headers: { authorization: `Bearer ${api.token}` },
      body: file,
    });
    const elapsed = performance.now() - started;
    const body = (await response.json()) as { acknowledgement: { claimsAccepted: number; claimsRejected: number } };
    if (response.status !== 200 || body.acknowledgement.claimsAccepted + body.acknowledgement.claimsRejected !== CLAIMS)
      throw new Error(`the bench 277CA was not applied: ${JSON.stringify(body).slice(0, 500)}`);
    console.log(
      `import a 277CA of ${CLAIMS.toLocaleString("en-US")} claims ${driver}: ${elapsed.toFixed(0)} ms ` +
        `(${(file.length / 2 ** 20).toFixed(1)} MiB; target ≤ 5,000 ms)`,
    );
  } finally {
    await api.stop();
  }
}

const pcn = (i: number) => `ACK${String(i).padStart(7, "0")}`;

/** 10,000 SUBMITTED claims of one demo visit in one batch; the batch's file holds just what a 277CA echoes. */
async function insertSubmittedBatch(db: Database): Promise<string> {
  await insertSubmittedClaims(db, { count: CLAIMS, prefix: "ACK", interchange: INTERCHANGE });
  const isa = ["ISA", "00", "", "00", "", "ZZ", "CHARTROOM", "ZZ", "PAYER", "260106", "0800", "^", "00501"];
  const claims = Array.from({ length: CLAIMS }, (_, i) => `CLM*${pcn(i)}*150`);
  return [
    [...isa, String(INTERCHANGE).padStart(9, "0"), "0", "P", ":"].join("*"),
    `GS*HC*CHARTROOM*PAYER*20260106*0800*${INTERCHANGE}*X*005010X222A1`,
    "ST*837*0001*005010X222A1",
    `BHT*0019*00*${String(INTERCHANGE).padStart(9, "0")}0001*20260106*0800*CH`,
    ...claims,
  ].join("~\n");
}
