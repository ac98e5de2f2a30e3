import { type AuthChecker, Authorized, Extensions } from "type-graphql";
import type { RequestContext } from "../context.js";
import { hasRole, type Role } from "../modules/auth/actor.js";
import { forbidden, unauthenticated } from "../shared/errors.js";
import { graphQLErrorOf } from "./errors.js";

/** Root fields that answer without a token; every other root field declares `@Roles` (a schema test checks). */
export const PUBLIC_ROOT_FIELDS: ReadonlySet<string> = new Set(["login"]);

/**
 * Declares which roles may use a field. type-graphql enforces it through `authChecker`,
 * and `schema.ts` writes the roles into the field's description so the schema shows them.
 * Services check the same roles again: the resolver is not the only way in.
 */
export function Roles(...roles: Role[]): PropertyDecorator & MethodDecorator {
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    Authorized(roles)(target, key, descriptor as TypedPropertyDescriptor<unknown>);
    Extensions({ roles })(target, key, descriptor as TypedPropertyDescriptor<unknown>);
  };
}

/** type-graphql's @Authorized check: a missing or refused token is UNAUTHENTICATED, a missing role FORBIDDEN. */
export const authChecker: AuthChecker<RequestContext, Role> = ({ context }, roles) => {
  if (!context.actor) throw graphQLErrorOf(context.authFailure ?? unauthenticated());
  if (roles.length > 0 && !hasRole(context.actor, roles)) {
    throw forbidden(`This needs one of the roles ${roles.join(", ")}.`);
  }
  return true;
};
