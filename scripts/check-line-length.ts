/** Fails on any tracked .ts/.tsx line over 120 characters: Biome's formatter wraps code, not strings or comments. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const MAX = 120;

const files = execFileSync("git", ["ls-files", "*.ts", "*.tsx"], { encoding: "utf8" }).split("\n").filter(Boolean);
const long: string[] = [];
for (const file of files) {
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.length > MAX) long.push(`${file}:${i + 1}: ${line.length} characters`);
    });
}
if (long.length > 0) {
  console.error(`Lines over ${MAX} characters:\n${long.join("\n")}`);
  process.exit(1);
}
