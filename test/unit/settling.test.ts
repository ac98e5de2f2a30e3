import { describe, expect, it } from "vitest";
import { Settling } from "../../src/shared/settling.js";

/* A cached sign-in read by a thousand subscribers per event: a promise until it is known, then the value itself. */
describe("an answer read without a promise once it has come", () => {
  it("is the promise while the answer is on its way, and the answer once it has come", async () => {
    let answer!: (value: string) => void;
    const settling = new Settling(new Promise<string>((resolve) => (answer = resolve)));
    expect(settling.now()).toBe(settling.promise);
    answer("coder3");
    await settling.promise;
    expect(settling.now()).toBe("coder3");
  });

  it("stays the rejected promise for its callers to handle when the answer fails", async () => {
    const settling = new Settling(Promise.reject(new Error("the user row could not be read")));
    await expect(settling.now()).rejects.toThrow("could not be read");
    expect(settling.now()).toBe(settling.promise);
  });
});
