import type { Role } from "./actor.js";

/** Who registers patients and their encounters: the front office (billers), supervisors and administrators. */
export const REGISTRATION_ROLES: readonly Role[] = ["ADMIN", "SUPERVISOR", "BILLER"];
