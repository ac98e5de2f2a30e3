import { buildSchema, execute, type GraphQLResolveInfo, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { selectsField } from "../../src/graphql/selection.js";

const schema = buildSchema(`
  type Code { code: String description: String }
  type Diagnosis { sequence: Int code: Code }
  type Query { diagnoses: [Diagnosis] }
`);

/** Whether `diagnoses` selects `code` in the document, as its resolver sees it. */
function selectsCode(document: string): boolean {
  let seen: boolean | undefined;
  execute({
    schema,
    document: parse(document),
    rootValue: {
      diagnoses: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
        seen = selectsField(info, "code");
        return [];
      },
    },
  });
  return seen!;
}

/* A list of diagnoses reads their codes up front only when the client asked for them. */
describe("a field asked for under a list", () => {
  it("is seen directly, under an alias, and through inline and named fragments", () => {
    expect(selectsCode("{ diagnoses { sequence code { code } } }")).toBe(true);
    expect(selectsCode("{ diagnoses { sequence icd: code { code } } }")).toBe(true);
    expect(selectsCode("{ diagnoses { ... on Diagnosis { code { code } } } }")).toBe(true);
    expect(selectsCode("{ diagnoses { ...D } } fragment D on Diagnosis { code { description } }")).toBe(true);
  });

  it("is not seen when only other fields are asked, whatever their aliases", () => {
    expect(selectsCode("{ diagnoses { sequence } }")).toBe(false);
    expect(selectsCode("{ diagnoses { code: sequence } }")).toBe(false);
  });
});
