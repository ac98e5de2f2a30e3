import { TeamResolver } from "./team.resolver.js";

/**
 * The team module's front door: administration of the organization's users (listing them for
 * supervisors and administrators, creating and changing them for administrators).
 */

export const resolvers = [TeamResolver] as const;
