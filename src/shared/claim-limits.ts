/*
 * How many codes an encounter may hold, by what each number bounds. The claim forms set them:
 * a professional claim (CMS-1500, X12 837P) carries 12 diagnoses (HI), 4 pointers per line
 * (SV107), 4 modifiers per line and 50 lines; an institutional claim (UB-04, X12 837I) carries 25
 * diagnoses. Chartroom stores what the largest form carries, so any encounter can be saved and
 * fixed, and the coding edits say what does not fit the claim this encounter will go out on.
 */

/** Diagnoses on a professional claim (837P HI, CMS-1500 box 21 A–L); pointers run from 1 to this. */
export const PROFESSIONAL_CLAIM_DIAGNOSES_MAX = 12;
/** Diagnoses on an institutional claim (837I, UB-04). */
export const INSTITUTIONAL_CLAIM_DIAGNOSES_MAX = 25;
/** Diagnosis pointers on one professional claim line (837P SV107). */
export const CLAIM_LINE_POINTERS_MAX = 4;
/** Modifiers on one claim line. */
export const CLAIM_LINE_MODIFIERS_MAX = 4;
/** Service lines on a professional claim (837P). */
export const PROFESSIONAL_CLAIM_LINES_MAX = 50;

/** Diagnoses Chartroom stores for one encounter: what the largest claim carries. */
export const STORED_DIAGNOSES_MAX = INSTITUTIONAL_CLAIM_DIAGNOSES_MAX;
/** Procedure lines Chartroom stores for one encounter. */
export const STORED_LINES_MAX = PROFESSIONAL_CLAIM_LINES_MAX;
/** Pointers Chartroom stores on one line: one per diagnosis a professional claim can point to. */
export const STORED_LINE_POINTERS_MAX = PROFESSIONAL_CLAIM_DIAGNOSES_MAX;
