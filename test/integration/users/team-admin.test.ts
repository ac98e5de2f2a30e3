import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, rowIdOf, startApi, type TestApi } from "../../helpers/api.js";
import { givenClaimedEncounter } from "../../helpers/encounters.js";
import { givenOrganization, givenUser, type Organization } from "../../helpers/organizations.js";

const USERS = `query ($filter: UserFilter, $first: Int, $after: String) {
  users(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id name email roles credentials active openWorkCount facilities { name } } } } }`;
const CREATE = `mutation ($input: CreateUserInput!) { createUser(input: $input) {
  user { id email roles credentials active facilities { name } } initialPassword userErrors { code field } } }`;
const result = `user { id roles credentials active facilities { name } } userErrors { code field }`;
const SET_ROLES = `mutation ($input: SetUserRolesInput!) { setUserRoles(input: $input) { ${result} } }`;
const SET_CREDENTIALS = `mutation ($input: SetUserCredentialsInput!) {
  setUserCredentials(input: $input) { ${result} } }`;
const SET_FACILITIES = `mutation ($input: SetUserFacilitiesInput!) { setUserFacilities(input: $input) { ${result} } }`;
const DEACTIVATE = `mutation ($input: UserRefInput!) { deactivateUser(input: $input) { ${result} } }`;
const REACTIVATE = `mutation ($input: UserRefInput!) { reactivateUser(input: $input) { ${result} } }`;
const CHANGE_PASSWORD = `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) {
  token user { email } userErrors { code field } } }`;
const LOGIN = `mutation ($email: String!, $password: String!) { login(input: { email: $email, password: $password }) {
  token userErrors { code } } }`;
const VIEWER = `{ viewer { email } }`;

