import { AgingLineResolver, PayerDenialsResolver, ReasonDenialsResolver, ReportsResolver } from "./reports.resolver.js";

/**
 * The reports module's front door: the supervisor's revenue-cycle reports (A/R aging, days in A/R, denial rates,
 * clean claims and first-pass acceptance, net collection, claims per status). Its resolvers are the application's;
 * nothing is for other modules.
 */

export const resolvers = [ReportsResolver, AgingLineResolver, PayerDenialsResolver, ReasonDenialsResolver] as const;
