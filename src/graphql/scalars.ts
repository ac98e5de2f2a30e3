import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { GraphQLDateTime, GraphQLLocalDate } from "graphql-scalars";

const localDate = GraphQLLocalDate.toConfig();

/**
 * graphql-scalars' LocalDate checks the calendar; its errors name its own type ("not a valid
 * LocalDate"), which a client of this schema has never heard of: they are told what Date takes.
 */
function asDate<T>(parse: () => T, value: unknown): T {
  try {
    return parse();
  } catch {
    throw new GraphQLError(
      `Date must be a calendar date written YYYY-MM-DD (e.g. "2024-03-15"), got ${JSON.stringify(value)}`,
    );
  }
}

/** Calendar date without time zone, YYYY-MM-DD; impossible dates such as 2023-02-30 are refused. */
export const DateScalar = new GraphQLScalarType({
  ...localDate,
  name: "Date",
  description: 'A calendar date without time zone in ISO 8601 form, YYYY-MM-DD (e.g. "2024-03-15").',
  parseValue: (value) => asDate(() => localDate.parseValue!(value), value),
  parseLiteral: (ast, variables) =>
    asDate(() => localDate.parseLiteral!(ast, variables), ast.kind === Kind.STRING ? ast.value : ast.kind),
});

/** An instant, serialized as ISO 8601 in UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  ...GraphQLDateTime.toConfig(),
  name: "DateTime",
  description: 'An instant in ISO 8601 form, in UTC (e.g. "2024-03-15T14:30:00.000Z").',
});

const MONEY_INPUT = /^(\d{1,10})(?:\.(\d{1,2}))?$/;
const MONEY_OUTPUT = /^-?\d{1,10}\.\d{2}$/;

/** Parses a client's amount: a non-negative decimal string with at most two places, up to numeric(12,2). */
export function parseMoney(value: unknown): string {
  if (typeof value !== "string") {
    throw new GraphQLError(`Money must be a decimal string such as "125.00", got ${JSON.stringify(value)}`);
  }
  const match = MONEY_INPUT.exec(value.trim());
  if (!match) {
    throw new GraphQLError(
      value.trim().startsWith("-")
        ? `Money may not be negative, got "${value}"`
        : `Money must be a decimal string with at most two places (e.g. "125.00"), got "${value}"`,
    );
  }
  return `${BigInt(match[1]!)}.${(match[2] ?? "").padEnd(2, "0")}`;
}

export const MoneyScalar = new GraphQLScalarType({
  name: "Money",
  description:
    'An amount in US dollars as a decimal string with two places (e.g. "125.00"). ' +
    "Inputs must be non-negative; outputs may be negative (a credit balance).",
  serialize(value) {
    const text = typeof value === "string" ? value : String(value);
    if (!MONEY_OUTPUT.test(text)) throw new GraphQLError(`Money cannot represent ${JSON.stringify(value)}`);
    return text;
  },
  parseValue: parseMoney,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError(`Money must be a string literal such as "125.00"`, { nodes: ast });
    return parseMoney(ast.value);
  },
});
