import { type CodeNoteRow, covers, displayCode } from "../codesets/index.js";
import type { CodeEdit, DiagnosisEntry } from "./edits.codes.js";

/*
 * The ICD-10-CM tabular list's instructional notes, applied to an encounter's diagnoses:
 *   Excludes1            the two conditions are not coded together (ERROR), unless the coder states
 *                        they are unrelated, which the guidelines allow (I.A.12.a): then a WARNING
 *   Code first           a manifestation follows its underlying condition (WARNING: "such as" lists examples)
 *   Use additional code  an etiology asks for a code that says more (WARNING: "if applicable")
 * A note at a code applies to the codes beneath it; one at a section or chapter, to its categories.
 */

/** The tabular note kinds these edits read. */
export const NOTE_KINDS = ["EXCLUDES1", "CODE_FIRST", "USE_ADDITIONAL_CODE"] as const;

const shown = (code: string) => displayCode("ICD10CM", code);
/** A note's scope as the tabular shows it: E11, E11.9, or a section's range G60-G65. */
const scopeShown = (scope: string) => (scope.includes("-") ? scope : shown(scope));
const field = (i: number) => ["diagnoses", `${i}`, "code"];

/** The notes of one kind at one scope: a "code first" or "use additional code" list, read whole. */
interface NoteList {
  scope: string;
  notes: CodeNoteRow[];
  refs: string[];
}

function listsOf(notes: readonly CodeNoteRow[], kind: CodeNoteRow["kind"]): NoteList[] {
  const byScope = new Map<string, CodeNoteRow[]>();
  for (const note of notes.filter((n) => n.kind === kind))
    byScope.set(note.scope, [...(byScope.get(note.scope) ?? []), note]);
  return [...byScope].map(([scope, list]) => ({ scope, notes: list, refs: list.flatMap((note) => note.refs) }));
}

/** A list as one sentence: "code to identify control using: insulin (Z79.4); oral antidiabetic drugs (Z79.84)". */
const listText = (list: NoteList) =>
  list.notes
    .map((note) => note.text)
    .join("; ")
    .replace(/:; /g, ": ");

/** Every edit the tabular notes make on these diagnoses (in stored form), given the notes that may apply to them. */
export function tabularNoteEdits(diagnoses: readonly DiagnosisEntry[], notes: readonly CodeNoteRow[]): CodeEdit[] {
  const notesOf = diagnoses.map(({ code }) => notes.filter((note) => covers(note.scope, code)));
  const named = (refs: readonly string[], except: number) =>
    diagnoses.flatMap(({ code }, j) => (j !== except && refs.some((ref) => covers(ref, code)) ? [j] : []));
  return [
    ...excludes1Edits(diagnoses, notesOf, named),
    ...codeFirstEdits(diagnoses, notesOf, named),
    ...additionalCodeEdits(diagnoses, notesOf, named),
  ];
}

type Named = (refs: readonly string[], except: number) => number[];

/**
 * Each pair of diagnoses an Excludes1 note at either bars, once, on the later of the two: ERROR,
 * or WARNING when either names the other in `unrelatedTo`.
 */
function excludes1Edits(diagnoses: readonly DiagnosisEntry[], notesOf: CodeNoteRow[][], named: Named): CodeEdit[] {
  const reported = new Set<string>();
  const edits: CodeEdit[] = [];
  diagnoses.forEach(({ code }, i) => {
    for (const note of notesOf[i]!.filter((n) => n.kind === "EXCLUDES1")) {
      for (const j of named(note.refs, i)) {
        const [first, later] = i < j ? [i, j] : [j, i];
        const pair = `${first} ${later}`;
        if (reported.has(pair) || diagnoses[j]!.code === code) continue;
        reported.add(pair);
        const [earlier, flagged] = [shown(diagnoses[first]!.code), shown(diagnoses[later]!.code)];
        const rule = `${scopeShown(note.scope)} excludes "${note.text}" (Excludes1)`;
        const unrelated =
          (diagnoses[later]!.unrelatedTo ?? []).includes(diagnoses[first]!.code) ||
          (diagnoses[first]!.unrelatedTo ?? []).includes(diagnoses[later]!.code);
        edits.push(
          unrelated
            ? {
                code: "EXCLUDES1_UNRELATED",
                severity: "WARNING",
                field: field(later),
                message:
                  `${flagged} is reported with ${earlier} as an unrelated condition, although ${rule}: ` +
                  "the guidelines allow it only when the documentation shows the two are unrelated.",
              }
            : {
                code: "EXCLUDES1_CONFLICT",
                severity: "ERROR",
                field: field(later),
                message:
                  `${flagged} is not coded with ${earlier}: ${rule}. Keep the one the documentation supports; ` +
                  `if the conditions are unrelated, name ${earlier} in diagnosis ${later + 1}'s unrelatedTo ` +
                  "to report both.",
              },
        );
      }
    }
  });
  return edits;
}

/**
 * A code whose "code first" note names codes: one of them should be listed before it. None listed
 * at all, or only after it: a WARNING (the note's "such as" gives examples, not every cause). A note
 * naming no code ("underlying disease") can only be checked on the first-listed diagnosis.
 */
function codeFirstEdits(diagnoses: readonly DiagnosisEntry[], notesOf: CodeNoteRow[][], named: Named): CodeEdit[] {
  return diagnoses.flatMap(({ code }, i) =>
    listsOf(notesOf[i]!, "CODE_FIRST").flatMap((list): CodeEdit[] => {
      const rule = `${scopeShown(list.scope)} says "Code first ${listText(list)}"`;
      const causes = list.refs.length > 0 ? named(list.refs, i) : [];
      if (causes.some((j) => j < i) || (list.refs.length === 0 && i > 0)) return [];
      const message =
        causes.length > 0
          ? `${rule}: list ${shown(diagnoses[causes[0]!]!.code)} before ${shown(code)}.`
          : `${rule}: add the underlying condition the documentation names, before ${shown(code)}.`;
      return [{ code: "CODE_FIRST", severity: "WARNING", field: field(i), message }];
    }),
  );
}

/**
 * A "use additional code" list naming codes, none of which is among the diagnoses: once per list
 * (E11's applies to E11.9 and E11.65 alike), on the first diagnosis it applies to. A list naming no
 * code ("code to identify complication") is left to the coder.
 */
function additionalCodeEdits(diagnoses: readonly DiagnosisEntry[], notesOf: CodeNoteRow[][], named: Named): CodeEdit[] {
  const reported = new Set<string>();
  return diagnoses.flatMap(({ code }, i) =>
    listsOf(notesOf[i]!, "USE_ADDITIONAL_CODE").flatMap((list): CodeEdit[] => {
      if (list.refs.length === 0 || reported.has(list.scope) || named(list.refs, i).length > 0) return [];
      reported.add(list.scope);
      return [
        {
          code: "USE_ADDITIONAL_CODE",
          severity: "WARNING",
          field: field(i),
          message:
            `${scopeShown(list.scope)} says "Use additional ${listText(list)}": ` +
            `add it after ${shown(code)} where the documentation supports it.`,
        },
      ];
    }),
  );
}
