import { sql } from "drizzle-orm";
import type { TestApi } from "./api.js";

/**
 * `count` READY items in the demo organization's "Follow-up" queue, each on a new SUBMITTED claim
 * for a new billed encounter, spread over the organization's facilities, with their creation in the
 * history: unpaid claims a biller chases with the payer and finishes with completeWorkItem and a
 * note. Straight into the tables: no API path makes follow-up work until remittances age claims.
 * Answers the items' row ids, oldest first.
 */
export async function givenFollowUps(api: TestApi, count: number): Promise<string[]> {
  const rows = await api.database.rows<{ id: string }>(sql`
    with site as (
      select f.org_id, f.id as facility_id, row_number() over (order by f.id) - 1 as n,
        (select p.id from patients p where p.org_id = f.org_id and p.facility_id = f.id
         order by p.id limit 1) as patient_id,
        (select r.id from providers r where r.org_id = f.org_id and r.facility_id = f.id
         order by r.id limit 1) as provider_id
      from facilities f where f.org_id = (select org_id from users where email = 'supervisor@demo.chartroom.test')),
    encounter as (
      insert into encounters (org_id, facility_id, patient_id, rendering_provider_id, type, service_date,
        place_of_service, documentation, status)
      select site.org_id, site.facility_id, site.patient_id, site.provider_id, 'OUTPATIENT',
        date '2026-10-01' + (g % 28), '22', 'Billed visit ' || g, 'BILLED'
      from generate_series(1, ${count}) g join site on site.n = g % (select count(*) from site)
      returning org_id, id, facility_id, patient_id, rendering_provider_id, service_date),
    claim as (
      insert into claims (org_id, encounter_id, facility_id, patient_id, rendering_provider_id, patient_control_number,
        place_of_service, service_date, diagnoses, status, total_charge)
      select org_id, id, facility_id, patient_id, rendering_provider_id, 'F' || substr(md5(id::text), 1, 12),
        '22', service_date, '{I10}', 'SUBMITTED', 125.00 from encounter
      returning org_id, id, encounter_id),
    item as (
      insert into work_items (org_id, queue_id, queue_kind, facility_id, claim_id, priority, due_at)
      select claim.org_id, q.id, q.kind, encounter.facility_id, claim.id, 50,
        now() + make_interval(hours => q.sla_hours)
      from claim join encounter on encounter.org_id = claim.org_id and encounter.id = claim.encounter_id
      join work_queues q on q.org_id = claim.org_id and q.name = 'Follow-up'
      returning org_id, id, created_at),
    history as (
      insert into work_item_transitions (org_id, work_item_id, from_status, to_status, reason)
      select org_id, id, null, 'READY', 'created' from item)
    select id from item order by created_at, id`);
  return rows.map((row) => row.id);
}
