import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/shared/errors.js";

describe("error codes", () => {
  it("are the ones the README lists, no more and no fewer", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const bullet = /^- \*\*Errors\*\*[\s\S]*?(?=^- \*\*)/m.exec(readme)?.[0] ?? "";
    const listed = new Set(bullet.match(/`[A-Z][A-Z_]+`/g)?.map((code) => code.slice(1, -1)));
    expect([...listed].sort()).toEqual([...ERROR_CODES].sort());
  });
});
