import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, rowIdOf, startApi, type TestApi } from "../../helpers/api.js";
import {
  deactivateUser,
  markBilled,
  setCodingQaPercent,
  setQueueEncounterTypes,
} from "../../helpers/behind-the-api.js";
import {
  type EncounterPlan,
  givenClaimedEncounter,
  givenCodedEncounter,
  givenEncounterReadyForCoding,
} from "../../helpers/encounters.js";
import { givenOrganization, type Organization } from "../../helpers/organizations.js";

const ENCOUNTER = `id status version serviceDate
  diagnoses { sequence presentOnAdmission code { code billable } }
  procedures { sequence modifiers units charge serviceDate diagnosisPointers code { code system } }
  edits { code severity message field suggestions }`;
const CLAIM = `mutation { claimNextWorkItem(input: {}) { workItem { id status subject { ... on Encounter {
  ${ENCOUNTER} } } } userErrors { code } } }`;
const SET = `mutation ($input: SetEncounterCodesInput!) { setEncounterCodes(input: $input) { encounter {
  ${ENCOUNTER} } userErrors { code field message } } }`;
const COMPLETE = `mutation ($input: EncounterRefInput!) { completeCoding(input: $input) { encounter {
  ${ENCOUNTER} } userErrors { code field message } } }`;
const READ = `query ($id: ID!) { encounter(id: $id) { ${ENCOUNTER}
  workItems { status queue { kind } assignee { email } }
  codings { coder { email } handleSeconds sampled samplingReason codes { diagnoses { code } procedures {
    code modifiers } } }
  codeHistory { version source actor { email } before { diagnoses { code } procedures { code modifiers } } after {
    diagnoses { code } procedures { code modifiers } } }
  physicianQueries { id question answer askedBy { email } answeredBy { email } workItem { status assignee {
    email } } } } }`;
const SEARCH = `query ($q: String!, $date: Date) { searchCodes(system: ICD10CM, query: $q, dateOfService: $date) {
  code } }`;
const ASK = `mutation ($input: QueryPhysicianInput!) { queryPhysician(input: $input) { query {
  id question } userErrors { code field } } }`;
const ANSWER = `mutation ($input: AnswerPhysicianQueryInput!) { answerPhysicianQuery(input: $input) { query {
  id answer answeredBy { email } } userErrors { code field } } }`;

type Edit = { code: string; severity: string; message: string; field: string[]; suggestions: string[] };
type Encounter = {
  id: string;
  status: string;
  version: number;
  serviceDate: string;
  edits: Edit[];
  diagnoses: { code: { code: string } }[];
  procedures: { modifiers: string[] }[];
};

const dx = (...list: string[]) => list.map((code) => ({ code }));
/** Debridement of a foot ulcer (11042) and of the nails (11720): an NCCI pair that a distinct-site modifier allows. */
const footCare = (nailModifiers: string[] = []) => [
  { system: "CPT", code: "11042", units: 1, charge: "210.00", diagnosisPointers: [2, 1] },
  { system: "CPT", code: "11720", units: 1, charge: "65.00", diagnosisPointers: [3], modifiers: nailModifiers },
];

/*
 * Each story gets an organization of its own, whose queues hold only the work it builds: coder1 is
 * CCS at the hospital only, coder2 CPC at the clinic only, coder3 CPC at both.
 */
