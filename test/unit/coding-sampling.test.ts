import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { NEW_CODER_REVIEWS, samplingDecision } from "../../src/modules/coding/coding.service.js";

describe("sampling coded encounters for review", () => {
  it("reviews every one of a new coder's first 20 encounters, whatever the QA rate", () => {
    for (let prior = 0; prior < NEW_CODER_REVIEWS; prior++) {
      const decision = samplingDecision(prior, 0, randomUUID());
      expect(decision.sampled).toBe(true);
      expect(decision.reason).toContain(`number ${prior + 1}`);
    }
    expect(samplingDecision(NEW_CODER_REVIEWS, 0, randomUUID()).sampled).toBe(false);
  });

  it("after that, draws from the encounter id: the same answer every time, at about the organization's rate", () => {
    const ids = Array.from({ length: 4_000 }, () => randomUUID());
    const sampled = ids.filter((id) => samplingDecision(50, 10, id).sampled).length;
    expect(sampled / ids.length).toBeGreaterThan(0.08);
    expect(sampled / ids.length).toBeLessThan(0.12);
    for (const id of ids.slice(0, 50)) expect(samplingDecision(50, 10, id)).toEqual(samplingDecision(50, 10, id));
    expect(ids.every((id) => samplingDecision(50, 100, id).sampled)).toBe(true);
    expect(ids.some((id) => samplingDecision(50, 0, id).sampled)).toBe(false);
  });

  it("explains the draw so a coder or auditor can check it", () => {
    const decision = samplingDecision(25, 10, "0b1c4c5e-8d0f-4a57-9a3e-3f1f0b6f6a10");
    expect(decision.reason).toMatch(/^The organization reviews 10% of coded encounters: /);
    expect(decision.reason).toMatch(
      /: this encounter's draw \(0–99, from a hash of its id\) is \d+, (below|not below) 10\.$/,
    );
  });
});
