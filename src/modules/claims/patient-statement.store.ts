import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { patientStatementLines } from "../../db/schema/claims.js";
import { patients } from "../../db/schema/patients.js";
import { ownedBy, type Scope, underFacilities } from "../../db/scope.js";

/* What self-pay patients owe for their encounters: the lines of their statements. */

export type StatementLineRow = typeof patientStatementLines.$inferSelect;

/* insertStatementLine: what a self-pay patient owes for an encounter. */
export async function insertStatementLine(
  db: Database,
  scope: Scope,
  values: Omit<typeof patientStatementLines.$inferInsert, "orgId" | "id" | "createdAt">,
): Promise<StatementLineRow> {
  const [row] = await db.insert(patientStatementLines).values(ownedBy(scope, values)).returning();
  return row!;
}

/* statementLinesOfPatients: each patient's statement lines, oldest first. */
export function statementLinesOfPatients(
  db: Database,
  scope: Scope,
  patientIds: readonly string[],
): Promise<StatementLineRow[]> {
  return db
    .select()
    .from(patientStatementLines)
    .where(
      and(
        underFacilities(patientStatementLines, patientStatementLines.patientId, patients, scope),
        inArray(patientStatementLines.patientId, [...patientIds]),
      ),
    )
    .orderBy(asc(patientStatementLines.createdAt), asc(patientStatementLines.id));
}

/* statementBalanceOfEncounter: what the encounter's statement lines add up to, "0.00" when none. */
export async function statementBalanceOfEncounter(db: Database, scope: Scope, encounterId: string): Promise<string> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${patientStatementLines.amount}), 0.00)::numeric(12, 2)::text` })
    .from(patientStatementLines)
    .where(
      and(
        underFacilities(patientStatementLines, patientStatementLines.patientId, patients, scope),
        eq(patientStatementLines.encounterId, encounterId),
      ),
    );
  return row?.total ?? "0.00";
}
