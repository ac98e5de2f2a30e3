/**
 * Advisory lock keys, one per job that must run on one instance (or one transaction) at a time.
 * In one list so that no two jobs share a key by accident.
 */
export const LOCKS = {
  migration: 72_410_001,
  demoSeed: 72_410_002,
  codeSetImport: 72_410_003,
  leaseSweep: 72_410_004,
  eventPurge: 72_410_005,
  followUpSweep: 72_410_006,
} as const;
