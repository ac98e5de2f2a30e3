import { AuthResolver } from "./auth.resolver.js";

/** The auth module's front door: what other modules may use. Inside the module, files import each other directly. */

// Who acts, the roles users hold (the users module owns them), and the service layer's role checks.
export { type Actor, hasRole, type Role, requireRole } from "./actor.js";
export { generatedPassword, hashPassword, passwordProblem } from "./passwords.js";
export { REGISTRATION_ROLES } from "./roles.js";

export const resolvers = [AuthResolver] as const;
