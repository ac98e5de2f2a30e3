import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createLoaders } from "../../src/loaders.js";

/*
 * The rules of src/modules, read from the import statements:
 * - a module uses another only through its front door (`index.ts`); type-only imports count too,
 *   since a type reached through a store is the store's shape leaking out;
 * - modules import one way: no cycle among them;
 * - nothing in src imports itself back at run time. Type-only imports are left out of that one:
 *   they vanish when compiled, and the request context's type rightly names every module's loaders.
 * src/db, src/shared and src/graphql are shared infrastructure, not modules.
 */

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));
const MODULES = join(SRC, "modules");

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The relative imports and re-exports of a file, resolved to .ts paths. */
function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const found: Import[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    let typeOnly = false;
    if (ts.isImportDeclaration(statement)) {
      specifier = statement.moduleSpecifier;
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      typeOnly =
        clause?.isTypeOnly === true ||
        (clause?.name === undefined &&
          named !== undefined &&
          ts.isNamedImports(named) &&
          named.elements.length > 0 &&
          named.elements.every((element) => element.isTypeOnly));
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      specifier = statement.moduleSpecifier;
      const named = statement.exportClause;
      typeOnly =
        statement.isTypeOnly ||
        (named !== undefined &&
          ts.isNamedExports(named) &&
          named.elements.length > 0 &&
          named.elements.every((element) => element.isTypeOnly));
    }
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith(".")) continue;
    found.push({ from: file, to: resolve(dirname(file), specifier.text).replace(/\.js$/, ".ts"), typeOnly });
  }
  return found;
}

/** The module a file belongs to (its folder under src/modules), or null for code outside them. */
function moduleOf(file: string): string | null {
  const path = relative(MODULES, file);
  return path.startsWith("..") ? null : (path.split(sep)[0] ?? null);
}

/** A cycle of the graph as the path that closes it, or null: a depth-first search. */
function cycleIn(graph: Map<string, Set<string>>): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return null;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

const show = (file: string) => relative(SRC, file);
const imports = sourceFiles(SRC).flatMap(importsOf);

describe("modules", () => {
  it("use each other only through their front door, index.ts", () => {
    const throughSideDoor = imports
      .filter(({ from, to }) => {
        const [own, other] = [moduleOf(from), moduleOf(to)];
        return own !== null && other !== null && own !== other && to !== join(MODULES, other, "index.ts");
      })
      .map(({ from, to }) => `${show(from)} imports ${show(to)}`);
    expect(throughSideDoor).toEqual([]);
  });

  it("import one way: no module depends on itself through others", () => {
    const graph = new Map<string, Set<string>>();
    for (const { from, to } of imports) {
      const [own, other] = [moduleOf(from), moduleOf(to)];
      if (own === null || other === null || own === other) continue;
      graph.set(own, (graph.get(own) ?? new Set()).add(other));
    }
    expect(cycleIn(graph)?.join(" → ") ?? null).toBeNull();
  });

  it("and the rest of src never import themselves back at run time", () => {
    const graph = new Map<string, Set<string>>();
    for (const { from, to, typeOnly } of imports) {
      if (!typeOnly) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
    expect(cycleIn(graph)?.map(show).join(" → ") ?? null).toBeNull();
  });

  it("give their loaders names of their own, all of which ctx.loaders offers", async () => {
    const scope = { orgId: "00000000-0000-4000-8000-000000000001", facilityIds: [] };
    const db = {} as Database; // loaders query only when they load
    const names: string[] = [];
    for (const door of sourceFiles(MODULES).filter((file) => file.endsWith(`${sep}index.ts`))) {
      const module = await import(door);
      if (typeof module.loaders === "function") names.push(...Object.keys(module.loaders(db, scope)));
    }
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    // A request's loaders are built lazily: the names are getters it inherits, which for…in lists.
    const offered: string[] = [];
    for (const name in createLoaders(db, scope)) offered.push(name);
    expect(offered.sort()).toEqual(names.sort());
  });
});