describe("a coder codes an encounter from claim to completion", () => {
  let api: TestApi;
  let org: Organization;
  let coder: string;
  let otherCoder: string;
  let supervisor: string;

  /** The story's organization, with coder2 as the coder, coder3 as another, and its supervisor signed in. */
  const given = async () => {
    org = await givenOrganization(api);
    [coder, otherCoder, supervisor] = [
      await org.signIn("coder2"),
      await org.signIn("coder3"),
      await org.signIn("supervisor"),
    ];
  };
  /** The coder claims the encounter waiting at the clinic (or wherever `plan` says). */
  const claim = async (token: string, plan: EncounterPlan = {}): Promise<Encounter> => {
    await givenEncounterReadyForCoding(org, plan);
    const response = await api.gql(CLAIM, {}, token);
    expect(response.errors).toBeUndefined();
    return response.data?.["claimNextWorkItem"].workItem.subject;
  };
  const set = async (
    token: string,
    encounter: Pick<Encounter, "id" | "version">,
    diagnoses: unknown[],
    procedures: unknown[],
  ) => {
    const response = await api.gql(
      SET,
      { input: { encounterId: encounter.id, expectedVersion: encounter.version, diagnoses, procedures } },
      token,
    );
    return {
      ...response,
      payload: response.data?.["setEncounterCodes"] as {
        encounter: Encounter | null;
        userErrors: { code: string; field: string[]; message: string }[];
      },
    };
  };
  const complete = async (token: string, encounter: Pick<Encounter, "id">) =>
    (await api.gql(COMPLETE, { input: { encounterId: encounter.id } }, token)).data?.["completeCoding"] as {
      encounter: Encounter | null;
      userErrors: { code: string; field: string[] }[];
    };
  const read = async (id: string, token = supervisor) => (await api.gql(READ, { id }, token)).data?.["encounter"];

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it("sets codes, sees a header and an NCCI pair flagged, fixes both, completes: to review, with history", async () => {
    await given();
    const encounter = await claim(coder);
    expect(encounter.status).toBe("READY_FOR_CODING");
    const found = (
      await api.gql(SEARCH, { q: "type 2 diabetes without complications", date: encounter.serviceDate }, coder)
    ).data?.["searchCodes"];
    expect(found.map((c: { code: string }) => c.code)).toContain("E11.9");

    const first = await set(coder, encounter, dx("E11", "L97.519", "B35.1"), footCare());
    expect(first.payload.userErrors).toEqual([]);
    const saved = first.payload.encounter!;
    expect(saved).toMatchObject({ status: "CODING", version: encounter.version + 1 });
    expect(saved.diagnoses.map((d) => d.code.code)).toEqual(["E11", "L97.519", "B35.1"]);
    const header = saved.edits.find((edit) => edit.code === "NOT_BILLABLE")!;
    expect(header).toMatchObject({ severity: "ERROR", field: ["diagnoses", "0", "code"] });
    expect(header.suggestions[0]).toBe("E11.9");
    const ncci = saved.edits.find((edit) => edit.code === "NCCI_PTP_CONFLICT")!;
    expect(ncci).toMatchObject({ severity: "ERROR", field: ["procedures", "1", "code"] });
    expect(ncci.message).toMatch(/11042/);

    const refused = await complete(coder, saved);
    expect(refused.encounter).toBeNull();
    expect(refused.userErrors.map((e) => e.code).sort()).toEqual(["NCCI_PTP_CONFLICT", "NOT_BILLABLE"]);
    expect((await read(saved.id)).status).toBe("CODING");

    const fixed = (await set(coder, saved, dx("E11.9", "L97.519", "B35.1"), footCare(["59"]))).payload.encounter!;
    expect(fixed.edits.filter((edit) => edit.severity === "ERROR")).toEqual([]);
    expect(fixed.procedures[1]!.modifiers).toEqual(["59"]);

    const done = await complete(coder, fixed);
    expect(done.userErrors).toEqual([]);
    expect(done.encounter).toMatchObject({ status: "IN_REVIEW", version: fixed.version + 1 });

    const after = await read(saved.id);
    expect(
      after.workItems.map((w: { status: string; queue: { kind: string } }) => `${w.queue.kind}:${w.status}`),
    ).toEqual(["CODING:DONE", "CODING_REVIEW:READY"]);
    expect(after.codings).toEqual([
      {
        coder: { email: org.email("coder2") },
        handleSeconds: expect.any(Number),
        sampled: true,
        samplingReason: expect.stringMatching(/first 20 encounters.*number 1\b/),
        codes: {
          diagnoses: dx("E11.9", "L97.519", "B35.1"),
          procedures: [
            { code: "11042", modifiers: [] },
            { code: "11720", modifiers: ["59"] },
          ],
        },
      },
    ]);
    expect(
      after.codeHistory.map((c: { version: number; source: string; actor: { email: string } }) => [
        c.version,
        c.source,
        c.actor.email,
      ]),
    ).toEqual([
      [encounter.version + 1, "CODING", org.email("coder2")],
      [encounter.version + 2, "CODING", org.email("coder2")],
    ]);
    expect(after.codeHistory[0].before).toEqual({ diagnoses: [], procedures: [] });
    expect(after.codeHistory[1].before.diagnoses[0]).toEqual({ code: "E11" });
    expect(after.codeHistory[1].after.diagnoses[0]).toEqual({ code: "E11.9" });
  });

  it("a save writes once: its history keeps the replaced codes in full, its audit row names it", async () => {
    await given();
    const encounter = await claim(coder);
    const SAVE = `mutation ($input: SetEncounterCodesInput!) { setEncounterCodes(input: $input) {
      encounter { version } userErrors { code } } }`;
    const lists = (poa: boolean) => ({
      diagnoses: [
        { code: "E11.621", unrelatedTo: [] },
        { code: "L97.519", ...(poa ? {} : { unrelatedTo: ["E11.621"] }) },
        { code: "B35.1" },
      ],
      procedures: footCare(["59"]).map((line, i) => ({ ...line, units: i + 1 })),
    });
    let version = encounter.version;
    const saves: number[] = [];
    for (const poa of [true, false, true]) {
      const { result, statements } = await api.countStatements(() =>
        api.gql(SAVE, { input: { encounterId: encounter.id, expectedVersion: version, ...lists(poa) } }, coder),
      );
      expect(result.data?.["setEncounterCodes"].userErrors).toEqual([]);
      version = result.data?.["setEncounterCodes"].encounter.version;
      saves.push(statements);
    }
    // The encounter, the coder's hold on its work (two), the code sets' tables, and one write with its history
    // and audit rows; the fewest of three, as the event feed's poll may fall into one.
    expect(Math.min(...saves)).toBeLessThanOrEqual(5);

    const history = await api.database.rows<{ version: number; before: unknown; after: unknown }>(sql`
      select version, before, after from encounter_code_changes
       where encounter_id = ${rowIdOf(encounter.id)} order by version`);
    expect(history.map((change) => change.version)).toEqual([1, 2, 3].map((n) => encounter.version + n));
    expect(history[0]!.before).toEqual({ diagnoses: [], procedures: [] });
    for (const [i, change] of history.slice(1).entries()) expect(change.before).toEqual(history[i]!.after);
    expect(history[1]!.after).toEqual({
      diagnoses: [
        { code: "E11621", presentOnAdmission: null, unrelatedTo: [] },
        { code: "L97519", presentOnAdmission: null, unrelatedTo: ["E11621"] },
        { code: "B351", presentOnAdmission: null, unrelatedTo: [] },
      ],
      procedures: [
        {
          system: "CPT",
          code: "11042",
          modifiers: [],
          units: 1,
          charge: "210.00",
          serviceDate: null,
          diagnosisPointers: [2, 1],
        },
        {
          system: "CPT",
          code: "11720",
          modifiers: ["59"],
          units: 2,
          charge: "65.00",
          serviceDate: null,
          diagnosisPointers: [3],
        },
      ],
    });
    const audited = await api.database.rows<{ n: number }>(sql`
      select count(*)::int as n from audit_log
       where action = 'encounter.set_codes' and entity_ids = array[${rowIdOf(encounter.id)}::uuid]`);
    expect(audited[0]!.n).toBe(3);

    const EDITS = `query ($id: ID!) { encounter(id: $id) { diagnoses { code { code } } procedures { code { code } }
      edits { code } } }`;
    const read = await api.fewestStatements(() => api.gql(EDITS, { id: encounter.id }, coder));
    expect(read.result.data?.["encounter"].diagnoses.map((d: { code: { code: string } }) => d.code.code)).toEqual([
      "E11.621",
      "L97.519",
      "B35.1",
    ]);
    expect(read.result.data?.["encounter"].edits.map((edit: { code: string }) => edit.code)).toContain("MUE_EXCEEDED");
    // The encounter, its diagnoses, its lines, the code sets' tables (whose code rows the code fields show too),
    // and the audit of the PHI read.
    expect(read.statements).toBeLessThanOrEqual(5);
  });

  it("two saves of the same version: one wins, the other is a CONFLICT and changes nothing", async () => {
    await given();
    const encounter = await claim(coder);
    const [a, b] = await Promise.all([
      set(coder, encounter, dx("I10"), []),
      set(supervisor, encounter, dx("E11.9"), []),
    ]);
    expect([codes(a), codes(b)].sort()).toEqual([[], ["CONFLICT"]]);
    const winner = codes(a).length === 0 ? "I10" : "E11.9";
    const now = await read(encounter.id);
    expect(now.diagnoses.map((d: { code: { code: string } }) => d.code.code)).toEqual([winner]);
    expect(now.version).toBe(encounter.version + 1);
    expect(now.codeHistory).toHaveLength(1);

    const stale = await set(coder, encounter, dx("I10"), []);
    expect(stale.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/version/),
      extensions: { code: "CONFLICT" },
    });
  });

  it("refuses what cannot be stored, saying what was meant, and changes nothing", async () => {
    await given();
    const encounter = await claim(coder);
    const line = { system: "CPT", code: "99213", units: 1, charge: "95.00", diagnosisPointers: [1] };
    const attempts: [unknown[], unknown[], string, string[]][] = [
      [dx("E11-9"), [], "MALFORMED_CODE", ["diagnoses", "0", "code"]],
      [dx("E19.1"), [], "UNKNOWN_CODE", ["diagnoses", "0", "code"]],
      [dx("I10"), [{ ...line, modifiers: ["25", "25"] }], "MODIFIER_DUPLICATE", ["procedures", "0", "modifiers", "1"]],
      [dx("I10"), [{ ...line, units: 0 }], "UNITS_INVALID", ["procedures", "0", "units"]],
      [dx(...Array<string>(26).fill("I10")), [], "LIST_TOO_LONG", ["diagnoses"]],
      [dx("I10"), Array(51).fill(line), "LIST_TOO_LONG", ["procedures"]],
      [
        dx("I10"),
        [{ ...line, diagnosisPointers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1] }],
        "LIST_TOO_LONG",
        ["procedures", "0", "diagnosisPointers"],
      ],
      [
        dx("I10"),
        [{ ...line, serviceDate: "2020-01-01" }],
        "LINE_DATE_OUTSIDE_ENCOUNTER",
        ["procedures", "0", "serviceDate"],
      ],
    ];
    for (const [diagnoses, procedures, code, field] of attempts) {
      const attempt = await set(coder, encounter, diagnoses, procedures);
      expect(attempt.payload.userErrors, code).toEqual([expect.objectContaining({ code, field })]);
    }
    expect((await set(coder, encounter, dx("E11-9"), [])).payload.userErrors[0]!.message).toMatch(
      /did you mean E11\.9/,
    );
    expect((await set(coder, encounter, dx("E19.1"), [])).payload.userErrors[0]!.message).toMatch(
      /Did you mean E11\.9/,
    );
    expect(codes(await set(coder, encounter, dx("I10"), [{ ...line, charge: "-5.00" }]))).toEqual(["BAD_USER_INPUT"]);

    expect((await set(coder, encounter, dx(" e11.9 "), [])).payload.encounter!.diagnoses[0]!.code.code).toBe("E11.9");
    const now = await read(encounter.id);
    expect(now.codeHistory).toHaveLength(1);
  });

  it("only the coder holding the work (or a supervisor) codes; billed codes lock; unknown: not found", async () => {
    await given();
    const encounter = await claim(coder);
    // Saving and completing ask the same question, who holds the coding work now, and answer it alike.
    const notTheirs = { message: "This item is assigned to someone else.", extensions: { code: "CONFLICT" } };
    expect((await set(otherCoder, encounter, dx("I10"), [])).errors).toEqual([expect.objectContaining(notTheirs)]);
    const completedByOther = await api.gql(COMPLETE, { input: { encounterId: encounter.id } }, otherCoder);
    expect(completedByOther.errors).toEqual([expect.objectContaining(notTheirs)]);
    expect((await set(supervisor, encounter, dx("I10"), [])).payload.userErrors).toEqual([]);

    await markBilled(api.database, encounter.id);
    const billed = await read(encounter.id);
    const locked = await set(supervisor, billed, dx("E11.9"), []);
    expect(locked.errors).toEqual([
      expect.objectContaining({
        message: "This encounter is BILLED: its codes are the claim's now. Correct the claim instead.",
        extensions: { code: "CONFLICT" },
      }),
    ]);
    expect((await read(billed.id)).version).toBe(billed.version);

    const unknown = Buffer.from("Encounter:00000000-0000-4000-8000-000000000000").toString("base64url");
    expect(codes(await set(coder, { id: unknown, version: 1 }, dx("I10"), []))).toEqual(["NOT_FOUND"]);
  });

  it("an experienced coder's encounter goes straight to billing when the draw skips it, saying why", async () => {
    await given();
    // Twenty earlier completions make coder3 experienced; a QA rate of 0% samples nothing after that.
    for (let i = 0; i < 20; i++) await givenCodedEncounter(org, "coder3");
    await setCodingQaPercent(org, 0);
    const encounter = await claim(otherCoder);
    await set(otherCoder, encounter, dx("I10"), [
      { system: "CPT", code: "99213", units: 1, charge: "95.00", diagnosisPointers: [1] },
    ]);

    const done = await complete(otherCoder, encounter);
    expect(done.userErrors).toEqual([]);
    expect(done.encounter!.status).toBe("READY_TO_BILL");
    const after = await read(encounter.id);
    expect(after.codings[0]).toMatchObject({
      sampled: false,
      samplingReason: expect.stringMatching(/reviews 0% of coded encounters.*not below 0/),
    });
    expect(after.workItems.map((w: { queue: { kind: string } }) => w.queue.kind)).toEqual(["CODING"]);
  });

  it("a coder queries the physician: work and encounter wait; the answer brings the work back to them", async () => {
    await given();
    const encounter = await claim(coder);
    const asked = await api.gql(
      ASK,
      { input: { encounterId: encounter.id, question: "Is the diabetes type 1 or type 2?" } },
      coder,
    );
    expect(asked.data?.["queryPhysician"].userErrors).toEqual([]);
    const queryId = asked.data?.["queryPhysician"].query.id;

    let now = await read(encounter.id);
    expect(now.status).toBe("ON_HOLD");
    expect(now.physicianQueries).toEqual([
      {
        id: queryId,
        question: "Is the diabetes type 1 or type 2?",
        answer: null,
        askedBy: { email: org.email("coder2") },
        answeredBy: null,
        workItem: { status: "ON_HOLD", assignee: null },
      },
    ]);
    // While the work waits, nobody holds it and the encounter is not in coding: the state refuses, not the input.
    expect(codes(await set(coder, now, dx("E11.9"), []))).toEqual(["CONFLICT"]);
    const again = await api.gql(ASK, { input: { encounterId: encounter.id, question: "Again?" } }, coder);
    expect(again.errors).toEqual([
      expect.objectContaining({
        message: "This encounter is ON_HOLD, not in coding.",
        extensions: { code: "CONFLICT" },
      }),
    ]);
    expect(codes(await api.gql(COMPLETE, { input: { encounterId: encounter.id } }, coder))).toEqual(["CONFLICT"]);
    expect(codes(await api.gql(ANSWER, { input: { queryId, answer: "Type 2." } }, coder))).toEqual(["FORBIDDEN"]);

    const answered = await api.gql(ANSWER, { input: { queryId, answer: "Type 2, on insulin." } }, supervisor);
    expect(answered.data?.["answerPhysicianQuery"]).toEqual({
      query: { id: queryId, answer: "Type 2, on insulin.", answeredBy: { email: org.email("supervisor") } },
      userErrors: [],
    });
    now = await read(encounter.id);
    expect(now.status).toBe("CODING");
    expect(now.physicianQueries[0].workItem).toEqual({
      status: "ASSIGNED",
      assignee: { email: org.email("coder2") },
    });
    expect((await set(coder, now, dx("E11.9", "Z79.4"), [])).payload.userErrors).toEqual([]);
    expect(codes(await api.gql(ANSWER, { input: { queryId, answer: "Again." } }, supervisor))).toEqual(["CONFLICT"]);

    const reads = await api.database.rows<{ action: string }>(
      sql`select action from audit_log
        where entity_type = 'PhysicianQuery' and ${rowIdOf(queryId)}::uuid = any(entity_ids) order by id`,
    );
    expect(reads.map((r) => r.action)).toEqual(
      expect.arrayContaining(["physician_query.ask", "physician_query.answer", "physicianquery.read"]),
    );
  });

  it("an answer still lands when a supervisor already resumed the held work by hand", async () => {
    await given();
    const encounter = await claim(coder);
    const asked = await api.gql(ASK, { input: { encounterId: encounter.id, question: "Left or right knee?" } }, coder);
    const itemId = (
      await api.gql(`query ($id: ID!) { encounter(id: $id) { workItems { id } } }`, { id: encounter.id }, supervisor)
    ).data?.["encounter"].workItems[0].id;
    const resumed = await api.gql(
      `mutation ($id: ID!) { resumeWorkItem(input: { workItemId: $id }) { workItem { status } } }`,
      { id: itemId },
      supervisor,
    );
    expect(resumed.data?.["resumeWorkItem"].workItem.status).toBe("ASSIGNED");

    const answered = await api.gql(
      ANSWER,
      { input: { queryId: asked.data?.["queryPhysician"].query.id, answer: "Left knee." } },
      supervisor,
    );
    expect(answered.data?.["answerPhysicianQuery"]).toMatchObject({ query: { answer: "Left knee." }, userErrors: [] });
    const now = await read(encounter.id);
    expect(now.status).toBe("CODING");
    expect(now.physicianQueries[0].workItem).toEqual({
      status: "ASSIGNED",
      assignee: { email: org.email("coder2") },
    });
  });

  it("a coder without CCS, an auditor and a biller see no coding or physician-query work of an inpatient", async () => {
    await given();
    const ccsCoder = await org.signIn("coder1");
    const { encounter, workItem } = await givenClaimedEncounter(org, "coder1", { at: "hospital", type: "INPATIENT" });
    const claimed = { id: workItem.id, subject: { id: encounter.id } };
    const asked = await api.gql(
      ASK,
      { input: { encounterId: claimed.subject.id, question: "Was the pneumonia present on admission?" } },
      ccsCoder,
    );
    expect(asked.data?.["queryPhysician"].userErrors).toEqual([]);

    const SEEN = `query ($encounter: ID!, $item: ID!) {
      encounter(id: $encounter) { workItems { id } physicianQueries { question workItem { id } } }
      node(id: $item) { id }
      workItems(first: 100, filter: { status: [ON_HOLD] }) { edges { node { id } } }
    }`;
    const seenBy = async (token: string) => {
      const response = await api.gql(SEEN, { encounter: claimed.subject.id, item: claimed.id }, token);
      expect(response.errors).toBeUndefined();
      const data = response.data!;
      return {
        encounterWork: data["encounter"].workItems.map((item: { id: string }) => item.id),
        queryWork: data["encounter"].physicianQueries.map(
          (query: { workItem: { id: string } | null }) => query.workItem?.id ?? null,
        ),
        node: data["node"]?.id ?? null,
        listed: data["workItems"].edges.some((edge: { node: { id: string } }) => edge.node.id === claimed.id),
      };
    };
    expect(await seenBy(supervisor)).toEqual({
      encounterWork: [claimed.id],
      queryWork: [claimed.id],
      node: claimed.id,
      listed: true,
    });
    expect(await seenBy(ccsCoder)).toEqual({
      encounterWork: [claimed.id],
      queryWork: [claimed.id],
      node: claimed.id,
      listed: true,
    });
    const hidden = { encounterWork: [], queryWork: [null], node: null, listed: false };
    for (const login of ["coder3", "auditor", "biller1"]) expect(await seenBy(await org.signIn(login))).toEqual(hidden);
  });

  it("an answer to a query whose coder has left returns the work to the queue for someone else", async () => {
    await given();
    const leaving = await org.signIn("coder1");
    const encounter = await claim(leaving, { at: "hospital", type: "INPATIENT" });
    const asked = await api.gql(
      ASK,
      { input: { encounterId: encounter.id, question: "Was the fracture displaced?" } },
      leaving,
    );
    await deactivateUser(api.database, org.email("coder1"));

    const answered = await api.gql(
      ANSWER,
      { input: { queryId: asked.data?.["queryPhysician"].query.id, answer: "Displaced." } },
      supervisor,
    );
    expect(answered.data?.["answerPhysicianQuery"].userErrors).toEqual([]);
    const now = await read(encounter.id);
    expect(now.status).toBe("READY_FOR_CODING");
    expect(now.physicianQueries[0].workItem).toEqual({ status: "READY", assignee: null });
  });

  it("sampled, no review queue taking it: a CONFLICT, still in coding; once one does, it completes", async () => {
    await given();
    const encounter = await claim(coder);
    const visit = [{ system: "CPT", code: "99213", units: 1, charge: "95.00", diagnosisPointers: [1] }];
    expect((await set(coder, encounter, dx("I10"), visit)).payload.userErrors).toEqual([]);
    // A new coder's work is always sampled; the review queue takes only inpatient stays for now.
    await setQueueEncounterTypes(org, "Coding review", ["INPATIENT"]);
    const refused = await api.gql(COMPLETE, { input: { encounterId: encounter.id } }, coder);
    expect(refused.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/sampled for review, but no CODING_REVIEW queue takes/),
        extensions: { code: "CONFLICT" },
      }),
    ]);
    const waiting = await read(encounter.id);
    expect(waiting).toMatchObject({ status: "CODING", codings: [] });
    expect(waiting.workItems).toEqual([
      { status: "ASSIGNED", queue: { kind: "CODING" }, assignee: { email: org.email("coder2") } },
    ]);

    await setQueueEncounterTypes(org, "Coding review", []);
    expect((await complete(coder, encounter)).encounter!.status).toBe("IN_REVIEW");
  });
});
