import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client.js";

/** The demo biller whose organization the benches' claims are made in, and who signs in to post their answers. */
export const BENCH_BILLER = "biller1@demo.chartroom.test";

/** The patient control number of the bench's claim `i`: the prefix and seven digits. */
export const benchPcn = (prefix: string, i: number) => `${prefix}${String(i).padStart(7, "0")}`;

/**
 * `count` SUBMITTED claims of one outpatient demo visit of the biller's organization (its patient insured by a
 * payer of ours), 150.00 each, numbered `benchPcn(prefix, n)`: what a payer's 835 or 277CA answers. Written straight
 * into the tables, since submitting thousands of claims through the API is not what a bench measures. `lines` gives
 * each one line (99213, line control number `<pcn>-1`); `interchange` sends them all in one 837P batch of that
 * interchange control number, with its members.
 */
export async function insertSubmittedClaims(
  db: Database,
  options: { count: number; prefix: string; lines?: boolean; interchange?: number },
): Promise<void> {
  const { count, prefix, lines = false, interchange } = options;
  const batch =
    interchange === undefined
      ? sql`select null::uuid as id where false`
      : sql`insert into submission_batches (org_id, payer_id, interchange_control_number, group_control_number,
          transaction_set_control_numbers, x12, claim_count, created_by)
        select t.org_id, t.payer_id, ${interchange}, ${interchange}, array['0001'], '', ${count}, t.biller_id
        from template t returning id`;
  await db.execute(sql`
    with template as (
      select e.org_id, e.id as encounter_id, e.facility_id, e.patient_id, e.rendering_provider_id,
        coalesce(e.place_of_service, '11') as place_of_service, e.service_date, cv.id as coverage_id, cv.payer_id,
        u.id as biller_id
      from encounters e
      join coverages cv on cv.org_id = e.org_id and cv.patient_id = e.patient_id and cv.priority = 1
      join payers p on p.org_id = cv.org_id and p.id = cv.payer_id and p.kind <> 'SELF_PAY'
      join users u on u.org_id = e.org_id and u.email = ${BENCH_BILLER}
      where e.type <> 'INPATIENT' order by e.service_date limit 1
    ), batch as (${batch}), inserted as (
      insert into claims (org_id, encounter_id, facility_id, patient_id, coverage_id, payer_id,
        rendering_provider_id, patient_control_number, place_of_service, service_date, diagnoses, status,
        total_charge, batch_id)
      select t.org_id, t.encounter_id, t.facility_id, t.patient_id, t.coverage_id, t.payer_id,
        t.rendering_provider_id, ${prefix} || lpad(n::text, 7, '0'), t.place_of_service, t.service_date,
        array['I10'], 'SUBMITTED', '150.00', (select id from batch)
      from template t, generate_series(0, ${count - 1}) n
      returning org_id, id, batch_id, patient_control_number, service_date
    ), members as (
      insert into submission_batch_claims (org_id, batch_id, claim_id, transaction_set_control_number)
      select org_id, batch_id, id, '0001' from inserted where batch_id is not null
    )
    insert into claim_lines (org_id, claim_id, line_number, line_control_number, system, code, units, charge,
      service_date, diagnosis_pointers)
    select org_id, id, 1, patient_control_number || '-1', 'CPT', '99213', 1, '150.00', service_date, array[1]
    from inserted where ${lines}`);
}
