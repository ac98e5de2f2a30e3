import { type SQL, sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../src/db/client.js";

/** Billing work in bulk, as a morning's import leaves it: what benchmarks and stories about backlogs need. */
export interface ClaimBacklog {
  /** The organization: its id, or a query answering it. */
  orgId: string | SQL;
  /** The name of the work queue the items go to. */
  queue: string;
  count: number;
  priority: number;
  /** The encounters' external ids are `<label>-<n>`, so a caller can find its items again. */
  label: string;
}

/**
 * `count` READY items in the queue, each on a new submitted claim of a new billed encounter of the
 * organization's patients, spread over its facilities: one statement, with no ANALYZE after it. No API
 * makes billing work in bulk.
 */
export async function insertClaimBacklog(handle: DatabaseHandle, backlog: ClaimBacklog): Promise<void> {
  await handle.rows(sql`
    with patient as (
      select p.org_id, p.facility_id, p.id,
        (select pr.id from providers pr
          where pr.org_id = p.org_id and pr.facility_id = p.facility_id order by pr.id limit 1) as provider_id,
        (row_number() over (order by p.id) - 1)::int as n,
        (count(*) over ())::int as total
      from patients p where p.org_id = ${backlog.orgId}),
    encounter as (
      insert into encounters (org_id, facility_id, patient_id, rendering_provider_id, type, service_date,
        place_of_service, documentation, status, external_id)
      select p.org_id, p.facility_id, p.id, p.provider_id, 'OUTPATIENT', date '2026-10-01' + i % 28,
        '22', 'Backlog visit ' || i, 'BILLED', ${backlog.label} || '-' || i
      from generate_series(0, ${backlog.count} - 1) i join patient p on p.n = i % p.total
      returning org_id, id, facility_id, patient_id, rendering_provider_id, service_date),
    claim as (
      insert into claims (org_id, encounter_id, facility_id, patient_id, rendering_provider_id,
        patient_control_number, place_of_service, service_date, diagnoses, status, total_charge)
      select org_id, id, facility_id, patient_id, rendering_provider_id, 'B' || substr(md5(id::text), 1, 12),
        '22', service_date, '{I10}', 'SUBMITTED', 125.00 from encounter
      returning org_id, id, encounter_id)
    insert into work_items (org_id, queue_id, queue_kind, facility_id, claim_id, priority, due_at)
    select c.org_id, q.id, q.kind, e.facility_id, c.id, ${backlog.priority}, now() + make_interval(hours => q.sla_hours)
    from claim c join encounter e on e.org_id = c.org_id and e.id = c.encounter_id
    join work_queues q on q.org_id = c.org_id and q.name = ${backlog.queue}`);
}
