import { readFileSync } from "node:fs";
import {
  buildSchema,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_ROOT_FIELDS } from "../../src/graphql/auth.js";
import { chartroomSchema } from "../../src/schema.js";

/**
 * Contract items that later issues build. Each issue that lands one removes it here, so
 * the list can only shrink, and a contract item that disappears from the schema fails.
 */
const NOT_YET_BUILT = new Set<string>();

const contract = buildSchema(readFileSync(new URL("../../schema/contract.graphql", import.meta.url), "utf8"));

/** "Type.field(arg: Type)" signatures of a named type, for comparison. */
function members(type: GraphQLNamedType): Map<string, string> {
  if (isObjectType(type) || isInterfaceType(type)) {
    return new Map(
      Object.values(type.getFields()).map((f) => [
        f.name,
        `${f.type}(${f.args.map((a) => `${a.name}: ${a.type}`).join(", ")})`,
      ]),
    );
  }
  if (isInputObjectType(type)) return new Map(Object.values(type.getFields()).map((f) => [f.name, String(f.type)]));
  if (isEnumType(type)) return new Map(type.getValues().map((v) => [v.name, v.name]));
  if (isUnionType(type)) return new Map(type.getTypes().map((t) => [t.name, t.name]));
  return new Map();
}

describe("the emitted schema", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await chartroomSchema();
  });

  it("contains every contract type and field it has built, with the contract's types and arguments", () => {
    const missing: string[] = [];
    const different: string[] = [];
    for (const type of Object.values(contract.getTypeMap())) {
      if (type.name.startsWith("__")) continue;
      const ours = schema.getType(type.name);
      if (!ours) {
        missing.push(type.name);
        continue;
      }
      expect(ours.constructor.name, type.name).toBe(type.constructor.name);
      const ourMembers = members(ours);
      for (const [name, signature] of members(type)) {
        const mine = ourMembers.get(name);
        if (mine === undefined) missing.push(`${type.name}.${name}`);
        else if (!signatureExtends(mine, signature))
          different.push(`${type.name}.${name}: contract ${signature}, ours ${mine}`);
      }
    }
    expect(different).toEqual([]);
    expect(missing.filter((name) => !NOT_YET_BUILT.has(name))).toEqual([]);
    expect([...NOT_YET_BUILT].filter((name) => !missing.includes(name))).toEqual([]);
  });

  it("describes every type, field, argument and enum value for front-end developers", () => {
    const undescribed: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__") || ["String", "Int", "Float", "Boolean", "ID"].includes(type.name)) continue;
      if (!type.description) undescribed.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) undescribed.push(`${type.name}.${field.name}`);
          for (const arg of "args" in field ? field.args : []) {
            if (!arg.description) undescribed.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) undescribed.push(`${type.name}.${value.name}`);
      }
    }
    expect(undescribed).toEqual([]);
  });

  it("gives each kind a client switches on as an enum, beside the string the contract fixes", () => {
    const kinds = [
      ["WorkItemEvent", "kind", "WorkItemEventKind"],
      ["ClaimEvent", "kind", "ClaimEventKind"],
      ["Acknowledgement", "transactionSet", "AcknowledgementTransactionSet"],
      ["AcknowledgementClaimOutcome", "outcome", "AcknowledgementOutcome"],
      ["CodeSetRelease", "dataset", "CodeSetDataset"],
    ];
    const typeOf = (type: string, field: string) => {
      const found = schema.getType(type);
      return isObjectType(found) ? getNamedType(found.getFields()[field]?.type) : undefined;
    };
    expect(kinds.map(([type, field]) => String(typeOf(type!, field!)))).toEqual(kinds.map(([, , kind]) => kind));
    expect(kinds.every(([type, field]) => isEnumType(typeOf(type!, field!)))).toBe(true);
  });

  it("guards every root field but login with declared roles, so nothing answers without sign-in", () => {
    const unguarded = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
      .flatMap((root) => (root ? Object.values(root.getFields()) : []))
      .filter((field) => !field.extensions["roles"] && !PUBLIC_ROOT_FIELDS.has(field.name))
      .map((field) => field.name);
    expect(unguarded).toEqual([]);
  });

  it("shows which roles may call each root field", () => {
    const createPatient = schema.getMutationType()!.getFields()["createPatient"]!;
    expect(createPatient.description).toMatch(/Allowed: ADMIN, SUPERVISOR, BILLER\.$/);
    expect(schema.getQueryType()!.getFields()["encounters"]!.description).toMatch(/Allowed: any signed-in user\.$/);
    expect(schema.getMutationType()!.getFields()["login"]!.description).not.toMatch(/Allowed/);
  });
});

/** Ours may add optional arguments; everything the contract names must be identical. */
function signatureExtends(ours: string, contractSignature: string): boolean {
  if (ours === contractSignature) return true;
  const split = (s: string) => {
    const open = s.indexOf("(");
    return open < 0
      ? { type: s, args: [] }
      : {
          type: s.slice(0, open),
          args: s
            .slice(open + 1, -1)
            .split(", ")
            .filter(Boolean),
        };
  };
  const a = split(ours);
  const c = split(contractSignature);
  return a.type === c.type && c.args.every((arg) => a.args.includes(arg));
}
