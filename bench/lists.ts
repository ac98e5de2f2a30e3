import { spawn } from "node:child_process";
import { eq, sql } from "drizzle-orm";
import { type Database, openDatabase } from "../src/db/client.js";
import { users } from "../src/db/schema/index.js";
import { DEFAULT_DEMO_PASSWORD } from "../src/environment.js";
import { benchDatabase, benchServer, type Measured, measure } from "./database.js";
import { recordFigure } from "./figures.js";

/** A supervisor's list: the 50 oldest work items, each with its encounter, patient and diagnoses. */
const CHARTROOM = `{
  workItems(first: 50, filter: { status: [READY] }) {
    edges { node {
      id status priority createdAt
      subject { ... on Encounter {
        id serviceDate
        patient { id firstName lastName birthDate }
        diagnoses { sequence code { code } }
      } }
    } }
  }
}`;
/** The same shape from PostGraphile's generated schema over the same tables, for the same organization. */
const POSTGRAPHILE = `query ($orgId: UUID!) {
  allWorkItems(first: 50, orderBy: [CREATED_AT_ASC, PRIMARY_KEY_ASC], condition: { orgId: $orgId, status: READY }) {
    nodes {
      id status priority createdAt
      encounterByOrgIdAndEncounterId {
        id serviceDate
        patientByOrgIdAndPatientId { id firstName lastName birthDate }
        encounterDiagnosesByOrgIdAndEncounterId(orderBy: SEQUENCE_ASC) { nodes { sequence code } }
      }
    }
  }
}`;
const SUPERVISOR = "supervisor@demo.chartroom.test";
/** Diagnoses given to each listed encounter, as coding stores them (no dot): the demo's work is not coded yet. */
const DIAGNOSES = ["E119", "I10", "E785", "J45909"];
const REQUESTS_PER_CLIENT = 100;

/**
 * A nested list (50 work items → encounter → patient, diagnoses) served by Chartroom and by
 * PostGraphile v4 over the same tables of one PostgreSQL database, each in a process of its own
 * and measured back to back at 1 and 8 clients; and how many SQL statements Chartroom sends for
 * it (counted in-process, the fewest of three requests, as the tests count them).
 */
export async function benchLists(serverUrl: string): Promise<void> {
  const { handle, url, drop } = await benchDatabase(serverUrl, { codeSets: true });
  try {
    const orgId = await giveDiagnoses(handle.db);
    console.log(`lists    PostgreSQL SQL statements for the nested list: ${await countStatements(url!)}, target ≤ 5`);
    const chartroom = await measureServer("chartroom", url!, async (endpoint) => {
      const token = await signIn(endpoint);
      return () => post(endpoint, { query: CHARTROOM }, token, checkChartroom);
    });
    const baseline = await measureServer("postgraphile", url!, async (endpoint) => {
      return () => post(endpoint, { query: POSTGRAPHILE, variables: { orgId } }, undefined, checkPostGraphile);
    });
    const ratio = chartroom.requestsPerSecond / baseline.requestsPerSecond;
    recordFigure("list_vs_postgraphile_ratio", ratio);
    console.log(
      `lists    PostgreSQL 8 clients: Chartroom ${Math.round(chartroom.requestsPerSecond)} req/s, ` +
        `PostGraphile v4 ${Math.round(baseline.requestsPerSecond)} req/s: ratio ${ratio.toFixed(2)}, target ≥ 1.0`,
    );
  } finally {
    await drop();
  }
}

/** Gives every encounter with open work the bench's diagnoses; answers the demo organization's id. */
async function giveDiagnoses(db: Database): Promise<string> {
  await db.execute(sql`
    insert into encounter_diagnoses (org_id, encounter_id, sequence, code)
    select w.org_id, w.encounter_id, d.sequence, d.code
    from (select distinct org_id, encounter_id from work_items where encounter_id is not null) w
    cross join unnest(${`{${DIAGNOSES.join(",")}}`}::text[]) with ordinality as d(code, sequence)
    on conflict do nothing`);
  // A fresh seed has no statistics until autovacuum analyzes it, and this machine's server runs without
  // autovacuum: the planner would guess one row per table, as no production database does. Both servers
  // read the same analyzed tables.
  await db.execute(sql`analyze`);
  const [supervisor] = await db.select({ orgId: users.orgId }).from(users).where(eq(users.email, SUPERVISOR));
  return supervisor!.orgId;
}

