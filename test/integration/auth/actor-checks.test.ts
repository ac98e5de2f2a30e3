import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActorCache } from "../../../src/modules/auth/actor-cache.js";
import { startApi, type TestApi } from "../../helpers/api.js";
import { deactivateUser, openFacility } from "../../helpers/behind-the-api.js";
import { givenOrganization, givenUser, type Organization } from "../../helpers/organizations.js";

/*
 * Every request, operation and delivery authenticates its caller through the ActorCache. The checks
 * asked for together (an event handed to many subscribers at once) are answered together, each caller
 * as they are now; what the cache remembers of a user is dropped when the database announces a change
 * to them, whoever made it.
 */
describe("callers checked again together", () => {
  let api: TestApi;
  let org: Organization;

  beforeAll(async () => {
    api = await startApi();
    org = await givenOrganization(api, "Actor Checks Health");
  });
  afterAll(() => api.close());

  const cacheFor = (maxAgeMs: number) => new ActorCache(api.database, api.server.services.tokens, maxAgeMs);

  it("answers each token of a batch as its user is now: active, deactivated, or not a token at all", async () => {
    const [coder2, coder3, biller1] = [
      await org.signIn("coder2"),
      await org.signIn("coder3"),
      await org.signIn("biller1"),
    ];
    await deactivateUser(api.database, org.email("biller1"));
    const cache = cacheFor(1_000);
    const answers = await Promise.all(
      [coder2, coder3, biller1, "not-a-token"].map((token) => cache.authenticate(token)),
    );
    expect(answers.map((a) => a.actor?.email ?? a.failure?.code)).toEqual([
      org.email("coder2"),
      org.email("coder3"),
      "UNAUTHENTICATED",
      "UNAUTHENTICATED",
    ]);
    expect(answers[1]?.actor?.credentials).toEqual(["CPC"]);
  });

  it("a token asked for again while its check still waits keeps its place: every caller is answered", async () => {
    const coder3 = await org.signIn("coder3");
    // Nothing is remembered: each ask finds no fresh answer, as when a busy loop outlasts the cache.
    const cache = cacheFor(0);
    const answers = await Promise.all([cache.authenticate(coder3), cache.authenticate(coder3)]);
    expect(answers.map((a) => a.actor?.email)).toEqual([org.email("coder3"), org.email("coder3")]);
  });

  it("a user deactivated from a database console is refused at once, by a cache keeping answers a minute", async () => {
    const coder2 = await org.signIn("coder2");
    const cache = cacheFor(60_000);
    await cache.start();
    try {
      expect((await cache.authenticate(coder2)).actor?.email).toBe(org.email("coder2"));
      const reactivate = await deactivateUser(api.database, org.email("coder2"));
      try {
        expect((await cache.authenticate(coder2)).failure?.code).toBe("UNAUTHENTICATED");
      } finally {
        await reactivate();
      }
      expect((await cache.authenticate(coder2)).actor?.email).toBe(org.email("coder2"));
    } finally {
      await cache.stop();
    }
  });

  it("an administrator takes a facility from a coder: the coder's next request no longer sees it", async () => {
    await givenUser(org, "moving", { roles: ["CODER"], credentials: ["CPC"], sites: ["clinic", "hospital"] });
    const [moving, admin] = [await org.signIn("moving"), await org.signIn("admin")];
    const hospitalPatient = async () =>
      (await api.gql(`query ($id: ID!) { node(id: $id) { id } }`, { id: org.sites.hospital.patientId }, moving)).data?.[
        "node"
      ] ?? null;
    expect(await hospitalPatient()).toEqual({ id: org.sites.hospital.patientId });
    const set = await api.gql(
      `mutation ($input: SetUserFacilitiesInput!) { setUserFacilities(input: $input) { userErrors { code } } }`,
      { input: { userId: org.userId("moving"), facilityIds: [org.sites.clinic.id] } },
      admin,
    );
    expect(set.data?.["setUserFacilities"].userErrors).toEqual([]);
    expect(await hospitalPatient()).toBeNull();
  });

  it("an administrator sees a facility opened from a database console at their next request", async () => {
    const admin = await org.signIn("admin");
    const facilityNames = async () =>
      (await api.gql(`{ viewer { facilities { name } } }`, {}, admin)).data?.["viewer"].facilities.map(
        (facility: { name: string }) => facility.name,
      );
    expect(await facilityNames()).not.toContain("Riverbend Harbor Clinic");
    await openFacility(org, "Riverbend Harbor Clinic");
    expect(await facilityNames()).toContain("Riverbend Harbor Clinic");
  });
});
