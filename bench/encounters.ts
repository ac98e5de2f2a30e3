import { benchApi, measure } from "./database.js";

const QUERY = `query ($after: String) {
  encounters(first: 50, after: $after, filter: { type: [PROFESSIONAL, EMERGENCY] }) {
    totalCount
    pageInfo { endCursor }
    edges {
      node {
        id status serviceDate facility { name } renderingProvider { name } patient { lastName birthDate } claims { id }
      }
    }
  }
}`;
const REQUESTS = 400;

/** Latency of a supervisor's 50-encounter page with nested patient, provider, facility and claims, over HTTP. */
export async function benchEncounterList(databaseUrl: string | undefined): Promise<void> {
  const api = await benchApi(databaseUrl, "supervisor@demo.chartroom.test");
  try {
    for (const concurrency of [1, 8]) {
      await measure(
        `encounters(first: 50) nested  ${(databaseUrl ? "PostgreSQL" : "PGlite").padEnd(10)}`,
        concurrency,
        REQUESTS,
        () => api.query(QUERY),
      );
    }
  } finally {
    await api.stop();
  }
}
