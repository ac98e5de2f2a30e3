import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import {
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isListType,
  Kind,
  Lexer,
  type SelectionNode,
  Source,
  TokenKind,
  TypeInfo,
  type ValidationRule,
  visit,
  visitWithTypeInfo,
} from "graphql";
import {
  type ComplexityEstimator,
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
} from "graphql-query-complexity";
import { LRUCache } from "lru-cache";
import type { Limits } from "../config.js";
import { DEFAULT_PAGE_SIZE } from "../shared/pagination.js";
import { apiError } from "./errors.js";

export const MAX_DEPTH = 12;
export const MAX_COST = 5_000;
/**
 * Brackets ({ [ ( ) nested in a document, checked before parsing: graphql-js parses recursively and
 * runs out of stack near a thousand levels. The depth limit of fields is far below this.
 */
export const MAX_NESTING = 64;
/** What a list without `first` counts as, in items, when its field declares no estimate of its own. */
export const UNBOUNDED_LIST_SIZE = 10;

/**
 * Why a document is refused before it is parsed — more tokens than `maxTokens` or brackets nested
 * deeper than MAX_NESTING — or null. Reads the tokens one by one (graphql-js's lexer), so neither
 * costs more than the document's length, and not again for a document found within them lately
 * (withinLimits). A lexical error is left for the parser to report.
 */
export function documentTooLarge(query: string, maxTokens: number): string | null {
  if (withinLimits.get(query) === maxTokens) return null;
  const refused = countTokens(query, maxTokens);
  if (refused === null && query.length <= REMEMBERED_DOCUMENT_LENGTH) withinLimits.set(query, maxTokens);
  return refused;
}

/**
 * Documents found within the limits lately, with the token limit they were read against: a client
 * sends the same few documents again and again, and reading one's tokens costs as much as its length.
 * Short ones only, so that the cache stays small (a thousand documents of at most 8 KB).
 */
const withinLimits = new LRUCache<string, number>({ max: 1_000 });
const REMEMBERED_DOCUMENT_LENGTH = 8_192;

function countTokens(query: string, maxTokens: number): string | null {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++tokens > maxTokens) return `The document is too large: it has more than ${maxTokens} tokens.`;
      if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.BRACKET_L || token.kind === TokenKind.PAREN_L) {
        if (++nesting > MAX_NESTING)
          return `The document is nested too deeply: more than ${MAX_NESTING} levels of brackets.`;
      } else if (
        token.kind === TokenKind.BRACE_R ||
        token.kind === TokenKind.BRACKET_R ||
        token.kind === TokenKind.PAREN_R
      ) {
        nesting--;
      }
    }
  } catch {
    return null;
  }
  return null;
}

/**
 * Armor's rules throw by default (its envelop plugin catches that); a validation rule must report
 * instead. "Syntax Error: Aliases limit of 30 exceeded, found 31."
 * becomes "<prefix>: the limit of 30 exceeded, found 31."
 */
const reportAs =
  (prefix: string) =>
  (context: { reportError(error: GraphQLError): void } | null, error: GraphQLError): void =>
    context?.reportError(
      new GraphQLError(`${prefix}: ${error.message.replace(/^Syntax Error: [\w ]*?limit/, "the limit")}`),
    );

/** Documents nested deeper than MAX_DEPTH are refused before they run. */
const depthLimit = maxDepthRule({
  n: MAX_DEPTH,
  ignoreIntrospection: true,
  flattenFragments: true,
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [reportAs("Query is too deep")],
});

/** An operation with more than `max` root fields (distinct response keys, fragments included) is refused. */
function rootFieldLimit(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const keys = new Set<string>();
      const seenFragments = new Set<string>();
      const collect = (selections: readonly SelectionNode[]): void => {
        for (const selection of selections) {
          if (selection.kind === Kind.FIELD) keys.add((selection.alias ?? selection.name).value);
          else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet.selections);
          else if (!seenFragments.has(selection.name.value)) {
            seenFragments.add(selection.name.value);
            const fragment = context.getFragment(selection.name.value);
            if (fragment) collect(fragment.selectionSet.selections);
          }
        }
      };
      collect(operation.selectionSet.selections);
      if (keys.size > max) {
        context.reportError(
          new GraphQLError(`Too many root fields: the limit of ${max} per operation is exceeded, found ${keys.size}.`, {
            nodes: operation,
          }),
        );
      }
    },
  });
}

