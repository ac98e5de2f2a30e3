import { and, asc, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { codingCompletions, codingReviewFindings, codingReviews } from "../../db/schema/coding.js";
import { encounters } from "../../db/schema/encounters.js";
import { ownedBy, type Scope, sameOrganization, underFacilities } from "../../db/scope.js";
import { type AuditEntry, auditInsert } from "../audit/index.js";
import { appendEvents } from "../events/index.js";
import type { CodeKind, FindingKind } from "./review.diff.js";

/** A review, with the coder whose completion it reviewed. */
export type CodingReviewRow = typeof codingReviews.$inferSelect & { coderId: string };
export type ReviewFindingRow = typeof codingReviewFindings.$inferSelect;
export type ReviewOutcome = CodingReviewRow["outcome"];

/** The outbox topic of submitted coding reviews. */
export const CODING_REVIEW_TOPIC = "coding_review";

/** What a coding review event says: enough to route it to the coder without reading the review. */
export interface CodingReviewEventPayload {
  reviewId: string;
  encounterId: string;
  facilityId: string;
  /** The coder whose coding was reviewed: the subscriber of myCodingReviews. */
  coderId: string;
  auditorId: string;
  outcome: ReviewOutcome;
  findings: number;
}

const withCoder = { ...getTableColumns(codingReviews), coderId: codingCompletions.coderId };

/** Reviews of encounters the caller may see. */
function visibleReviews(scope: Scope) {
  return underFacilities(codingReviews, codingReviews.encounterId, encounters, scope);
}

function selectReviews(db: Database) {
  return db
    .select(withCoder)
    .from(codingReviews)
    .innerJoin(
      codingCompletions,
      and(sameOrganization(codingCompletions, codingReviews), eq(codingCompletions.id, codingReviews.completionId)),
    );
}

/** Those of encounters the caller may see. */
export function reviewsByIds(db: Database, scope: Scope, ids: readonly string[]): Promise<CodingReviewRow[]> {
  return selectReviews(db).where(and(visibleReviews(scope), inArray(codingReviews.id, [...ids])));
}

/** The reviews of encounters, newest first. */
export function reviewsOfEncounters(
  db: Database,
  scope: Scope,
  encounterIds: readonly string[],
): Promise<CodingReviewRow[]> {
  return selectReviews(db)
    .where(and(visibleReviews(scope), inArray(codingReviews.encounterId, [...encounterIds])))
    .orderBy(desc(codingReviews.reviewedAt), desc(codingReviews.id));
}

/**
 * The findings of reviews in the order the review listed them: diagnoses, then
 * procedures, each in the coder's order with added codes last in the auditor's (the entries keep
 * their 1-based positions as `sequence`).
 */
export function findingsOfReviews(
  db: Database,
  scope: Scope,
  reviewIds: readonly string[],
): Promise<ReviewFindingRow[]> {
  return db
    .select({ ...getTableColumns(codingReviewFindings) })
    .from(codingReviewFindings)
    .innerJoin(
      codingReviews,
      and(sameOrganization(codingReviews, codingReviewFindings), eq(codingReviews.id, codingReviewFindings.reviewId)),
    )
    .where(and(visibleReviews(scope), inArray(codingReviewFindings.reviewId, [...reviewIds])))
    .orderBy(
      asc(codingReviewFindings.reviewId),
      asc(codingReviewFindings.codeKind),
      sql`coalesce((${codingReviewFindings.before}->>'sequence')::int,
                   10000 + (${codingReviewFindings.after}->>'sequence')::int)`,
      asc(codingReviewFindings.kind),
    );
}

/** A diagnosis or procedure line as stored in a finding: the entry and where it stood in its list. */
export type Positioned = Record<string, unknown> & { sequence: number };

export interface NewReview {
  completionId: string;
  encounterId: string;
  facilityId: string;
  coderId: string;
  auditorId: string;
  outcome: ReviewOutcome;
  codesReviewed: number;
  codesUnchanged: number;
  note: string | null;
  /** Each entry in stored form with its 1-based position in its list as `sequence`. */
  findings: {
    kind: FindingKind;
    codeKind: CodeKind;
    before: Positioned | null;
    after: Positioned | null;
    reason: string;
  }[];
}

/**
 * The review row, then in one statement its findings, its outbox event and its
 * audit row. A completion is reviewed once: a second review of it
 * answers undefined and writes nothing.
 */
export async function insertReview(
  tx: Database,
  scope: Scope,
  review: NewReview,
  auditOf: (reviewId: string) => AuditEntry,
): Promise<CodingReviewRow | undefined> {
  const [row] = await tx
    .insert(codingReviews)
    .values(
      ownedBy(scope, {
        completionId: review.completionId,
        encounterId: review.encounterId,
        auditorId: review.auditorId,
        outcome: review.outcome,
        codesReviewed: review.codesReviewed,
        codesUnchanged: review.codesUnchanged,
        note: review.note,
      }),
    )
    .onConflictDoNothing()
    .returning();
  if (!row) return undefined;
  const findings =
    review.findings.length === 0
      ? []
      : [
          tx.insert(codingReviewFindings).values(
            review.findings.map((f) =>
              ownedBy(scope, {
                reviewId: row.id,
                kind: f.kind,
                codeKind: f.codeKind,
                before: f.before,
                after: f.after,
                reason: f.reason,
              }),
            ),
          ),
        ];
  const payload: CodingReviewEventPayload = {
    reviewId: row.id,
    encounterId: review.encounterId,
    facilityId: review.facilityId,
    coderId: review.coderId,
    auditorId: review.auditorId,
    outcome: review.outcome,
    findings: review.findings.length,
  };
  await appendEvents(
    tx,
    [ownedBy(scope, { topic: CODING_REVIEW_TOPIC, payload: { ...payload } })],
    [...findings, auditInsert(tx, [auditOf(row.id)])],
  );
  return { ...row, coderId: review.coderId };
}
