import { FacilityResolver, PayerResolver, ProviderResolver } from "./organization.resolver.js";

/**
 * The organizations module's front door: what other modules may use. Inside the module, files
 * import each other directly.
 */

export { visibleFacilityId } from "./organization.service.js";
export { type FacilityRow, facilitiesByIds, type PayerRow, type ProviderRow } from "./organization.store.js";
export { Facility, Payer, PayerKindEnum, Provider } from "./organization.type.js";

export const resolvers = [FacilityResolver, ProviderResolver, PayerResolver] as const;
export { organizationLoaders as loaders } from "./organization.loaders.js";