/** SQL statements Chartroom sends for the list, counted by a server of this process: the fewest of three. */
async function countStatements(databaseUrl: string): Promise<number> {
  let statements = 0;
  const database = await openDatabase({ url: databaseUrl, onQuery: () => statements++ });
  const server = await benchServer(database);
  try {
    const token = await signIn(server.url);
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = statements;
      await post(server.url, { query: CHARTROOM }, token, checkChartroom);
      counts.push(statements - before);
    }
    return Math.min(...counts);
  } finally {
    await server.stop();
    await database.close();
  }
}

/**
 * Starts `which` in its own process over `databaseUrl`, checks and warms it with 20 requests, and
 * measures `request` from 1 and then 8 clients; answers the 8-client figures.
 */
async function measureServer(
  which: "chartroom" | "postgraphile",
  databaseUrl: string,
  prepare: (endpoint: string) => Promise<() => Promise<unknown>>,
): Promise<Measured> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/list-server.ts", which], {
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const { url } = await new Promise<{ url: string }>((resolve, reject) => {
      child.once("message", (message: { url: string }) => resolve(message));
      child.once("exit", (code) => reject(new Error(`the ${which} list server exited ${code} before it was ready`)));
    });
    child.removeAllListeners("exit");
    const request = await prepare(url);
    for (let i = 0; i < 20; i++) await request();
    const name = which === "chartroom" ? "Chartroom" : "PostGraphile v4";
    let measured: Measured | undefined;
    for (const clients of [1, 8]) {
      measured = await measure(
        `lists    PostgreSQL 50 work items → encounter → patient, diagnoses, ${name.padEnd(15)}`,
        clients,
        REQUESTS_PER_CLIENT * clients,
        request,
      );
    }
    return measured!;
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.disconnect();
    await exited;
  }
}

async function signIn(endpoint: string): Promise<string> {
  const data = await post(endpoint, {
    query: `mutation { login(input: { email: "${SUPERVISOR}", password: "${DEFAULT_DEMO_PASSWORD}" }) { token } }`,
  });
  return (data as { login: { token: string } }).login.token;
}

/** POSTs one GraphQL request and answers its data; throws on errors, or when `check` finds the answer short. */
async function post(
  endpoint: string,
  body: { query: string; variables?: Record<string, unknown> },
  token?: string,
  check?: (data: unknown) => void,
): Promise<unknown> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const result = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (result.errors || !result.data) throw new Error(JSON.stringify(result.errors ?? result));
  check?.(result.data);
  return result.data;
}

/** Both servers must answer 50 items, each with its patient and all its diagnoses: the same work. */
function expectFullList(items: { patient: unknown; diagnoses: unknown[] }[]): void {
  if (items.length !== 50 || items.some((item) => !item.patient || item.diagnoses.length !== DIAGNOSES.length))
    throw new Error(`expected 50 items with a patient and ${DIAGNOSES.length} diagnoses each`);
}

function checkChartroom(data: unknown): void {
  type Subject = { patient: unknown; diagnoses: unknown[] };
  const { edges } = (data as { workItems: { edges: { node: { subject: Subject } }[] } }).workItems;
  expectFullList(edges.map((edge) => edge.node.subject));
}

function checkPostGraphile(data: unknown): void {
  type Encounter = { patientByOrgIdAndPatientId: unknown; encounterDiagnosesByOrgIdAndEncounterId: { nodes: [] } };
  const { nodes } = (data as { allWorkItems: { nodes: { encounterByOrgIdAndEncounterId: Encounter }[] } }).allWorkItems;
  expectFullList(
    nodes.map(({ encounterByOrgIdAndEncounterId: encounter }) => ({
      patient: encounter.patientByOrgIdAndPatientId,
      diagnoses: encounter.encounterDiagnosesByOrgIdAndEncounterId.nodes,
    })),
  );
}
