import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidOf } from "../../../src/shared/ids.js";
import { codes, rowIdOf, startApi, type TestApi, wsExecute } from "../../helpers/api.js";
import { givenCodedEncounter } from "../../helpers/encounters.js";
import { givenOrganization } from "../../helpers/organizations.js";

interface AuditRow {
  action: string;
  entity_type: string;
  entity_ids: string[];
  actor_user_id: string | null;
  request_id: string | null;
}

describe("audit log", () => {
  let api: TestApi;
  let coder: string;

  beforeAll(async () => {
    api = await startApi();
    coder = await api.signIn("coder3@demo.chartroom.test");
  });
  afterAll(() => api.close());

  const auditSince = async (id: bigint) =>
    api.database.rows<AuditRow>(
      sql`select action, entity_type, entity_ids::text[] as entity_ids, actor_user_id, request_id from audit_log
        where id > ${id} order by id`,
    );
  const lastAuditId = async () =>
    BigInt(
      (await api.database.rows<{ id: string | null }>(sql`select max(id)::text as id from audit_log`))[0]?.id ?? 0,
    );

  it("records which patients' demographics a coder read, once per request, naming them by id only", async () => {
    const before = await lastAuditId();
    const response = await api.gql(
      `{ encounters(first: 5) { edges { node { id patient { id firstName lastName birthDate } } } } }`,
      {},
      coder,
    );
    const patientIds = [
      ...new Set(
        response.data?.["encounters"].edges.map((e: { node: { patient: { id: string } } }) =>
          uuidOf(e.node.patient.id, "Patient"),
        ),
      ),
    ];

    const rows = await auditSince(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "patient.read", entity_type: "Patient" });
    expect([...rows[0]!.entity_ids].sort()).toEqual([...patientIds].sort());
    expect(rows[0]!.actor_user_id).toBeTruthy();
    expect(rows[0]!.request_id).toBeTruthy();
  });

  it("records reading clinical documentation, and nothing for a list without PHI", async () => {
    const before = await lastAuditId();
    await api.gql(`{ encounters(first: 3) { edges { node { id status serviceDate } } } }`, {}, coder);
    expect(await auditSince(before)).toEqual([]);

    const response = await api.gql(`{ encounters(first: 2) { edges { node { id documentation } } } }`, {}, coder);
    const ids = response.data?.["encounters"].edges.map((e: { node: { id: string } }) =>
      uuidOf(e.node.id, "Encounter"),
    );
    const rows = await auditSince(before);
    expect(rows.map((r) => r.action)).toEqual(["encounter.read"]);
    expect([...rows[0]!.entity_ids].sort()).toEqual([...ids].sort());
  });

  it("records every change with the change, and refuses to alter or remove an audit row", async () => {
    const biller = await api.signIn("biller1@demo.chartroom.test");
    const facilityId = (await api.gql(`{ facilities { id } }`, {}, biller)).data?.["facilities"][0].id;
    const before = await lastAuditId();
    const created = await api.gql(
      `mutation ($input: CreatePatientInput!) { createPatient(input: $input) { patient { id } userErrors { code } } }`,
      {
        input: { facilityId, mrn: "AUD-0001", firstName: "Iris", lastName: "Vale", birthDate: "1971-04-12", sex: "F" },
      },
      biller,
    );
    const patientId = uuidOf(created.data?.["createPatient"].patient.id, "Patient");
    const rows = await auditSince(before);
    expect(rows).toEqual([
      expect.objectContaining({ action: "patient.create", entity_type: "Patient", entity_ids: [patientId] }),
    ]);

    const refusedByTrigger = (error: { message: string; cause?: { message: string } }) =>
      /audit_log is append-only/.test(error.cause?.message ?? error.message);
    await expect(
      api.database.rows(sql`update audit_log set action = 'tampered' where id > ${before}`),
    ).rejects.toSatisfy(refusedByTrigger);
    await expect(api.database.rows(sql`delete from audit_log where id > ${before}`)).rejects.toSatisfy(
      refusedByTrigger,
    );
    await expect(api.database.rows(sql`truncate audit_log`)).rejects.toSatisfy(refusedByTrigger);
    expect(await auditSince(before)).toHaveLength(1);
  });

  it("records reading an encounter's codes (diagnoses, lines, edits, completions, history) as reading it", async () => {
    const org = await givenOrganization(api);
    const supervisor = await org.signIn("supervisor");
    const { encounter } = await givenCodedEncounter(org, "coder2", {
      codes: {
        diagnoses: [{ code: "I10" }],
        procedures: [{ system: "CPT", code: "99213", units: 1, charge: "95.00", diagnosisPointers: [1] }],
      },
    });

    const reads = {
      diagnoses: `diagnoses { sequence code { code } }`,
      procedures: `procedures { sequence units code { code } }`,
      edits: `edits { code message }`,
      codings: `codings { completedAt codes { diagnoses { code } procedures { code } } }`,
      codeHistory: `codeHistory { version after { diagnoses { code } } }`,
    };
    const encounterUuid = rowIdOf(encounter.id);
    for (const [field, selection] of Object.entries(reads)) {
      const mark = await lastAuditId();
      const response = await api.gql(
        `query ($id: ID!) { encounter(id: $id) { ${selection} } }`,
        { id: encounter.id },
        supervisor,
      );
      expect(response.data?.["encounter"][field], field).toBeDefined();
      const rows = await auditSince(mark);
      expect(rows, field).toEqual([
        expect.objectContaining({ action: "encounter.read", entity_type: "Encounter", entity_ids: [encounterUuid] }),
      ]);
      // Ids only: nothing of what was read (a code, a charge) is in the row.
      expect(JSON.stringify(rows), field).not.toMatch(/I10|99213|95\.00/);
    }
  });

  it("records PHI read over graphql-ws as over HTTP, and through node(id) on either", async () => {
    const client = api.ws({ authorization: `Bearer ${coder}` });
    const before = await lastAuditId();
    const listed = await wsExecute(
      client,
      `{ encounters(first: 3) { edges { node { id documentation patient { id lastName } } } } }`,
    );
    const edges: { node: { id: string; patient: { id: string } } }[] = listed.data?.["encounters"].edges;
    const rows = await auditSince(before);
    expect(rows.map((r) => r.action).sort()).toEqual(["encounter.read", "patient.read"]);
    const byAction = Object.fromEntries(rows.map((r) => [r.action, [...r.entity_ids].sort()]));
    expect(byAction["encounter.read"]).toEqual(edges.map((e) => uuidOf(e.node.id, "Encounter")).sort());
    expect(byAction["patient.read"]).toEqual(
      [...new Set(edges.map((e) => uuidOf(e.node.patient.id, "Patient")))].sort(),
    );
    expect(rows.every((r) => r.actor_user_id && r.request_id)).toBe(true);

    const patientId = edges[0]!.node.patient.id;
    const byNode = `query ($id: ID!) { node(id: $id) { ... on Patient { lastName birthDate } } }`;
    for (const read of [
      () => api.gql(byNode, { id: patientId }, coder),
      () => wsExecute(client, byNode, { id: patientId }),
    ]) {
      const mark = await lastAuditId();
      expect((await read()).data?.["node"].lastName).toBeTruthy();
      expect(await auditSince(mark)).toEqual([
        expect.objectContaining({ action: "patient.read", entity_ids: [uuidOf(patientId, "Patient")] }),
      ]);
    }
  });

  it("withholds PHI whose audit row cannot be written, over HTTP and graphql-ws alike", async () => {
    const client = api.ws({ authorization: `Bearer ${coder}` });
    const query = `{ encounters(first: 2) { edges { node { documentation patient { lastName } } } } }`;
    expect((await wsExecute(client, query)).data?.["encounters"].edges).toHaveLength(2);

    await api.database.rows(
      sql`create function test_refuse_audit() returns trigger language plpgsql as $$ begin raise exception
        'audit store down'; end $$`,
    );
    await api.database.rows(
      sql`create trigger test_refuse_audit before
        insert on audit_log for each row execute function test_refuse_audit()`,
    );
    try {
      const overHttp = await api.gql(query, {}, coder);
      expect(overHttp.status).toBe(500);
      expect(overHttp.data).toBeUndefined();
      expect(codes(overHttp)).toEqual(["INTERNAL_SERVER_ERROR"]);

      const overWs = await wsExecute(client, query);
      expect(overWs.data).toBeUndefined();
      expect(codes(overWs)).toEqual(["INTERNAL_SERVER_ERROR"]);
    } finally {
      await api.database.rows(sql`drop trigger test_refuse_audit on audit_log`);
    }
  });

  it("records a search as a disclosure of every patient it matched, even when only totalCount is asked", async () => {
    const everyone = await api.gql(`{ patients(first: 100) { edges { node { id } } } }`, {}, coder);
    const before = await lastAuditId();
    const counted = await api.gql(`{ patients(filter: { search: "ma" }) { totalCount } }`, {}, coder);
    const total: number = counted.data?.["patients"].totalCount;
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(everyone.data?.["patients"].edges.length);

    const rows = await auditSince(before);
    expect(rows).toEqual([expect.objectContaining({ action: "patient.search", entity_type: "Patient" })]);
    expect(rows[0]!.entity_ids).toHaveLength(total);

    const listed = await api.gql(
      `{ patients(first: 100, filter: { search: "ma" }) { edges { node { id } } } }`,
      {},
      coder,
    );
    const ids = listed.data?.["patients"].edges.map((e: { node: { id: string } }) => uuidOf(e.node.id, "Patient"));
    expect([...rows[0]!.entity_ids].sort()).toEqual([...ids].sort());
  });
});
