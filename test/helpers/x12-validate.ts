import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/*
 * The shared X12 validator (pyx12 against the 5010 guides) lives beside the checkout at `../shared`, outside the
 * product. X12_VALIDATE names it elsewhere; from a git worktree it is found beside the main checkout.
 */
const WRAPPER = "shared/tools/x12-validate/x12-validate";
const repo = resolve(import.meta.dirname, "../..");
const commonDir = spawnSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], {
  cwd: repo,
  encoding: "utf8",
});
const candidates = [
  process.env["X12_VALIDATE"],
  ...[repo, resolve(commonDir.stdout.trim(), "..")].map((checkout) => resolve(checkout, "..", WRAPPER)),
];

/** The validator's wrapper script, when it is there. */
export const x12Validator = candidates.find((path): path is string => !!path && existsSync(path)) ?? null;

/** Why the validator cannot run here, for a skipped test's title; null when it can. */
export const x12ValidatorMissing = !x12Validator
  ? `no ${WRAPPER} beside the repository (set X12_VALIDATE)`
  : spawnSync("python3", ["--version"]).status !== 0
    ? "python3 is missing"
    : null;

/**
 * Runs the validator on files; it prints `<file>: PASS …` or `FAIL …` per file and exits 1 when any fails. It runs
 * beside the event loop, so a test server in this process keeps answering (and its idle sockets stay sound).
 */
export function validateX12(
  files: readonly string[],
  cwd?: string,
): Promise<{ status: number | null; output: string }> {
  if (!x12Validator) throw new Error(x12ValidatorMissing ?? "no validator");
  return new Promise((resolve) => {
    execFile(
      x12Validator!,
      [...files],
      { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ status, output: stdout + stderr });
      },
    );
  });
}
