import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, type TestApi } from "../../helpers/api.js";

const base64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

/** Each connection, with a query that takes `after` and returns the first edge's cursor. */
const CONNECTIONS = {
  patients: `query ($after: String) { patients(first: 2, after: $after) { edges { cursor } } }`,
  encounters: `query ($after: String) { encounters(first: 2, after: $after) { edges { cursor } } }`,
  providers: `query ($after: String) { providers(first: 2, after: $after) { edges { cursor } } }`,
} as const;
type Connection = keyof typeof CONNECTIONS;

describe("connection cursors", () => {
  let api: TestApi;
  let supervisor: string;

  beforeAll(async () => {
    api = await startApi();
    supervisor = await api.signIn("supervisor@demo.chartroom.test");
  });
  afterAll(() => api.close());

  const firstCursor = async (connection: Connection, token: string): Promise<string> =>
    (await api.gql(CONNECTIONS[connection], {}, token)).data?.[connection].edges[0].cursor;

  it("name no patient: a cursor holds none of the demographics of its row", async () => {
    const page = await api.gql(
      `{ patients(first: 10) { edges { cursor node { mrn firstName lastName birthDate } } } }`,
      {},
      supervisor,
    );
    const edges: { cursor: string; node: Record<string, string> }[] = page.data?.["patients"].edges;
    expect(edges).toHaveLength(10);
    for (const { cursor, node } of edges) {
      const decoded = Buffer.from(cursor, "base64url").toString("utf8");
      for (const value of Object.values(node)) expect(decoded).not.toContain(value);
    }
  });

  it("continue where the page ended on every connection", async () => {
    for (const connection of Object.keys(CONNECTIONS) as Connection[]) {
      const query = CONNECTIONS[connection]
        .replace("edges { cursor }", "edges { cursor node { id } }")
        .replace("first: 2", "first: 4");
      const four = (await api.gql(query, {}, supervisor)).data?.[connection].edges;
      const next = (await api.gql(query.replace("first: 4", "first: 2"), { after: four[1].cursor }, supervisor)).data?.[
        connection
      ].edges;
      expect(
        next.map((e: { node: { id: string } }) => e.node.id),
        connection,
      ).toEqual(four.slice(2).map((e: { node: { id: string } }) => e.node.id));
    }
  });

  it("refuse a garbage, tampered, foreign or hidden cursor with BAD_USER_INPUT on every connection", async () => {
    const lakeside = await api.signIn("admin@lakeside.chartroom.test");
    const clinicCoder = await api.signIn("coder2@demo.chartroom.test");
    const clinic = (await api.gql(`{ facilities { id } }`, {}, clinicCoder)).data?.["facilities"][0].id;
    const facilities: { id: string }[] = (await api.gql(`{ facilities { id } }`, {}, supervisor)).data?.["facilities"];
    const hospital = facilities.find((f) => f.id !== clinic)!.id;
    const hospitalPatients = `query ($f: ID!) { patients(first: 1, filter: { facilityId: $f }) { edges { cursor } } }`;
    const hiddenFromCoder = (await api.gql(hospitalPatients, { f: hospital }, supervisor)).data?.["patients"].edges[0]
      .cursor;

    for (const connection of Object.keys(CONNECTIONS) as Connection[]) {
      const type = { patients: "Patient", encounters: "Encounter", providers: "Provider" }[connection];
      const other: Connection = connection === "patients" ? "encounters" : "patients";
      const bad = {
        garbage: "garbage",
        punctuation: "!!!%%%",
        huge: "x".repeat(5000),
        "sort values, as cursors used to be": base64url(JSON.stringify(["Brook", "Talia", "not-a-uuid"])),
        "another connection's": await firstCursor(other, supervisor),
        "a missing row's": base64url(`cursor:${type}:00000000-0000-4000-8000-000000000000`),
        "a malformed id": base64url(`cursor:${type}:1234'; drop table patients; --`),
        "trailing parts": base64url(`cursor:${type}:00000000-0000-4000-8000-000000000000:x`),
        "another organization's": await firstCursor(connection, lakeside),
      };
      for (const [what, after] of Object.entries(bad)) {
        const response = await api.gql(CONNECTIONS[connection], { after }, supervisor);
        expect(response.status, `${connection}: ${what}`).toBe(200);
        expect(codes(response), `${connection}: ${what}`).toEqual(["BAD_USER_INPUT"]);
        expect(response.errors?.[0]?.extensions?.["field"]).toBe("after");
      }
    }
    expect(codes(await api.gql(CONNECTIONS.patients, { after: hiddenFromCoder }, clinicCoder))).toEqual([
      "BAD_USER_INPUT",
    ]);
  });
});
