import type { Scope } from "../../db/scope.js";
import { forbidden } from "../../shared/errors.js";
import type { Role } from "../users/index.js";

export type { Role };

/** The signed-in user a request acts for, loaded fresh from the database on every request. */
export interface Actor {
  userId: string;
  orgId: string;
  email: string;
  name: string;
  roles: readonly Role[];
  credentials: readonly string[];
  /** What the actor may read and write: their organization and granted facilities. */
  scope: Scope;
}

/** Whether the actor holds any of the roles: what a role list on a rule means. */
export const hasRole = (actor: Actor, roles: readonly Role[]) => roles.some((r) => actor.roles.includes(r));

/** The service-layer permission check; resolvers declare the same roles for the schema to show. */
export function requireRole(actor: Actor, roles: readonly Role[], action: string): void {
  if (!hasRole(actor, roles)) {
    throw forbidden(`Only ${roles.join(", ")} may ${action}.`);
  }
}
