import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client.js";
import { write835 } from "../src/modules/remittance/index.js";
import { benchApi } from "./database.js";

const CLAIMS = 10_000;

/**
 * Posting an 835 of 10,000 claims over POST /remittances: most paid with a coinsurance, every tenth denied (to the
 * Denials queue), each matched by patient control number and its line by REF*6R. Then the same file again, which
 * must change nothing. The submitted claims are written straight into the tables: submitting 10,000 claims through
 * the API is not what is measured. Targets: ≥ 2,000 claims/s; the second post ≤ 1 s.
 */
export async function benchRemittancePosting(databaseUrl: string | undefined): Promise<void> {
  const driver = (databaseUrl ? "PostgreSQL" : "PGlite").padEnd(10);
  const api = await benchApi(databaseUrl, "biller1@demo.chartroom.test");
  try {
    const batchX12 = await insertSubmittedClaims(api.database.db);
    const verdicts = Object.fromEntries(
      Array.from({ length: CLAIMS }, (_, i) => [
        pcn(i),
        i % 10 === 9
          ? { pay: false as const, reason: "50" }
          : { pay: true as const, patient: { reason: "2" as const, amount: "10.00" } },
      ]),
    );
    const file = write835(batchX12, verdicts, { traceNumber: "BENCH0001" });
    const post = async () => {
      const started = performance.now();
      const response = await fetch(new URL("/remittances", api.server.url), {
        method: "POST",
        headers: { authorization: `Bearer ${api.token}` },
        body: file,
      });
      const body = (await response.json()) as { remittances: { claimsPosted: number }[]; alreadyPosted: boolean };
      if (response.status !== 200 || body.remittances[0]?.claimsPosted !== CLAIMS)
        throw new Error(`the bench 835 was not posted: ${JSON.stringify(body).slice(0, 500)}`);
      return { elapsed: performance.now() - started, again: body.alreadyPosted };
    };
    const first = await post();
    const second = await post();
    if (first.again || !second.again) throw new Error("the second post of the bench 835 was not answered as posted");
    const rate = (CLAIMS / first.elapsed) * 1000;
    console.log(
      `post an 835 of ${CLAIMS.toLocaleString("en-US")} claims ${driver}: ${first.elapsed.toFixed(0)} ms, ` +
        `${rate.toFixed(0)} claims/s (${(file.length / 2 ** 20).toFixed(1)} MiB; target ≥ 2,000 claims/s); ` +
        `posted again: ${second.elapsed.toFixed(0)} ms (target ≤ 1,000 ms)`,
    );
  } finally {
    await api.stop();
  }
}

const pcn = (i: number) => `RMT${String(i).padStart(7, "0")}`;

/** 10,000 SUBMITTED claims of one demo visit, one 150.00 line each; returns the 837P the payer answers. */
async function insertSubmittedClaims(db: Database): Promise<string> {
  await db.execute(sql`
    with template as (
      select e.org_id, e.id as encounter_id, e.facility_id, e.patient_id, e.rendering_provider_id,
        coalesce(e.place_of_service, '11') as place_of_service, e.service_date, cv.id as coverage_id, cv.payer_id
      from encounters e
      join coverages cv on cv.org_id = e.org_id and cv.patient_id = e.patient_id and cv.priority = 1
      join payers p on p.org_id = cv.org_id and p.id = cv.payer_id and p.kind <> 'SELF_PAY'
      where e.type <> 'INPATIENT' order by e.service_date limit 1
    ), inserted as (
      insert into claims (org_id, encounter_id, facility_id, patient_id, coverage_id, payer_id,
        rendering_provider_id, patient_control_number, place_of_service, service_date, diagnoses, status,
        total_charge)
      select t.org_id, t.encounter_id, t.facility_id, t.patient_id, t.coverage_id, t.payer_id,
        t.rendering_provider_id, 'RMT' || lpad(n::text, 7, '0'), t.place_of_service, t.service_date,
        array['I10'], 'SUBMITTED', '150.00'
      from template t, generate_series(0, ${CLAIMS - 1}) n
      returning org_id, id, patient_control_number, service_date
    )
    insert into claim_lines (org_id, claim_id, line_number, line_control_number, system, code, units, charge,
      service_date, diagnosis_pointers)
    select org_id, id, 1, patient_control_number || '-1', 'CPT', '99213', 1, '150.00', service_date, array[1]
    from inserted`);
  const claims = Array.from({ length: CLAIMS }, (_, i) => [
    "SBR*P*18*******CI",
    `CLM*${pcn(i)}*150***11:B:1*Y*A*Y*Y`,
    "LX*1",
    "SV1*HC:99213*150*UN*1***1",
    "DTP*472*D8*20261015",
    `REF*6R*${pcn(i)}-1`,
  ]);
  return ["NM1*85*2*RIVERBEND CLINIC*****XX*1234567893", "NM1*PR*2*BENCH PAYER*****PI*BENCH01", ...claims.flat()].join(
    "~\n",
  );
}
