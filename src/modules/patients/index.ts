import { CoverageResolver, PatientCoverageResolver } from "./coverage.resolver.js";
import { PatientResolver } from "./patient.resolver.js";

/**
 * The patients module's front door: what other modules may use. Inside the module, files import
 * each other directly.
 */

export { visiblePatient } from "./patient.service.js";
export type { PatientRow } from "./patient.store.js";
export { Patient } from "./patient.type.js";

export const resolvers = [PatientResolver, CoverageResolver, PatientCoverageResolver] as const;
export { patientLoaders as loaders } from "./patient.loaders.js";
