import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client.js";
import { write277ca } from "../src/modules/claims/clearinghouse.js";
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
  await db.execute(sql`
    with template as (
      select e.org_id, e.id as encounter_id, e.facility_id, e.patient_id, e.rendering_provider_id,
        coalesce(e.place_of_service, '11') as place_of_service, e.service_date, cv.id as coverage_id, cv.payer_id
      from encounters e
      join coverages cv on cv.org_id = e.org_id and cv.patient_id = e.patient_id and cv.priority = 1
      join payers p on p.org_id = cv.org_id and p.id = cv.payer_id and p.kind <> 'SELF_PAY'
      join users u on u.org_id = e.org_id and u.email = 'biller1@demo.chartroom.test'
      where e.type <> 'INPATIENT' order by e.service_date limit 1
    ), biller as (
      select u.org_id, u.id from users u where u.email = 'biller1@demo.chartroom.test'
    ), batch as (
      insert into submission_batches (org_id, payer_id, interchange_control_number, group_control_number,
        transaction_set_control_numbers, x12, claim_count, created_by)
      select t.org_id, t.payer_id, ${INTERCHANGE}, ${INTERCHANGE}, array['0001'], '', ${CLAIMS}, b.id
      from template t, biller b returning org_id, id
    ), inserted as (
      insert into claims (org_id, encounter_id, facility_id, patient_id, coverage_id, payer_id,
        rendering_provider_id, patient_control_number, place_of_service, service_date, diagnoses, status,
        total_charge, batch_id)
      select t.org_id, t.encounter_id, t.facility_id, t.patient_id, t.coverage_id, t.payer_id,
        t.rendering_provider_id, 'ACK' || lpad(n::text, 7, '0'), t.place_of_service, t.service_date,
        array['I10'], 'SUBMITTED', '150.00', b.id
      from template t, batch b, generate_series(0, ${CLAIMS - 1}) n
      returning org_id, id, batch_id
    )
    insert into submission_batch_claims (org_id, batch_id, claim_id, transaction_set_control_number)
    select org_id, batch_id, id, '0001' from inserted`);
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
