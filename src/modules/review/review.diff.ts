/**
 * What a coding review found: the differences between the codes a coder left (before) and the
 * codes the auditor sets (after), and the counts a coder's accuracy is computed from. Pure.
 *
 * Codes arrive in stored form (upper case, no dot), as coding_completions keeps them.
 *
 * Diagnoses are an ordered list (the first is the primary or principal diagnosis):
 * - a code in both lists whose present-on-admission indicator differs is CHANGED;
 * - codes in both lists whose relative order differs are RESEQUENCED: those off a longest common
 *   subsequence of the codes in both, so removing a code in the middle does not make every code
 *   after it "resequenced", and moving one code reports that code alone;
 * - a code only in `before` and one only in `after` are one CHANGED when they share the ICD-10-CM
 *   category (first three characters: E11.9 → E11.65), or else when they sit at the same position;
 * - what remains is REMOVED (only before) or ADDED (only after).
 *
 * Procedure lines are keyed by system and code; their order carries no meaning:
 * - a line in both whose modifiers, units, charge, diagnosis pointers or date differ is CHANGED;
 * - a removed and an added line are one CHANGED when of the same system with the same first three
 *   characters (99213 → 99214), or else when at the same position;
 * - what remains is REMOVED or ADDED.
 */

export type FindingKind = "ADDED" | "REMOVED" | "CHANGED" | "RESEQUENCED";
export type CodeKind = "DIAGNOSIS" | "PROCEDURE";

/** The fields of a diagnosis the review compares. */
export interface ReviewedDiagnosis {
  code: string;
  presentOnAdmission: string | null;
}

/** The fields of a procedure line the review compares. */
export interface ReviewedProcedure {
  system: string;
  code: string;
  modifiers: readonly string[];
  units: number;
  charge: string;
  serviceDate: string | null;
  diagnosisPointers: readonly number[];
}

export interface ReviewedCodes<
  D extends ReviewedDiagnosis = ReviewedDiagnosis,
  P extends ReviewedProcedure = ReviewedProcedure,
> {
  diagnoses: readonly D[];
  procedures: readonly P[];
}

/** One difference: what the coder left and what the auditor set (null for an added or removed code). */
export type Finding<D extends ReviewedDiagnosis = ReviewedDiagnosis, P extends ReviewedProcedure = ReviewedProcedure> =
  | { kind: FindingKind; codeKind: "DIAGNOSIS"; before: D | null; after: D | null }
  | { kind: FindingKind; codeKind: "PROCEDURE"; before: P | null; after: P | null };

export interface ReviewDiff<
  D extends ReviewedDiagnosis = ReviewedDiagnosis,
  P extends ReviewedProcedure = ReviewedProcedure,
> {
  /** Diagnoses first, in the coder's order, then procedures; an added code where the auditor put it. */
  findings: Finding<D, P>[];
  /**
   * The coder's codes (diagnoses plus procedure lines) plus the codes
   * the auditor added: a missed code counts against accuracy.
   */
  codesReviewed: number;
  /** The coder's codes no finding is about. */
  codesUnchanged: number;
}

/** The ICD-10-CM category of a diagnosis code, or the leading characters a CPT/HCPCS family shares. */
const family = (code: string) => code.slice(0, 3);

/**
 * Pairs entries of `before` with entries of `after` that `same` says match, each used at most once,
 * in `before` order, each taking the first free match in `after`.
 */
function pairUp<B, A>(
  before: readonly B[],
  after: readonly A[],
  free: { before: Set<number>; after: Set<number> },
  same: (b: B, bi: number, a: A, ai: number) => boolean,
): [number, number][] {
  const pairs: [number, number][] = [];
  for (const bi of [...free.before].sort((x, y) => x - y)) {
    for (const ai of [...free.after].sort((x, y) => x - y)) {
      if (!same(before[bi]!, bi, after[ai]!, ai)) continue;
      pairs.push([bi, ai]);
      free.before.delete(bi);
      free.after.delete(ai);
      break;
    }
  }
  return pairs;
}

const allIndexes = (length: number) => new Set(Array.from({ length }, (_, i) => i));

/**
 * The indexes (into `pairs`) of a longest run of pairs whose `after` positions rise as their
 * `before` positions do: the codes kept in order. Among runs of that length it keeps the codes
 * the auditor moved down, so the code moved up (the new principal diagnosis, in a swap) is the
 * one reported. Quadratic: an encounter has a few dozen codes at most.
 */
function inOrder(pairs: readonly [number, number][]): Set<number> {
  // Ranks among the codes both lists share, so added and removed codes do not skew the tie-break.
  const byAfter = pairs.map((_, i) => i).sort((x, y) => pairs[x]![1] - pairs[y]![1]);
  const afterRank = new Map(byAfter.map((pairIndex, rank) => [pairIndex, rank]));
  const moved = (i: number) => afterRank.get(i)! - i; // > 0: moved down
  const best: { length: number; weight: number; previous: number }[] = [];
  for (let i = 0; i < pairs.length; i++) {
    let entry = { length: 1, weight: moved(i), previous: -1 };
    for (let j = 0; j < i; j++) {
      if (pairs[j]![1] >= pairs[i]![1]) continue;
      const candidate = { length: best[j]!.length + 1, weight: best[j]!.weight + moved(i), previous: j };
      if (candidate.length > entry.length || (candidate.length === entry.length && candidate.weight > entry.weight))
        entry = candidate;
    }
    best.push(entry);
  }
  let end = -1;
  for (let i = 0; i < best.length; i++) {
    if (
      end < 0 ||
      best[i]!.length > best[end]!.length ||
      (best[i]!.length === best[end]!.length && best[i]!.weight > best[end]!.weight)
    )
      end = i;
  }
  const kept = new Set<number>();
  for (let i = end; i >= 0; i = best[i]!.previous) kept.add(i);
  return kept;
}

