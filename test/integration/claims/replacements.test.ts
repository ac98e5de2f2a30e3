import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codes, startApi, type TestApi } from "../../helpers/api.js";
import { givenAcceptedClaim, withoutTableAge } from "../../helpers/claims.js";
import { givenBilledEncounter } from "../../helpers/encounters.js";
import { givenOrganization } from "../../helpers/organizations.js";

const CLAIM = `id status version frequencyCode payerClaimControlNumber patientControlNumber totalCharge
  replaces { id } lines { lineNumber lineControlNumber code charge } issues { code }`;
const REPLACE = `mutation ($input: ClaimRefInput!) { createReplacementClaim(input: $input) {
  claim { ${CLAIM} } userErrors { code } } }`;
const VOID = `mutation ($input: ClaimRefInput!) { voidClaim(input: $input) {
  claim { ${CLAIM} } userErrors { code } } }`;
const READ = `query ($id: ID!) { claim(id: $id) { status corrections { id frequencyCode }
  statusHistory { fromStatus toStatus reason } } }`;

describe("corrections of a claim the payer has: a replacement (7) and a void (8)", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it("an accepted claim is replaced: payer's number, original's lines, linked both ways; a second waits", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const claim = await givenAcceptedClaim(org, "PCN2026110400123");

    const replacement = (await api.gql(REPLACE, { input: { claimId: claim.id } }, biller)).data![
      "createReplacementClaim"
    ];
    expect(replacement.userErrors).toEqual([]);
    expect(withoutTableAge(replacement.claim)).toMatchObject({
      status: "DRAFT",
      frequencyCode: "7",
      payerClaimControlNumber: "PCN2026110400123",
      totalCharge: "110.00",
      replaces: { id: claim.id },
      issues: [],
    });
    const pcn = replacement.claim.patientControlNumber;
    expect(replacement.claim.lines).toEqual([
      { lineNumber: 1, lineControlNumber: `${pcn}-1`, code: "99213", charge: "110.00" },
    ]);

    const original = (await api.gql(READ, { id: claim.id }, biller)).data!["claim"];
    expect(original.status).toBe("ACCEPTED");
    expect(original.corrections).toEqual([{ id: replacement.claim.id, frequencyCode: "7" }]);
    expect(original.statusHistory.at(-1)).toEqual({
      fromStatus: "ACCEPTED",
      toStatus: "ACCEPTED",
      reason: `Replacement claim ${pcn} created.`,
    });

    const again = await api.gql(VOID, { input: { claimId: claim.id } }, biller);
    expect(codes(again)).toEqual(["CONFLICT"]);
    expect(again.errors![0]!.message).toContain(pcn);
  });

  it("a biller voids an accepted claim: the void carries the payer's number and the original is VOID", async () => {
    const org = await givenOrganization(api);
    const biller = await org.signIn("biller1");
    const claim = await givenAcceptedClaim(org, "PCN2026110400456");

    const voiding = (await api.gql(VOID, { input: { claimId: claim.id } }, biller)).data!["voidClaim"];
    expect(voiding.claim).toMatchObject({
      status: "DRAFT",
      frequencyCode: "8",
      payerClaimControlNumber: "PCN2026110400456",
      replaces: { id: claim.id },
    });
    const original = (await api.gql(READ, { id: claim.id }, biller)).data!["claim"];
    expect(original.status).toBe("VOID");
    expect(original.statusHistory.at(-1)).toMatchObject({ fromStatus: "ACCEPTED", toStatus: "VOID" });
  });

  it("a claim the payer does not have is corrected in place, not replaced; coders may not correct it", async () => {
    const org = await givenOrganization(api);
    const { claim } = await givenBilledEncounter(org, "coder3");
    const early = await api.gql(REPLACE, { input: { claimId: claim!.id } }, await org.signIn("biller1"));
    expect(codes(early)).toEqual(["CONFLICT"]);
    expect(early.errors![0]!.message).toMatch(/DRAFT/);
    const coder = await api.gql(VOID, { input: { claimId: claim!.id } }, await org.signIn("coder3"));
    expect(codes(coder)).toEqual(["FORBIDDEN"]);
    const read = (await api.gql(READ, { id: claim!.id }, await org.signIn("biller1"))).data!["claim"];
    expect(read).toMatchObject({ status: "DRAFT", corrections: [] });
  });
});
