/**
 * The claim without its TABLE_OLDER_THAN_SERVICE_DATE warnings: every 2026 claim carries them while
 * the shipped NCCI/MUE (2024Q3) and Code Editor (FY2024) tables predate it, and a story about another
 * edit reads the rest. One story (billing.test.ts) checks those warnings themselves.
 */
export function withoutTableAge<T extends { issues?: { code: string }[] } | null | undefined>(claim: T): T {
  if (!claim?.issues) return claim;
  return { ...claim, issues: claim.issues.filter((issue) => issue.code !== "TABLE_OLDER_THAN_SERVICE_DATE") };
}
