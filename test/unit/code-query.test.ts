import { describe, expect, it } from "vitest";
import { parseQuery, singleWord, toTsquery } from "../../src/modules/codesets/codeset.query.js";
import { keystrokes } from "../../src/modules/codesets/codeset.service.js";
import { startsSomeWord } from "../../src/modules/codesets/codeset.vocabulary.js";

describe("reading a code search query", () => {
  it("takes a code-shaped query as a code, with or without its dot", () => {
    expect(parseQuery("ICD10CM", "e11.9")).toEqual({ code: "E119", terms: [] });
    expect(parseQuery("HCPCS", "a0428")).toEqual({ code: "A0428", terms: [] });
    expect(parseQuery("ICD10CM", "S72.0").code).toBe("S720");
  });

  it("reads words as prefixes, drops filler words and expands shorthand from the data file", () => {
    const { code, terms } = parseQuery("ICD10CM", "Fracture of the femur w/o HTN");
    expect(code).toBeNull();
    expect(toTsquery(terms)).toBe("fracture:* & femur:* & ((without)) & (htn | (hypertension))");
    expect(toTsquery(parseQuery("ICD10CM", "DM2").terms)).toBe("(dm2 | (type & 2 & diabetes & mellitus))");
  });

  it("reads a lay term as its typed words or its ICD wordings from the data file, the longest phrase first", () => {
    expect(toTsquery(parseQuery("ICD10CM", "Heart attack").terms)).toBe(
      "((heart:* & attack:*) | (myocardial & infarction))",
    );
    expect(toTsquery(parseQuery("ICD10CM", "cellulitis of the arm").terms)).toBe(
      "cellulitis:* & ((arm:*) | (upper & limb) | (upper & extremity))",
    );
    expect(toTsquery(parseQuery("ICD10CM", "ringing in the ears").terms)).toBe("((ringing:* & ears:*) | (tinnitus))");
    // A lay word is no single ordinary word: its wordings make it a narrow query, sorted in full.
    expect(singleWord(parseQuery("ICD10CM", "arm").terms)).toBeNull();
    expect(singleWord(parseQuery("ICD10CM", "asthma").terms)).toBe("asthma");
  });

  it("lets no tsquery operator or quote through", () => {
    const tsquery = toTsquery(parseQuery("ICD10CM", "a' & !b | (c:*) <-> d\\ 'e").terms)!;
    expect(tsquery).toMatch(/^[a-z0-9:*&| ()]+$/);
    expect(tsquery).toBe("b:* & c:* & d:* & e:*");
  });

  it("keeps a letters-only query that could be a PCS code as words too", () => {
    const parsed = parseQuery("ICD10PCS", "bypass");
    expect(parsed.code).toBe("BYPASS");
    expect(toTsquery(parsed.terms)).toBe("bypass:*");
  });
});

describe("counting keystrokes between a typo and a word", () => {
  it("counts a swap of neighbours as one", () => {
    expect(keystrokes("hypertensoin", "hypertension")).toBe(1);
    expect(keystrokes("hypertensoin", "hypertensive")).toBe(3);
    expect(keystrokes("diabtes", "diabetes")).toBe(1);
    expect(keystrokes("knee", "knee")).toBe(0);
  });
});

describe("telling a known word from a misspelling", () => {
  it("finds whether some word of the sorted vocabulary starts with a prefix", () => {
    const words = ["diabetes", "diabetic", "hypertension", "knee"];
    expect(startsSomeWord(words, "diab")).toBe(true);
    expect(startsSomeWord(words, "diabtes")).toBe(false);
    expect(startsSomeWord(words, "knee")).toBe(true);
    expect(startsSomeWord(words, "kneee")).toBe(false);
    expect(startsSomeWord(words, "zzz")).toBe(false);
    expect(startsSomeWord([], "a")).toBe(false);
  });
});
