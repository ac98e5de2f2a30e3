import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/*
 * src/db/scope.ts is the one place that compares an organization: stores scope every read and
 * write with its helpers. A filter written by hand elsewhere is how one path comes to show another
 * tenant's rows, so any such filter fails here.
 */

const SRC = join(import.meta.dirname, "../../src");
const CHOKE_POINT = "db/scope.ts";

/** An organization compared by hand: with Drizzle's eq/ne, in an `sql` template, or by column name. */
const HAND_BUILT_FILTERS: RegExp[] = [
  /\b(?:eq|ne)\(\s*[\w.$]+\.orgId\b/,
  /\b(?:eq|ne)\([^()]*,\s*[\w.$]+\.orgId\s*\)/,
  /\.orgId\}\s*(?:=|<>|!=|in\b)/,
  /(?:=|<>|!=)\s*\$\{[\w.]+\.orgId\}/,
  /\borg_id\s*(?:=|<>|!=|in\b)/,
  /(?:=|<>|!=)\s*[\w."${}]*\borg_id\b/,
  /\b(?:eq|ne)\(\s*organizations\.id\b/,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const handBuilt = (code: string) => HAND_BUILT_FILTERS.some((pattern) => pattern.test(code));

describe("tenant scoping", () => {
  it("recognises the organization filters stores used to write by hand", () => {
    for (const filter of [
      "and(eq(encounters.orgId, orgId), eq(encounters.id, id))",
      "and(eq(workItems.orgId, old.orgId), eq(workItems.id, old.id))",
      "and(eq(workItems.id, id), eq(workItems.orgId, request.scope.orgId))",
      `where \${workItemTransitions.orgId} = \${orgId} and \${workItemTransitions.workItemId} = \${itemId}`,
      `join \${encounters} on \${encounters.orgId} = \${codingCompletions.orgId}`,
      `from \${facilities} f where f.org_id = \${users}.org_id`,
      "where org_id = $1",
      ".where(eq(organizations.id, orgId))",
    ])
      expect(handBuilt(filter), filter).toBe(true);
    for (const use of [
      "orgId: orgId().references(() => organizations.id),",
      'index("events_org_topic_id_idx").on(t.orgId, t.topic, t.id)',
      "foreignKey({ columns: [t.orgId, t.encounterId], foreignColumns: [encounters.orgId, encounters.id] })",
      "ownedBy(organizationOnly(c.item.orgId), { topic: WORK_ITEM_TOPIC, payload })",
      "select e.org_id, e.topic, e.payload",
      "and(inFacilities(encounters, scope), eq(encounters.id, id))",
    ])
      expect(handBuilt(use), use).toBe(false);
  });

  it("compares organizations nowhere but in src/db/scope.ts", () => {
    const offending = sourceFiles(SRC)
      .filter((path) => relative(SRC, path) !== CHOKE_POINT)
      .flatMap((path) =>
        readFileSync(path, "utf8")
          .split("\n")
          .flatMap((line, i) => (handBuilt(line) ? [`${relative(SRC, path)}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offending).toEqual([]);
  });
});
