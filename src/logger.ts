import { DrizzleQueryError } from "drizzle-orm/errors";
import { GraphQLError } from "graphql";
import { type DestinationStream, type Logger, pino } from "pino";

/**
 * JSON logs on stdout (or `destination`). Authorization headers and tokens are redacted, errors
 * go through `serializeError`, and code never logs variables or results: they may hold PHI.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "chartroom" },
      redact: ["headers.authorization", "token", "password"],
      serializers: { err: serializeError },
    },
    destination,
  );
}

/** PostgreSQL's five-character error code, which both drivers put on their errors. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * An error as a log line may show it. A database error keeps only its SQL text (with $n
 * placeholders) and its SQLSTATE: its message, parameters and detail carry the statement's values
 * ("params: …", "Failing row contains (…)"), and those are PHI. Other errors are our own and keep
 * their message and stack.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  if (error instanceof GraphQLError && error.originalError) {
    return { ...serializeError(error.originalError), path: error.path };
  }
  if (error instanceof DrizzleQueryError) {
    return {
      type: "DrizzleQueryError",
      sql: error.query,
      stack: stackFrames(error),
      cause: serializeError(error.cause),
    };
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && SQLSTATE.test(code) && "severity" in error) {
    return { type: error.name, code, stack: stackFrames(error) };
  }
  return {
    type: error.name,
    message: error.message,
    stack: error.stack,
    ...(typeof code === "string" ? { code } : {}),
    ...(error.cause !== undefined ? { cause: serializeError(error.cause) } : {}),
  };
}

/** The "at …" lines of a stack, without the first line (which repeats the message). */
function stackFrames(error: Error): string | undefined {
  return error.stack
    ?.split("\n")
    .filter((line) => /^\s+at /.test(line))
    .join("\n");
}
