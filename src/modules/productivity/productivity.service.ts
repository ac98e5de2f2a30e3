import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { badInput, notFound } from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { type Role, requireRole } from "../auth/index.js";
import { coderProductivity, type ProductivityInterval, type ProductivityRow } from "./productivity.store.js";

/** Who reads coders' productivity and accuracy. */
export const PRODUCTIVITY_ROLES: Role[] = ["SUPERVISOR", "ADMIN"];
/** The longest range one report covers: a year, leap years included. */
export const MAX_PRODUCTIVITY_DAYS = 366;

const DAY_MS = 86_400_000;

export interface CoderProductivityFigures extends ProductivityRow {
  /** Findings per reviewed encounter; null when none was reviewed. */
  findingsPerReviewedEncounter: number | null;
  /** Share of reviewed codes the reviews left unchanged, 0–1; null when none was reviewed. */
  accuracyRate: number | null;
}

/**
 * Per coder (and per period), what they coded from `from` to `to` (UTC dates, inclusive) at the
 * caller's facilities: counts, median handle time, and how their reviews went.
 */
export async function productivity(
  ctx: RequestContext,
  request: { from: string; to: string; interval: ProductivityInterval; coderId: string | null },
): Promise<CoderProductivityFigures[]> {
  const actor = actorOf(ctx);
  requireRole(actor, PRODUCTIVITY_ROLES, "read coder productivity");
  const days = (Date.parse(request.to) - Date.parse(request.from)) / DAY_MS + 1;
  if (days < 1) throw badInput("`to` is before `from`.", "to");
  if (days > MAX_PRODUCTIVITY_DAYS)
    throw badInput(`A report covers at most ${MAX_PRODUCTIVITY_DAYS} days; this range has ${days}.`, "to");
  const coderId = request.coderId === null ? null : uuidOf(request.coderId, "User");
  if (request.coderId !== null && !coderId) throw notFound("User", "coderId");
  const rows = await coderProductivity(ctx.db, actor.scope, { ...request, coderId });
  return rows.map((row) => ({
    ...row,
    findingsPerReviewedEncounter: row.reviews === 0 ? null : row.findings / row.reviews,
    accuracyRate: row.codesReviewed === 0 ? null : row.codesUnchanged / row.codesReviewed,
  }));
}
