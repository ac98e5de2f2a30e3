import { and, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { workItems, workQueues } from "../../db/schema/work.js";
import { canSeeFacility, inFacilities, inOrg } from "../../db/scope.js";
import type { Actor, Role } from "../auth/index.js";
import type { UserWithFacilities } from "../users/index.js";
import type { QueueKind, WorkItemRow, WorkQueueRow } from "./work.store.js";

/*
 * Who may work and who may see which queue, written once. Each requirement below is stated as an
 * in-process check, as the same condition on work_queues rows, and as the phrase that says it is
 * missing; claimNext, item lists, node, Encounter.workItems, PhysicianQuery.workItem, item mutations,
 * assignment and live events are all built from it, so no path shows or hands out what another refuses.
 */

/** Roles that work items from queues. */
export const WORKER_ROLES: Role[] = ["CODER", "AUDITOR", "BILLER", "SUPERVISOR"];
/** Roles that direct others' work: assign, reassign, unassign, prioritise, and hold or resume anyone's item. */
export const SUPERVISING_ROLES: Role[] = ["SUPERVISOR", "ADMIN"];
/** Who may put an item on hold or resume it: its holder (a worker) or a supervisor. */
export const HOLDING_ROLES: Role[] = [...WORKER_ROLES, "ADMIN"];
/** The queue kinds each worker role works. */
const KINDS_OF_ROLE: Partial<Record<Role, QueueKind[]>> = {
  CODER: ["CODING"],
  AUDITOR: ["CODING_REVIEW"],
  BILLER: ["CLAIM_EDIT", "BILLING", "DENIAL", "FOLLOW_UP", "UNMATCHED_PAYMENT"],
  SUPERVISOR: ["CODING", "CODING_REVIEW", "CLAIM_EDIT", "BILLING", "DENIAL", "FOLLOW_UP", "UNMATCHED_PAYMENT"],
};

/** Whom the rules are about: the actor, or a user a supervisor assigns work to. */
export type Worker = Pick<Actor, "roles" | "credentials">;

function workableKinds(worker: Worker): QueueKind[] {
  return [...new Set(worker.roles.flatMap((role) => KINDS_OF_ROLE[role] ?? []))];
}

/** One thing a queue asks of whoever works it. */
interface Requirement {
  met(worker: Worker, queue: WorkQueueRow): boolean;
  /** The same condition on work_queues rows. */
  where(worker: Worker): SQL;
  /** Says what `user` lacks, for a supervisor who tried to give them the work. */
  missing(user: UserWithFacilities, queue: WorkQueueRow): string;
}

const REQUIREMENTS: Requirement[] = [
  {
    met: (worker, queue) => workableKinds(worker).includes(queue.kind),
    where: (worker) => {
      const kinds = workableKinds(worker);
      return kinds.length > 0 ? inArray(workQueues.kind, kinds) : sql`false`;
    },
    missing: (user, queue) => `${user.name}'s roles (${user.roles.join(", ")}) do not work ${queue.kind} queues`,
  },
  {
    met: (worker, queue) => queue.requiredCredential === null || worker.credentials.includes(queue.requiredCredential),
    where: (worker) =>
      worker.credentials.length > 0
        ? or(isNull(workQueues.requiredCredential), inArray(workQueues.requiredCredential, [...worker.credentials]))!
        : isNull(workQueues.requiredCredential),
    missing: (user, queue) =>
      `"${queue.name}" needs the ${queue.requiredCredential} credential, which ${user.name} does not hold`,
  },
];

const supervises = (worker: Worker) => SUPERVISING_ROLES.some((role) => worker.roles.includes(role));

/** Whether the worker may work the queue: a role for its kind and its credential, if it asks for one. */
export function mayWork(worker: Worker, queue: WorkQueueRow): boolean {
  return REQUIREMENTS.every((requirement) => requirement.met(worker, queue));
}

/** `mayWork` as a condition on work_queues rows (claimNext's). */
export function workableQueues(worker: Worker): SQL {
  return and(...REQUIREMENTS.map((requirement) => requirement.where(worker)))!;
}

/** Supervisors and administrators see every queue; workers see the queues they may work. */
export function mayView(actor: Actor, queue: WorkQueueRow): boolean {
  return supervises(actor) || mayWork(actor, queue);
}

/** `mayView` as a condition on work_queues rows. */
export function viewableQueues(actor: Actor): SQL {
  return supervises(actor) ? sql`true` : workableQueues(actor);
}

/** Whether the actor may see an item of `queue`: one at a facility of theirs, in a queue they may view. */
export function mayViewItem(
  actor: Actor,
  queue: WorkQueueRow,
  item: Pick<WorkItemRow, "facilityId" | "queueId">,
): boolean {
  return queue.id === item.queueId && canSeeFacility(actor.scope, item.facilityId) && mayView(actor, queue);
}

/** `mayViewItem` as a condition on work_items rows. */
export function viewableItems(actor: Actor): SQL {
  const queues = sql`(select ${workQueues.id} from ${workQueues} where
    ${and(inOrg(workQueues, actor.scope), viewableQueues(actor))})`;
  return and(inFacilities(workItems, actor.scope), sql`${workItems.queueId} in ${queues}`)!;
}

/**
 * Why `user` may not be given `item` of `queue`, one phrase per unmet requirement (what `mayWork`
 * asks, being active, the item's facility); empty when they may.
 */
export function ineligibility(
  user: UserWithFacilities,
  queue: WorkQueueRow,
  item: WorkItemRow,
  facilityNames: ReadonlyMap<string, string>,
): string[] {
  const reasons: string[] = [];
  if (!user.active) reasons.push(`${user.name} is deactivated`);
  for (const requirement of REQUIREMENTS)
    if (!requirement.met(user, queue)) reasons.push(requirement.missing(user, queue));
  if (!user.facilityIds.includes(item.facilityId))
    reasons.push(`${user.name} has no access to ${facilityNames.get(item.facilityId) ?? "the item's facility"}`);
  return reasons;
}
