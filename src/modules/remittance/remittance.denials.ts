import { REDUCTIONS } from "./remittance.adjudication.js";

/*
 * Why a payer denied, in the categories a denial worklist and the denial reports use, read from the CARC of the
 * adjustment (X12 list 139). Codes not listed here are OTHER.
 */

export const DENIAL_CATEGORIES = [
  "ELIGIBILITY",
  "AUTHORIZATION",
  "CODING",
  "MEDICAL_NECESSITY",
  "TIMELY_FILING",
  "DUPLICATE",
  "COORDINATION_OF_BENEFITS",
  "OTHER",
] as const;
export type DenialCategory = (typeof DENIAL_CATEGORIES)[number];

/** The category of each CARC that has one: `denialCategoryOf` reads it, and the denial reports build SQL from it. */
export const CATEGORY_OF_REASON: Readonly<Record<string, DenialCategory>> = Object.fromEntries(
  (
    [
      ["ELIGIBILITY", ["26", "27", "31", "32", "33", "34", "35", "140", "177", "200", "204"]],
      ["AUTHORIZATION", ["15", "38", "39", "62", "197", "198", "243", "288"]],
      [
        "CODING",
        ["4", "5", "6", "7", "8", "9", "10", "11", "16", "97", "125", "146", "181", "182", "189", "231", "234", "236"],
      ],
      ["MEDICAL_NECESSITY", ["50", "55", "56", "58", "150", "151", "152", "167"]],
      ["TIMELY_FILING", ["29"]],
      ["DUPLICATE", ["18", "B13"]],
      ["COORDINATION_OF_BENEFITS", ["19", "20", "21", "22", "24", "109"]],
    ] as const
  ).flatMap(([category, reasons]) => reasons.map((reason) => [reason, category])),
);

/** What a biller does next about a denial of each category. */
export const NEXT_STEP: Readonly<Record<DenialCategory, string>> = {
  ELIGIBILITY:
    "Verify the patient's coverage on the date of service (the payer's portal or a 270/271); fix the coverage and " +
    "bill the payer that covered the patient, or bill the patient.",
  AUTHORIZATION:
    "Find the authorization or referral: if one was obtained, send a corrected claim carrying it; if not, ask " +
    "the payer for a retro-authorization or appeal with the records.",
  CODING:
    "Review the codes and modifiers against the documentation and send a corrected claim (frequency 7) with the fix.",
  MEDICAL_NECESSITY:
    "Appeal with the clinical documentation showing why the service was needed (and the ABN, if the patient " +
    "signed one); check that the diagnosis supports the service under the payer's policy.",
  TIMELY_FILING:
    "Appeal with proof the claim was sent in time (the 999 and 277CA of its first submission); without one, " +
    "write the balance off.",
  DUPLICATE:
    "Check whether the original claim was paid: if this is a separate service, send a corrected claim with the " +
    "modifier that says so (59, 76, 77); if it is the same, nothing is owed.",
  COORDINATION_OF_BENEFITS:
    "Confirm the order of benefits with the patient; bill the primary payer first, then this payer with the " +
    "primary's payment.",
  OTHER: "Read the remark codes and the payer's policy, then correct and resubmit, appeal, or write off.",
};

/** The category of one adjustment's reason; null for a reduction (fee schedule, deductible…), which denies nothing. */
export function denialCategoryOf(reasonCode: string): DenialCategory | null {
  if (REDUCTIONS.has(reasonCode)) return null;
  return CATEGORY_OF_REASON[reasonCode] ?? "OTHER";
}

/**
 * A denial's category: that of the adjustment that refused the most money (patient responsibility aside), the
 * first such in file order on a tie; null when nothing was refused.
 */
export function denialCategory(
  adjustments: readonly { groupCode: string; reasonCode: string; amount: string }[],
): DenialCategory | null {
  let largest: { category: DenialCategory; amount: number } | null = null;
  for (const adjustment of adjustments) {
    const category = adjustment.groupCode === "PR" ? null : denialCategoryOf(adjustment.reasonCode);
    const amount = Number(adjustment.amount);
    if (category && amount > 0 && (!largest || amount > largest.amount)) largest = { category, amount };
  }
  return largest?.category ?? null;
}