/** The validation rules beyond graphql-js's own, for HTTP and WebSocket alike. */
export function limitRules(limits: Limits): ValidationRule[] {
  const aliasLimit = maxAliasesRule({
    n: limits.maxAliases,
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [reportAs("Too many aliases")],
  });
  return [depthLimit, aliasLimit, rootFieldLimit(limits.maxRootFields)];
}

/** A list field's cost is its children's cost times the page it asks for (`first`, default 20). */
const pageSizeEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((arg) => arg.name === "first")) return undefined;
  const first = typeof args["first"] === "number" ? args["first"] : DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * Math.max(first, 1);
};

/**
 * A list without `first` costs its children UNBOUNDED_LIST_SIZE times, unless its field declares a
 * `complexity` of its own (fieldExtensionsEstimator, first). A connection's `edges` are as many as its
 * `first`, which the connection's field has counted already.
 */
const unboundedListEstimator: ComplexityEstimator = ({ type, field, childComplexity }) => {
  if (!isListType(getNullableType(field.type))) return undefined;
  if (field.name === "edges" && type.name.endsWith("Connection")) return undefined;
  return 1 + childComplexity * UNBOUNDED_LIST_SIZE;
};

const NUL = "\u0000";

/**
 * PostgreSQL stores no NUL in text (22021): a string holding one is refused before anything runs. The
 * document's strings are read once per document (`nulInDocument`), the variables each time.
 */
function assertNoNul(inDocument: string | null, variables: Record<string, unknown> | undefined): void {
  const refuse = (where: string) =>
    apiError("BAD_USER_INPUT", `Text may not contain the NUL character (\\u0000): ${where}.`, {
      http: { status: 400 },
    });
  if (inDocument) throw refuse(inDocument);
  // Iterative: a variable may nest as deep as the body allows.
  const pending: [string, unknown][] = Object.entries(variables ?? {}).map(([name, value]) => [`$${name}`, value]);
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [path, value] = next;
    if (typeof value === "string") {
      if (value.includes(NUL)) throw refuse(`variable ${path}`);
    } else if (value !== null && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (key.includes(NUL)) throw refuse(`a key of variable ${path}`);
        pending.push([Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, inner]);
      }
    }
  }
}

/** The lists of a __Type that spell the type out; a type reference (a field's `type`, `ofType`) needs none of them. */
const TYPE_EXPANSIONS = new Set(["fields", "inputFields", "interfaces", "possibleTypes", "enumValues"]);

/**
 * Whether an operation reads the schema the way introspection queries do (GraphiQL's, graphql-js's
 * getIntrospectionQuery): only `__` root fields, no aliases, and type references read for their kind,
 * name and ofType, never spelled out again. Such a document answers with at most one copy of the
 * schema, from memory, whatever the cost estimate makes of its nested lists; a reference spelled out
 * (`fields { type { fields … } }`), which does multiply, is costed as usual.
 */
function isPlainIntrospection(document: DocumentNode, operationName: string | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  if (!operation) return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const entered = new Set<string>();
  const plain = (selections: readonly SelectionNode[], root: boolean, reference: boolean): boolean =>
    selections.every((selection) => {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (selection.alias || (root && !name.startsWith("__")) || (reference && TYPE_EXPANSIONS.has(name)))
          return false;
        return (
          !selection.selectionSet ||
          plain(selection.selectionSet.selections, false, name === "type" || name === "ofType")
        );
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return plain(selection.selectionSet.selections, root, reference);
      const fragment = fragments.get(selection.name.value);
      // Walked once per context: spreading it again there adds nothing, and a cycle cannot loop.
      const key = `${selection.name.value}:${root}:${reference}`;
      if (!fragment || entered.has(key)) return Boolean(fragment);
      entered.add(key);
      return plain(fragment.selectionSet.selections, root, reference);
    });
  return plain(operation.selectionSet.selections, true, false);
}

/** Costs kept per document (one per operation and values of the variables its cost reads); more are dropped. */
const COSTS_PER_DOCUMENT = 64;

/**
 * What the limits learn of one parsed document, kept while the document is (Apollo keeps a parsed and
 * validated document per query text, so a client's repeated operation is the same object each time).
 */