function diffDiagnoses<D extends ReviewedDiagnosis>(before: readonly D[], after: readonly D[]) {
  const free = { before: allIndexes(before.length), after: allIndexes(after.length) };
  // pairUp walks `before` in order, so `common` is sorted by the coder's positions.
  const common = pairUp(before, after, free, (b, _, a) => b.code === a.code);
  const kept = inOrder(common);
  const changed = [
    ...pairUp(before, after, free, (b, _, a) => family(b.code) === family(a.code)),
    ...pairUp(before, after, free, (_b, bi, _a, ai) => bi === ai),
  ];

  const byBefore = new Map<number, { kind: FindingKind; before: D | null; after: D | null }[]>();
  const note = (bi: number, kind: FindingKind, ai: number | null) =>
    byBefore.set(bi, [
      ...(byBefore.get(bi) ?? []),
      { kind, before: before[bi]!, after: ai === null ? null : after[ai]! },
    ]);
  common.forEach(([bi, ai], i) => {
    if ((before[bi]!.presentOnAdmission ?? null) !== (after[ai]!.presentOnAdmission ?? null)) note(bi, "CHANGED", ai);
    if (!kept.has(i)) note(bi, "RESEQUENCED", ai);
  });
  for (const [bi, ai] of changed) note(bi, "CHANGED", ai);
  for (const bi of free.before) note(bi, "REMOVED", null);

  const findings: { kind: FindingKind; before: D | null; after: D | null }[] = [];
  for (let bi = 0; bi < before.length; bi++) findings.push(...(byBefore.get(bi) ?? []));
  for (const ai of [...free.after].sort((x, y) => x - y))
    findings.push({ kind: "ADDED", before: null, after: after[ai]! });
  return { findings, touched: byBefore.size };
}

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const cents = (amount: string) => Math.round(Number(amount) * 100);

/** Whether the auditor left the line as the coder billed it. */
export function sameLine(a: ReviewedProcedure, b: ReviewedProcedure): boolean {
  return (
    a.system === b.system &&
    a.code === b.code &&
    sameList(a.modifiers, b.modifiers) &&
    a.units === b.units &&
    cents(a.charge) === cents(b.charge) &&
    (a.serviceDate ?? null) === (b.serviceDate ?? null) &&
    sameList(a.diagnosisPointers, b.diagnosisPointers)
  );
}

function diffProcedures<P extends ReviewedProcedure>(before: readonly P[], after: readonly P[]) {
  const free = { before: allIndexes(before.length), after: allIndexes(after.length) };
  // Identical lines first, so two lines of one code (on two dates, say) are not crossed into changes.
  pairUp(before, after, free, (b, _, a) => sameLine(b, a));
  const changed = [
    ...pairUp(before, after, free, (b, _, a) => b.system === a.system && b.code === a.code),
    ...pairUp(before, after, free, (b, _, a) => b.system === a.system && family(b.code) === family(a.code)),
    ...pairUp(before, after, free, (_b, bi, _a, ai) => bi === ai),
  ].sort((x, y) => x[0] - y[0]);

  const findings: { kind: FindingKind; before: P | null; after: P | null }[] = [];
  const changedAt = new Map(changed);
  for (let bi = 0; bi < before.length; bi++) {
    const ai = changedAt.get(bi);
    if (ai !== undefined) findings.push({ kind: "CHANGED", before: before[bi]!, after: after[ai]! });
    else if (free.before.has(bi)) findings.push({ kind: "REMOVED", before: before[bi]!, after: null });
  }
  for (const ai of [...free.after].sort((x, y) => x - y))
    findings.push({ kind: "ADDED", before: null, after: after[ai]! });
  return { findings, touched: changed.length + free.before.size };
}

/** The findings of a review and the counts of the coder's accuracy. */
export function diffCodes<D extends ReviewedDiagnosis, P extends ReviewedProcedure>(
  before: ReviewedCodes<D, P>,
  after: ReviewedCodes<D, P>,
): ReviewDiff<D, P> {
  const diagnoses = diffDiagnoses(before.diagnoses, after.diagnoses);
  const procedures = diffProcedures(before.procedures, after.procedures);
  const findings: Finding<D, P>[] = [
    ...diagnoses.findings.map((f) => ({ ...f, codeKind: "DIAGNOSIS" as const })),
    ...procedures.findings.map((f) => ({ ...f, codeKind: "PROCEDURE" as const })),
  ];
  const coded = before.diagnoses.length + before.procedures.length;
  const added = findings.filter((f) => f.kind === "ADDED").length;
  return {
    findings,
    codesReviewed: coded + added,
    codesUnchanged: coded - diagnoses.touched - procedures.touched,
  };
}

/** Whether two code sets are the same, entry for entry and in the same order (lines too). */
export function sameCodes(a: ReviewedCodes, b: ReviewedCodes): boolean {
  return (
    a.diagnoses.length === b.diagnoses.length &&
    a.procedures.length === b.procedures.length &&
    a.diagnoses.every(
      (d, i) =>
        d.code === b.diagnoses[i]!.code &&
        (d.presentOnAdmission ?? null) === (b.diagnoses[i]!.presentOnAdmission ?? null),
    ) &&
    a.procedures.every((p, i) => sameLine(p, b.procedures[i]!))
  );
}
