import type { NewWorkQueue } from "./work.store.js";

/**
 * The queues every organization starts with. Inpatient stays go to their own queue, which needs
 * CCS (facility coding credential); everything else an encounter can be goes to outpatient coding.
 */
export function defaultQueues(orgId: string): NewWorkQueue[] {
  return [
    {
      orgId,
      kind: "CODING",
      name: "Inpatient coding",
      routingOrder: 10,
      encounterTypes: ["INPATIENT"],
      requiredCredential: "CCS",
      slaHours: 72,
      leaseMinutes: 30,
    },
    {
      orgId,
      kind: "CODING",
      name: "Outpatient coding",
      routingOrder: 20,
      encounterTypes: ["PROFESSIONAL", "OUTPATIENT", "EMERGENCY"],
      slaHours: 48,
      leaseMinutes: 15,
    },
    { orgId, kind: "CODING_REVIEW", name: "Coding review", slaHours: 48, leaseMinutes: 20 },
    { orgId, kind: "CLAIM_EDIT", name: "Claim edits", slaHours: 24, leaseMinutes: 15 },
    { orgId, kind: "BILLING", name: "Billing", slaHours: 24, leaseMinutes: 15 },
    { orgId, kind: "DENIAL", name: "Denials", slaHours: 120, leaseMinutes: 30 },
    { orgId, kind: "FOLLOW_UP", name: "Follow-up", slaHours: 168, leaseMinutes: 30 },
    { orgId, kind: "UNMATCHED_PAYMENT", name: "Unmatched payments", slaHours: 48, leaseMinutes: 20 },
  ];
}