describe("team administration", () => {
  let api: TestApi;
  let org: Organization;
  let admin: string;

  beforeAll(async () => {
    api = await startApi();
    org = await givenOrganization(api, "Team Admin Health");
    admin = await org.signIn("admin");
  });
  afterAll(() => api.close());

  const names = (response: { data?: Record<string, any> | null }) =>
    response.data?.["users"].edges.map((edge: any) => edge.node.name);

  // Listing stories count the staff: each has an organization of its own, which no other story adds users to.
  it("a supervisor lists who to assign to: coders of a facility, with how much open work each holds", async () => {
    const org = await givenOrganization(api, "Team Admin Health");
    const [admin, supervisor] = [await org.signIn("admin"), await org.signIn("supervisor")];
    await givenClaimedEncounter(org, "coder2");
    const listed = await api.gql(
      USERS,
      { filter: { roles: ["CODER"], facilityId: org.sites.clinic.id, active: true } },
      supervisor,
    );
    expect(listed.errors).toBeUndefined();
    expect(names(listed)).toEqual(["coder2", "coder3"]);
    const [coder2, coder3] = listed.data?.["users"].edges.map((edge: any) => edge.node) ?? [];
    expect(coder2).toMatchObject({ email: org.email("coder2"), roles: ["CODER"], credentials: ["CPC"], active: true });
    expect(coder2.facilities).toEqual([{ name: "Team Admin Health Family Medicine" }]);
    expect(coder2.openWorkCount).toBe(1);
    expect(coder3.openWorkCount).toBe(0);

    const searched = await api.gql(USERS, { filter: { search: "BILLER" } }, supervisor);
    expect(names(searched)).toEqual(["biller1", "biller2"]);

    const page = await api.gql(USERS, { first: 3 }, admin);
    expect(page.data?.["users"]).toMatchObject({ totalCount: 8, pageInfo: { hasNextPage: true } });
    const next = await api.gql(USERS, { first: 10, after: page.data?.["users"].pageInfo.endCursor }, admin);
    expect([...names(page), ...names(next)]).toEqual([
      ...["admin", "auditor", "biller1", "biller2", "coder1", "coder2", "coder3", "supervisor"],
    ]);
  });

  it("counts the open work of many users in one query, not one per user", async () => {
    const COUNTS = `query ($first: Int) { users(first: $first) { edges { node { name openWorkCount } } } }`;
    // A token's first request verifies it (a statement the next ones skip): compare two requests after it.
    await api.gql(COUNTS, { first: 1 }, admin);
    const { statements } = await api.fewestStatements(() => api.gql(COUNTS, { first: 20 }, admin));
    const fewer = await api.fewestStatements(() => api.gql(COUNTS, { first: 2 }, admin));
    expect(statements).toBe(fewer.statements);
  });

  it("a supervisor sees only the users of their facilities; coders and billers may not list users", async () => {
    const org = await givenOrganization(api, "Team Admin Health");
    await givenUser(org, "clinic-supervisor", { roles: ["SUPERVISOR"], sites: ["clinic"] });
    const clinicOnly = await org.signIn("clinic-supervisor");
    const seen = names(await api.gql(USERS, { filter: { roles: ["CODER"] } }, clinicOnly));
    expect(seen).toEqual(["coder2", "coder3"]);
    for (const login of ["coder1", "biller1"]) {
      expect(codes(await api.gql(USERS, {}, await org.signIn(login)))).toEqual(["FORBIDDEN"]);
    }
    const supervisor = await org.signIn("supervisor");
    expect(codes(await api.gql(DEACTIVATE, { input: { userId: org.userId("coder1") } }, supervisor))).toEqual([
      "FORBIDDEN",
    ]);
  });

  it("an administrator invites a user, who signs in with the generated password; every change is audited", async () => {
    const email = "Nadia.Okafor@team-admin.chartroom.test";
    const created = await api.gql(
      CREATE,
      {
        input: {
          email,
          name: "Nadia Okafor",
          roles: ["CODER"],
          credentials: ["cpc"],
          facilityIds: [org.sites.clinic.id],
        },
      },
      admin,
    );
    const payload = created.data?.["createUser"];
    expect(payload.userErrors).toEqual([]);
    expect(payload.user).toMatchObject({
      email: email.toLowerCase(),
      roles: ["CODER"],
      credentials: ["CPC"],
      active: true,
      facilities: [{ name: "Team Admin Health Family Medicine" }],
    });
    const signedIn = await api.gql(LOGIN, { email, password: payload.initialPassword });
    expect(signedIn.data?.["login"].token).toEqual(expect.any(String));

    const userId = payload.user.id;
    const roles = await api.gql(SET_ROLES, { input: { userId, roles: ["CODER", "AUDITOR"] } }, admin);
    expect(roles.data?.["setUserRoles"].user.roles).toEqual(["CODER", "AUDITOR"]);
    const credentials = await api.gql(SET_CREDENTIALS, { input: { userId, credentials: ["CCS", "CPC"] } }, admin);
    expect(credentials.data?.["setUserCredentials"].user.credentials).toEqual(["CCS", "CPC"]);
    const facilities = await api.gql(
      SET_FACILITIES,
      { input: { userId, facilityIds: [org.sites.hospital.id, org.sites.clinic.id] } },
      admin,
    );
    expect(facilities.data?.["setUserFacilities"].user.facilities).toHaveLength(2);

    const audited = await api.database.rows<{ action: string }>(
      sql`select action from audit_log where ${rowIdOf(userId)} = any(entity_ids) and entity_type = 'User'
          and action like 'user.%' order by id`,
    );
    expect(audited.map((row) => row.action)).toEqual([
      "user.create",
      "user.roles.set",
      "user.credentials.set",
      "user.facilities.set",
    ]);
  });

  it("refuses an e-mail already taken, a facility of another organization, and no role", async () => {
    const other = await givenOrganization(api, "Elsewhere Clinic");
    const refused = await api.gql(
      CREATE,
      { input: { email: org.email("coder1"), name: "Twin", roles: [], facilityIds: [other.sites.clinic.id] } },
      admin,
    );
    expect(refused.data?.["createUser"].userErrors.map((e: any) => e.code).sort()).toEqual([
      "ROLES_REQUIRED",
      "UNKNOWN_FACILITY",
    ]);
    const taken = await api.gql(
      CREATE,
      { input: { email: org.email("coder1"), name: "Twin", roles: ["CODER"] } },
      admin,
    );
    expect(taken.data?.["createUser"].userErrors).toEqual([{ code: "EMAIL_TAKEN", field: ["email"] }]);
    const unknownRole = await api.gql(CREATE, { input: { email: "x@y.test", name: "X", roles: ["JANITOR"] } }, admin);
    expect(codes(unknownRole)).toEqual(["BAD_USER_INPUT"]);
  });

  it("a deactivated user's sessions end; reactivated, they sign in again but old tokens stay refused", async () => {
    await givenUser(org, "leaver", { roles: ["CODER"], sites: ["clinic"] });
    const token = await org.signIn("leaver");
    expect(codes(await api.gql(VIEWER, {}, token))).toEqual([]);
    const deactivated = await api.gql(DEACTIVATE, { input: { userId: org.userId("leaver") } }, admin);
    expect(deactivated.data?.["deactivateUser"].user.active).toBe(false);
    expect(codes(await api.gql(VIEWER, {}, token))).toEqual(["UNAUTHENTICATED"]);
    const refused = await api.gql(LOGIN, { email: org.email("leaver"), password: "chartroom-demo" });
    expect(refused.data?.["login"].userErrors).toEqual([{ code: "INVALID_CREDENTIALS" }]);
    const inactive = await api.gql(USERS, { filter: { active: false } }, admin);
    expect(names(inactive)).toEqual(["leaver"]);

    await api.gql(REACTIVATE, { input: { userId: org.userId("leaver") } }, admin);
    const again = await api.gql(LOGIN, { email: org.email("leaver"), password: "chartroom-demo" });
    expect(codes(await api.gql(VIEWER, {}, again.data?.["login"].token))).toEqual([]);
    expect(codes(await api.gql(VIEWER, {}, token))).toEqual(["UNAUTHENTICATED"]);
  });

  it("the last active administrator can neither deactivate themselves nor give up ADMIN", async () => {
    const self = org.userId("admin");
    const deactivated = await api.gql(DEACTIVATE, { input: { userId: self } }, admin);
    expect(deactivated.data?.["deactivateUser"].userErrors).toEqual([{ code: "LAST_ADMIN", field: ["userId"] }]);
    const demoted = await api.gql(SET_ROLES, { input: { userId: self, roles: ["SUPERVISOR"] } }, admin);
    expect(demoted.data?.["setUserRoles"].userErrors).toEqual([{ code: "LAST_ADMIN", field: ["userId"] }]);
    expect(codes(await api.gql(VIEWER, {}, admin))).toEqual([]);
  });

  it("a user changes their password: the old one is required, and sessions from before it end", async () => {
    await givenUser(org, "changer", { roles: ["BILLER"], sites: ["clinic"] });
    const [first, second] = await api.signIn(org.email("changer"), 2);
    const wrong = await api.gql(
      CHANGE_PASSWORD,
      { input: { currentPassword: "not-my-password", newPassword: "a-much-longer-passphrase" } },
      first,
    );
    expect(wrong.data?.["changePassword"].userErrors).toEqual([
      { code: "INVALID_CREDENTIALS", field: ["currentPassword"] },
    ]);
    const short = await api.gql(
      CHANGE_PASSWORD,
      { input: { currentPassword: "chartroom-demo", newPassword: "short" } },
      first,
    );
    expect(short.data?.["changePassword"].userErrors).toEqual([{ code: "PASSWORD_TOO_SHORT", field: ["newPassword"] }]);
    const changed = await api.gql(
      CHANGE_PASSWORD,
      { input: { currentPassword: "chartroom-demo", newPassword: "a-much-longer-passphrase" } },
      first,
    );
    expect(changed.data?.["changePassword"].userErrors).toEqual([]);
    for (const old of [first, second]) expect(codes(await api.gql(VIEWER, {}, old))).toEqual(["UNAUTHENTICATED"]);
    expect(codes(await api.gql(VIEWER, {}, changed.data?.["changePassword"].token))).toEqual([]);
    const signedIn = await api.gql(LOGIN, { email: org.email("changer"), password: "a-much-longer-passphrase" });
    expect(signedIn.data?.["login"].token).toEqual(expect.any(String));
  });
});
