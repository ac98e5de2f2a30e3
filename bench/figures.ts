import { loadavg } from "node:os";

/**
 * The figures a run gathers under stable keys (issue 14's list: `queue_service_ratio_8`,
 * `delivery_p99_ms_1000`, …), printed by `npm run bench -- --json` as one JSON line at the end so
 * that a script or CI can compare runs without reading the prose lines.
 */
const figures: Record<string, number> = {};

/** Keeps `value` under `key`, rounded to what the measurement can tell (three significant places). */
export function recordFigure(key: string, value: number): void {
  figures[key] = Number(value.toPrecision(3));
}

/**
 * Keeps a figure measured on one driver under `key_pglite` or `key_postgres`, and under `key` itself
 * the one measured last (PostgreSQL's, when the run has a server: the drivers run PGlite first).
 */
export function recordDriverFigure(key: string, databaseUrl: string | undefined, value: number): void {
  recordFigure(`${key}_${databaseUrl ? "postgres" : "pglite"}`, value);
  recordFigure(key, value);
}

/** Every figure recorded so far, with the machine's 1-minute load now (`load_avg`), as one JSON line. */
export function figuresJson(): string {
  return JSON.stringify({ ...figures, load_avg: Number(loadavg()[0]!.toFixed(2)) });
}
