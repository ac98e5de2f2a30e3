import { describe, expect, it } from "vitest";
import { indexTerms, parseQuery, singleWord, toTsquery } from "../../src/modules/codesets/codeset.query.js";
import { keystrokes } from "../../src/modules/codesets/codeset.service.js";
import { codesStartingWith, startsSomeWord } from "../../src/modules/codesets/codeset.vocabulary.js";

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

describe("choosing the terms the full-text index looks up", () => {
  // ICD-10-CM's counts of codes using each word, as code_search_terms holds them.
  const known = {
    words: ["exacerbation", "femur", "fracture", "fractures", "left", "neck", "radius", "right"],
    codes: [10, 5871, 38191, 194, 26403, 2133, 3564, 26159],
  };
  const lookedUp = (query: string) => toTsquery(indexTerms(parseQuery("ICD10CM", query).terms, known));

  it("counts the codes of every word a prefix starts, and cannot tell an unlisted one", () => {
    expect(codesStartingWith(known, "fractur")).toBe(38191 + 194);
    expect(codesStartingWith(known, "w")).toBe(Infinity);
  });

  it("looks up the rarest terms and leaves common ones to be checked on the rows found", () => {
    expect(lookedUp("fracture neck femur right")).toBe("neck:* & femur:*");
    expect(lookedUp("fracture radius left")).toBe("radius:*");
    // "w:*" and the shorthand's unlisted words may match any number of codes: checked on exacerbation's few.
    expect(lookedUp("COPD w exacerbation")).toBe("exacerbation:*");
  });

  it("looks up every term when the vocabulary cannot tell the rarest", () => {
    expect(lookedUp("stage 3 zz")).toBe("stage:* & 3:* & zz:*");
  });
});
