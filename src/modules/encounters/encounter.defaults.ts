import type { EncounterType } from "./encounter.store.js";

/** The usual CMS place of service for each setting, used when the sender gives none (and by the demo seed). */
export const DEFAULT_PLACE_OF_SERVICE: Readonly<Record<EncounterType, string>> = {
  PROFESSIONAL: "11",
  OUTPATIENT: "22",
  INPATIENT: "21",
  EMERGENCY: "23",
};