interface DocumentFacts {
  /** Where the document holds a NUL character, or null. */
  nulAt: string | null;
  /** Per operation name: whether it is plain introspection, and which variables its cost reads. */
  operations: Map<string | undefined, { plainIntrospection: boolean; costVariables: readonly string[] }>;
  /** Cost by operation name and the values of its cost variables. */
  costs: Map<string, number>;
}

const documentFacts = new WeakMap<DocumentNode, DocumentFacts>();

function factsOf(document: DocumentNode): DocumentFacts {
  let facts = documentFacts.get(document);
  if (!facts) {
    facts = { nulAt: nulInDocument(document), operations: new Map(), costs: new Map() };
    documentFacts.set(document, facts);
  }
  return facts;
}

/**
 * The variables an operation's cost depends on: those in the arguments of fields whose estimate reads
 * arguments (a page's `first`, a field's own `complexity` function) and in directives (`@skip`,
 * `@include`). Any other variable (an id, an input) leaves the cost as it is.
 */
function costVariablesOf(schema: GraphQLSchema, document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (node: ASTNode) =>
    visit(node, {
      Variable(variable) {
        names.add(variable.name.value);
      },
    });
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(field) {
        const definition = typeInfo.getFieldDef();
        const readsArguments =
          !definition ||
          definition.args.some((arg) => arg.name === "first") ||
          typeof definition.extensions["complexity"] === "function";
        if (readsArguments) for (const argument of field.arguments ?? []) collect(argument);
      },
      Directive(directive) {
        for (const argument of directive.arguments ?? []) collect(argument);
      },
    }),
  );
  return [...names];
}

/** Where a string of the document holds a NUL character, or null. */
function nulInDocument(document: DocumentNode): string | null {
  let at: string | null = null;
  visit(document, {
    StringValue(node) {
      if (at === null && node.value.includes(NUL))
        at = `a string in the document at line ${node.loc?.startToken.line ?? "?"}`;
    },
  });
  return at;
}

/**
 * Refuses, before it runs, an operation holding a NUL character (BAD_USER_INPUT) or whose estimated
 * cost exceeds MAX_COST (QUERY_TOO_COMPLEX). Introspection as GraphiQL sends it is not costed (isPlainIntrospection).
 * What depends on the document alone is worked out once per document; its cost once per operation and
 * values of the variables the cost reads (costVariablesOf). The variables are coerced every time.
 */
export function assertAllowed(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): void {
  const facts = factsOf(document);
  assertNoNul(facts.nulAt, variables);
  let operation = facts.operations.get(operationName);
  if (!operation) {
    operation = {
      plainIntrospection: isPlainIntrospection(document, operationName),
      costVariables: costVariablesOf(schema, document),
    };
    facts.operations.set(operationName, operation);
  }
  if (operation.plainIntrospection) return;
  const definition = getOperationAST(document, operationName);
  const coerced = definition ? getVariableValues(schema, definition.variableDefinitions ?? [], variables ?? {}) : null;
  // Costing coerces the variables first; a bad variable is the client's error, said plainly.
  if (coerced?.errors) throw apiError("BAD_USER_INPUT", coerced.errors.at(-1)!.message, { http: { status: 400 } });
  const values = coerced?.coerced ?? {};
  const key = JSON.stringify([operationName ?? null, ...operation.costVariables.map((name) => values[name] ?? null)]);
  let cost = facts.costs.get(key);
  if (cost === undefined) {
    cost = costOf(schema, document, variables, operationName);
    if (facts.costs.size >= COSTS_PER_DOCUMENT) facts.costs.clear();
    facts.costs.set(key, cost);
  }
  if (cost > MAX_COST) {
    throw apiError(
      "QUERY_TOO_COMPLEX",
      `Query cost ${cost} exceeds the limit of ${MAX_COST}: ask for smaller pages (first) or fewer nested lists.`,
      { cost, maxCost: MAX_COST },
    );
  }
}

function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number {
  try {
    return getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      ...(operationName ? { operationName } : {}),
      estimators: [
        fieldExtensionsEstimator(),
        pageSizeEstimator,
        unboundedListEstimator,
        simpleEstimator({ defaultComplexity: 1 }),
      ],
    });
  } catch (error) {
    if (error instanceof GraphQLError) throw apiError("BAD_USER_INPUT", error.message, { http: { status: 400 } });
    throw error;
  }
}
