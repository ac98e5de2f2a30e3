import { sql } from "drizzle-orm";
import type { Database } from "../src/db/client.js";
import { benchApi, percentile } from "./database.js";

const CLAIMS = 100_000;
const BATCHES = 100;
const RUNS = 7;

/** Each report as a supervisor's screen asks for it; ranges cover the last 90 days. */
const REPORTS: Record<string, string> = {
  "arAging (service date)": `{ arAging { total { claimCount balance buckets { claimCount balance } }
    byPayer { payer { name } balance } byFacility { facility { name } balance } } }`,
  "arAging (submission date)": `{ arAging(basis: SUBMISSION_DATE) { total { claimCount balance notSubmittedCount }
    byPayer { balance } byFacility { balance } } }`,
  daysInAr: `{ daysInAr { balance charges daysInAr } }`,
  denialRates: `query ($from: Date!, $to: Date!) { denialRates(from: $from, to: $to) { total { denialRate }
    byPayer { payer { name } denialRate } byCategory { category deniedClaims } byReason { reasonCode reason } } }`,
  claimQuality: `query ($from: Date!, $to: Date!) { claimQuality(from: $from, to: $to) {
    cleanClaimRate firstPassAcceptanceRate } }`,
  netCollection: `query ($from: Date!, $to: Date!) { netCollection(from: $from, to: $to) { netCollectionRate } }`,
  claimStatusTotals: `{ claimStatusTotals { status claimCount balance } }`,
};

/**
 * Each report over 100,000 claims of the demo organization, written straight into the tables (building them
 * through the API is not what is measured): spread over both facilities, the payers and 200 days of service, in
 * every status, with their status history, 837P batches, posted payments and adjustments. Each report is asked
 * for as the demo supervisor over GraphQL, once to warm up and then RUNS times; p50 and worst are printed.
 * Target: ≤ 200 ms each on PostgreSQL.
 */
export async function benchReports(databaseUrl: string | undefined): Promise<void> {
  const driver = (databaseUrl ? "PostgreSQL" : "PGlite").padEnd(10);
  const api = await benchApi(databaseUrl, "supervisor@demo.chartroom.test");
  try {
    const started = performance.now();
    await insertClaims(api.database.db);
    const loaded = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`reports ${driver}: ${CLAIMS.toLocaleString("en-US")} claims and their history written in ${loaded} s`);
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10);
    for (const [name, query] of Object.entries(REPORTS)) {
      await api.query(query, { from, to });
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const t = performance.now();
        await api.query(query, { from, to });
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(
        `  ${name.padEnd(26)} p50 ${percentile(times, 50).toFixed(1)} ms, worst ${times.at(-1)!.toFixed(1)} ms ` +
          "(target ≤ 200 ms)",
      );
    }
  } finally {
    await api.stop();
  }
}

/*
 * Claim n: facility n mod 2, payer n mod (insured payers), served n mod 200 days ago, charge 100–250; its status by
 * n mod 10: READY (never sent), SUBMITTED, ACCEPTED, REJECTED, PAID ×3, PARTIALLY_PAID, DENIED, VOID. Every
 * thirteenth was NEEDS_REVIEW before READY. Sent claims are in batch n mod 100, made n mod 100 days ago; adjudicated
 * ones have one posting of remittance n mod 100, posted n mod 180 days ago, with its CAS rows.
 */
