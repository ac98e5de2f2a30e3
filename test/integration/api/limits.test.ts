import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { codes, rowIdOf, startApi, type TestApi, wsExecute } from "../../helpers/api.js";

/** A fragment chain over `children` and `parent`, `levels` deep: each level asks both of the one below. */
function codeTreeQuery(levels: number): string {
  const fragments = [`fragment L0 on MedicalCode { code }`];
  for (let level = 1; level <= levels; level++) {
    fragments.push(
      `fragment L${level} on MedicalCode { code children { ...L${level - 1} } parent { ...L${level - 1} } }`,
    );
  }
  return `{ code(system: ICD10CM, code: "E11") { ...L${levels} } } ${fragments.join(" ")}`;
}

const aliased = (count: number, field: string) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(" ")} }`;

describe("what one request may ask of the server", () => {
  let api: TestApi;
  let coder: string;

  beforeAll(async () => {
    api = await startApi({ GRAPHQL_MAX_LIST_ITEMS: "500", MAX_REQUESTS_PER_USER: "2", DB_STATEMENT_TIMEOUT: "45s" });
    coder = await api.signIn("coder3@demo.chartroom.test");
  });
  afterAll(() => api.close());

  it("refuses a code-tree query fanning out over children and parent before it runs, HTTP and WebSocket", async () => {
    const query = codeTreeQuery(10);
    expect(query.length).toBeLessThan(1_000);
    const overHttp = await api.gql(query, {}, coder);
    expect(overHttp.status).toBe(400);
    expect(codes(overHttp)).toEqual(["QUERY_TOO_COMPLEX"]);

    const overWs = await wsExecute(api.ws({ authorization: `Bearer ${coder}` }), query);
    expect(codes(overWs)).toEqual(["QUERY_TOO_COMPLEX"]);
  });

  it("costs a repeated document again when the variables its cost reads change, checking every variable", async () => {
    const patients = Array.from({ length: 30 }, (_, i) => `p${i}: patient { id mrn }`).join(" ");
    const query = `query ($first: Int, $all: Boolean!, $status: [EncounterStatus!]) {
      encounters(first: $first, filter: { status: $status }) {
        edges { node { id ... @include(if: $all) { ${patients} } } }
      }
    }`;
    const small = { first: 5, all: true, status: ["READY_FOR_CODING"] };
    for (let round = 0; round < 2; round++) {
      expect((await api.gql(query, small, coder)).errors).toBeUndefined();
      const large = await api.gql(query, { ...small, first: 100 }, coder);
      expect(large.status).toBe(400);
      expect(codes(large)).toEqual(["QUERY_TOO_COMPLEX"]);
      // Without the aliased patients the same page is cheap: the directive's variable counts too.
      expect((await api.gql(query, { ...small, first: 100, all: false }, coder)).errors).toBeUndefined();
    }
    // A variable the cost does not read is still coerced and checked, on a document costed before.
    const badStatus = await api.gql(query, { ...small, status: ["NO_SUCH_STATUS"] }, coder);
    expect(badStatus.status).toBe(400);
    expect(codes(badStatus)).toEqual(["BAD_USER_INPUT"]);
    const missing = await api.gql(query, { first: 5 }, coder);
    expect(codes(missing)).toEqual(["BAD_USER_INPUT"]);
    expect(missing.errors?.[0]?.message).toMatch(/\$all/);
    const nul = await api.gql(query, { ...small, status: ["READY_FOR_CODING\u0000"] }, coder);
    expect(codes(nul)).toEqual(["BAD_USER_INPUT"]);
  });

  it("still lets a coder drill down a code's children and parent", async () => {
    const { data, errors } = await api.gql(
      `{ code(system: ICD10CM, code: "E11") { children { code children { code } parent { code } } } }`,
      {},
      coder,
    );
    expect(errors).toBeUndefined();
    expect(data?.["code"].children.map((child: { code: string }) => child.code)).toContain("E11.9");
  });

  it("withholds a response holding more list items than allowed, with one coded error", async () => {
    // An ICD-10-PCS table header has about a thousand codes beneath it: cheap to ask, large to answer.
    const query = `{ code(system: ICD10PCS, code: "0D1") { code children { code } } }`;
    const overHttp = await api.gql(query, {}, coder);
    expect(overHttp.status).toBe(400);
    expect(overHttp.data ?? null).toBeNull();
    expect(overHttp.errors).toEqual([
      {
        message: expect.stringMatching(/more than 500 list items/),
        extensions: { code: "RESPONSE_TOO_LARGE", maxListItems: 500 },
      },
    ]);

    const overWs = await wsExecute(api.ws({ authorization: `Bearer ${coder}` }), query);
    expect(overWs.data ?? null).toBeNull();
    expect(codes(overWs)).toEqual(["RESPONSE_TOO_LARGE"]);
  });

  it("caps aliases and root fields per operation, and counts each code search for what it does", async () => {
    const names = Array.from({ length: 31 }, (_, i) => `a${i}: name`).join(" ");
    const aliases = await api.gql(`{ viewer { ${names} } }`, {}, coder);
    expect(codes(aliases)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(aliases.errors?.[0]?.message).toMatch(/Too many aliases: .*limit of 30/);

    const roots = await api.gql(aliased(21, `viewer { id }`), {}, coder);
    expect(codes(roots)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(roots.errors?.[0]?.message).toMatch(/Too many root fields: .*limit of 20/);

    const searches = await api.gql(
      aliased(20, `searchCodes(system: ICD10CM, query: "diab", first: 20) { code shortDescription billable }`),
      {},
      coder,
    );
    expect(searches.status).toBe(400);
    expect(codes(searches)).toEqual(["QUERY_TOO_COMPLEX"]);

    const overWs = await wsExecute(api.ws({ authorization: `Bearer ${coder}` }), aliased(21, `viewer { id }`));
    expect(codes(overWs)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });

  it("answers requests beyond MAX_REQUESTS_PER_USER in flight with 429, serving again once those finish", async () => {
    const biller = await api.signIn("biller1@demo.chartroom.test");
    const billerId = (await api.gql(`{ viewer { id } }`, {}, biller)).data?.["viewer"].id as string;
    const socket = api.ws({ authorization: `Bearer ${biller}` });
    expect(codes(await wsExecute(socket, `{ viewer { id } }`))).toEqual([]);

    // Hold the facilities table, which the biller's question reads: their first two requests wait there.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = api.database.db.transaction(async (tx) => {
      await tx.execute(sql`lock table facilities in access exclusive mode`);
      locked();
      await held;
    });
    await isLocked;
    const question = `{ viewer { email facilities { name } } }`;
    const waiting = [api.gql(question, {}, biller), api.gql(question, {}, biller)];
    while (api.server.services.inFlight.count(rowIdOf(billerId)) < 2)
      await new Promise((resolve) => setImmediate(resolve));

    const refused = await api.gql(`{ viewer { email } }`, {}, biller);
    expect(refused.status).toBe(429);
    expect(codes(refused)).toEqual(["RATE_LIMITED"]);
    expect((await wsExecute(socket, `{ viewer { email } }`)).errors).toEqual([
      {
        message: expect.stringMatching(/at most 2 per user/),
        extensions: { code: "RATE_LIMITED", maxRequestsPerUser: 2 },
      },
    ]);

    release();
    await holder;
    for (const answer of await Promise.all(waiting))
      expect(answer.data?.["viewer"].email).toBe("biller1@demo.chartroom.test");
    expect((await api.gql(`{ viewer { email } }`, {}, biller)).status).toBe(200);
  });

  it("takes no place for a WebSocket document without an operation, so a mistake never locks a user out", async () => {
    const auditor = await api.signIn("auditor@demo.chartroom.test");
    const socket = api.ws({ authorization: `Bearer ${auditor}` });
    for (let attempt = 0; attempt < 3; attempt++) {
      const unnamed = await wsExecute(socket, `query A { viewer { email } }`, {}, "B");
      expect(codes(unnamed)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    }
    expect((await api.gql(`{ viewer { email } }`, {}, auditor)).status).toBe(200);
    expect(codes(await wsExecute(socket, `{ viewer { email } }`))).toEqual([]);
  });

  it("checks the size of the document a POST runs, whatever its URL says", async () => {
    const response = await fetch(`${api.url}?query=${encodeURIComponent("{ __typename }")}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${coder}` },
      body: JSON.stringify({ query: `{ viewer { ${"id ".repeat(2_500)} } }` }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(body.errors[0]?.message).toMatch(/too large/);
  });

  it.runIf(inject("database").driver === "postgres")(
    "has PostgreSQL cancel any API statement that runs longer than DB_STATEMENT_TIMEOUT",
    async () => {
      const [setting] = await api.database.rows<{ statement_timeout: string }>(sql`show statement_timeout`);
      expect(setting?.statement_timeout).toBe("45s");
    },
  );

  it("refuses a document nested too deeply or holding too many tokens before parsing it, saying so", async () => {
    const nested = `{ searchCodes(system: ICD10CM, query: ${"[".repeat(3_000)}${"]".repeat(3_000)}) { code } }`;
    const deep = await api.gql(nested, {}, coder);
    expect(deep.status).toBe(400);
    expect(codes(deep)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    expect(deep.errors?.[0]?.message).toMatch(/nested too deeply/);

    const long = await api.gql(`{ viewer { ${"id ".repeat(2_500)} } }`, {}, coder);
    expect(codes(long)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    expect(long.errors?.[0]?.message).toMatch(/too large: it has more than 2000 tokens/);

    const overWs = await wsExecute(api.ws({ authorization: `Bearer ${coder}` }), nested);
    expect(codes(overWs)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    expect(overWs.errors?.[0]?.message).toMatch(/nested too deeply/);
  });

  it("refuses a NUL character in any string, in a variable or in the document, as BAD_USER_INPUT", async () => {
    const login = await api.gql(`mutation ($input: LoginInput!) { login(input: $input) { token } }`, {
      input: { email: "coder1@demo.chartroom.test\u0000", password: "x" },
    });
    expect(codes(login)).toEqual(["BAD_USER_INPUT"]);
    expect(login.errors?.[0]?.message).toMatch(/NUL character .*\$input\.email/);

    const search = await api.gql(`{ patients(filter: { search: "gar\\u0000" }) { totalCount } }`, {}, coder);
    expect(codes(search)).toEqual(["BAD_USER_INPUT"]);
    const code = await api.gql(
      `query ($code: String!) { code(system: ICD10CM, code: $code) { code } }`,
      { code: "E11\u0000" },
      coder,
    );
    expect(codes(code)).toEqual(["BAD_USER_INPUT"]);

    const overWs = await wsExecute(
      api.ws({ authorization: `Bearer ${coder}` }),
      `query ($code: String!) { code(system: ICD10CM, code: $code) { code } }`,
      { code: "E11\u0000" },
    );
    expect(codes(overWs)).toEqual(["BAD_USER_INPUT"]);
  });
});
