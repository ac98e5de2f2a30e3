import type { WorkQueueRow } from "./work.store.js";

/*
 * Routing: which queue takes a subject, how urgent it is, and when it is due. One function for
 * every kind of work, so claims, denials and follow-ups route the way encounters do.
 */

/** What routing needs to know about an encounter or a claim. */
export interface RoutingSubject {
  kind: WorkQueueRow["kind"];
  facilityId: string;
  encounterType: WorkQueueRow["encounterTypes"][number] | null;
  payerKind: WorkQueueRow["payerKinds"][number] | null;
  /** Date of service, YYYY-MM-DD. */
  serviceDate: string;
  /** Decimal string; "0.00" while unknown (an encounter has no charges before it is coded). */
  expectedCharge: string;
}

export interface Route {
  queue: WorkQueueRow;
  priority: number;
  dueAt: Date | null;
}

/**
 * Days since the date of service count up to this cap, so a
 * year-old encounter does not bury everything else forever.
 */
export const MAX_AGE_POINTS = 365;
/** Charges count in $100 steps up to this cap ($50,000), so one huge stay does not outrank weeks of backlog. */
export const MAX_CHARGE_POINTS = 500;

/**
 * Priority, higher first:
 *
 *   priority = min(days since the date of service, 365) + min(floor(expected charge / $100), 500)
 *
 * Older services come first because timely-filing limits run from the date of service; larger
 * charges because they carry more revenue. One day of age weighs as much as $100 of charge.
 */
export function priorityOf(serviceDate: string, expectedCharge: string, now: Date): number {
  const ageDays = Math.floor((now.getTime() - Date.parse(`${serviceDate}T00:00:00Z`)) / 86_400_000);
  const agePoints = Math.min(Math.max(ageDays, 0), MAX_AGE_POINTS);
  const chargePoints = Math.min(Math.max(Math.floor(Number(expectedCharge) / 100), 0), MAX_CHARGE_POINTS);
  return agePoints + chargePoints;
}

const matches = <T>(rule: readonly T[], value: T | null) =>
  rule.length === 0 || (value !== null && rule.includes(value));

/**
 * The first queue of the subject's kind, by routing order then name, whose every rule matches
 * (an empty rule matches anything); the item's priority; and its due time from the queue's SLA.
 * Null when no queue of the organization takes the subject.
 */
export function route(queues: readonly WorkQueueRow[], subject: RoutingSubject, now: Date): Route | null {
  const queue = queues
    .filter((q) => q.kind === subject.kind)
    .filter((q) => matches(q.facilityIds, subject.facilityId))
    .filter((q) => matches(q.encounterTypes, subject.encounterType))
    .filter((q) => matches(q.payerKinds, subject.payerKind))
    .sort((a, b) => a.routingOrder - b.routingOrder || a.name.localeCompare(b.name))[0];
  if (!queue) return null;
  return {
    queue,
    priority: priorityOf(subject.serviceDate, subject.expectedCharge, now),
    dueAt: queue.slaHours === null ? null : new Date(now.getTime() + queue.slaHours * 3_600_000),
  };
}