async function insertClaims(db: Database): Promise<void> {
  await db.execute(sql`
    with template as (
      select e.org_id, e.id as encounter_id, e.patient_id, e.rendering_provider_id, u.id as user_id
      from encounters e
      join users u on u.org_id = e.org_id and u.email = 'supervisor@demo.chartroom.test'
      order by e.service_date limit 1
    ), sites as (
      select array_agg(f.id order by f.name) as ids from facilities f, template t where f.org_id = t.org_id
    ), insured as (
      select array_agg(p.id order by p.name) as ids from payers p, template t
      where p.org_id = t.org_id and p.kind <> 'SELF_PAY'
    ), batches as (
      insert into submission_batches (org_id, payer_id, interchange_control_number, group_control_number,
        transaction_set_control_numbers, x12, claim_count, created_by, created_at)
      select t.org_id, i.ids[1], 900000000 + k, 900000000 + k, array['0001'], 'ISA~', ${CLAIMS / BATCHES}, t.user_id,
        now() - make_interval(days => k)
      from template t, insured i, generate_series(0, ${BATCHES - 1}) k
      returning id, interchange_control_number - 900000000 as k
    ), numbered as (
      select n, n % 10 as kind, (100 + (n % 7) * 25)::numeric(12, 2) as charge from generate_series(0, ${CLAIMS - 1}) n
    )
    insert into claims (org_id, encounter_id, facility_id, patient_id, payer_id, rendering_provider_id,
      patient_control_number, place_of_service, service_date, diagnoses, status, total_charge, paid_amount,
      adjusted_amount, patient_responsibility, batch_id)
    select t.org_id, t.encounter_id, s.ids[1 + n % array_length(s.ids, 1)], t.patient_id,
      i.ids[1 + n % array_length(i.ids, 1)], t.rendering_provider_id, 'RPT' || lpad(n::text, 8, '0'), '11',
      current_date - (n % 200)::int, array['I10'],
      (array['READY', 'SUBMITTED', 'ACCEPTED', 'REJECTED', 'PAID', 'PAID', 'PAID', 'PARTIALLY_PAID', 'DENIED',
        'VOID'])[kind + 1]::claim_status,
      charge,
      case when kind between 4 and 6 then charge * 0.7 when kind = 7 then charge * 0.5 else 0 end,
      case when kind between 4 and 6 then charge * 0.2 when kind = 7 then charge * 0.5 when kind = 8 then charge
        else 0 end,
      case when kind between 4 and 6 then charge * 0.1 else 0 end,
      case when kind between 1 and 8 then b.id end
    from numbered, template t, sites s, insured i, batches b
    where b.k = n % ${BATCHES}`);
  await db.execute(sql`
    with placed as (
      select c.org_id, c.id, c.status, c.created_at,
        substr(c.patient_control_number, 4)::int as n
      from claims c where c.patient_control_number like 'RPT%'
    ), steps as (
      select org_id, id, null::claim_status as from_status,
        (case when n % 13 = 0 then 'NEEDS_REVIEW' else 'DRAFT' end)::claim_status as to_status, 0 as step
      from placed
      union all
      select org_id, id, (case when n % 13 = 0 then 'NEEDS_REVIEW' else 'DRAFT' end)::claim_status, 'READY', 1
      from placed where status <> 'VOID'
      union all
      select org_id, id, 'READY', 'SUBMITTED', 2 from placed where status not in ('READY', 'VOID')
      union all
      select org_id, id, 'SUBMITTED', (case when status = 'REJECTED' then 'REJECTED' else 'ACCEPTED' end)::claim_status,
        3
      from placed where status not in ('READY', 'SUBMITTED', 'VOID')
      union all
      select org_id, id, 'ACCEPTED', status, 4 from placed where status in ('PAID', 'PARTIALLY_PAID', 'DENIED')
    )
    insert into claim_status_changes (org_id, claim_id, from_status, to_status, reason, at)
    select s.org_id, s.id, s.from_status, s.to_status, 'bench',
      now() - make_interval(days => p.n % 180) + make_interval(mins => s.step)
    from steps s join placed p on p.org_id = s.org_id and p.id = s.id`);
  await db.execute(sql`
    with template as (
      select u.org_id, u.id as user_id from users u where u.email = 'supervisor@demo.chartroom.test'
    ), file as (
      insert into remittance_files (org_id, content_hash, x12, sender_id, interchange_control_number, received_by)
      select org_id, 'bench-reports', 'ISA~', 'PAYERSIM', '000000001', user_id from template
      returning org_id, id
    ), paid as (
      insert into remittances (org_id, file_id, payer_identifier, trace_number, payer_name, payment_amount,
        handling, method, payee_name, posted_by, posted_at)
      select f.org_id, f.id, 'BENCH', 'RPT' || k, 'BENCH PAYER', '0.00', 'I', 'CHK', 'RIVERBEND', t.user_id,
        now() - make_interval(days => k)
      from file f, template t, generate_series(0, ${BATCHES - 1}) k
      returning org_id, id, substr(trace_number, 4)::int as k
    ), adjudicated as (
      select c.org_id, c.id, c.facility_id, c.status, c.total_charge, c.paid_amount, c.patient_responsibility,
        c.patient_control_number, substr(c.patient_control_number, 4)::int as n
      from claims c where c.patient_control_number like 'RPT%' and c.status in ('PAID', 'PARTIALLY_PAID', 'DENIED')
    ), posted as (
      insert into claim_payments (org_id, remittance_id, claim_id, facility_id, patient_control_number,
        claim_status_code, charge, paid, patient_responsibility, status_before, status_after, detail, posted_by,
        posted_at)
      select a.org_id, r.id, a.id, a.facility_id, a.patient_control_number,
        case when a.status = 'DENIED' then '4' else '1' end, a.total_charge, a.paid_amount,
        a.patient_responsibility, 'ACCEPTED', a.status, '{}'::jsonb, t.user_id,
        now() - make_interval(days => a.n % 180)
      from adjudicated a, template t, paid r
      where r.k = a.n % ${BATCHES}
      returning org_id, id, claim_id, status_after, charge
    )
    insert into claim_adjustments (org_id, claim_id, claim_payment_id, group_code, reason_code, amount, created_by)
    select p.org_id, p.claim_id, p.id, adjustment.group_code, adjustment.reason_code, adjustment.amount, t.user_id
    from posted p, template t,
      lateral (values
        ('CO', '45', case p.status_after when 'PAID' then p.charge * 0.2 when 'PARTIALLY_PAID' then p.charge * 0.2 end),
        ('PR', '2', case p.status_after when 'PAID' then p.charge * 0.1 end),
        ('CO', '50', case p.status_after when 'PARTIALLY_PAID' then p.charge * 0.3 end),
        ('CO', case when p.charge > 150 then '27' else '197' end,
          case p.status_after when 'DENIED' then p.charge end)
      ) as adjustment(group_code, reason_code, amount)
    where adjustment.amount is not null`);
  await db.execute(sql`analyze`);
}
