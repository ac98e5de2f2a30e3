import { pino, type Logger } from "pino";

/** JSON logs on stdout. Authorization headers and tokens are redacted; code never logs variables or results (PHI). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "chartroom" },
    redact: ["headers.authorization", "token", "password"],
  });
}
