import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { write277ca } from "../../../src/modules/claims/index.js";
import { write835 } from "../../../src/modules/remittance/index.js";
import { codes, startApi, type TestApi } from "../../helpers/api.js";
import {
  givenClaimStoppedThenReady,
  givenReadyClaim,
  type ReadyClaim,
  type SubmittedBatch,
} from "../../helpers/claims.js";
import { VISIT_WITH_URINALYSIS } from "../../helpers/encounters.js";
import { givenOrganization, givenUser, type Organization } from "../../helpers/organizations.js";

const DAY_MS = 86_400_000;
/** The UTC date `days` days before today, as the reports count days. */
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
const today = daysAgo(0);

const BUCKETS = "buckets { from to claimCount balance }";
const LINE = `claimCount balance ${BUCKETS} notSubmittedCount notSubmittedBalance`;
const AGING = `query ($basis: AgingBasis!) { arAging(basis: $basis) { asOf basis total { ${LINE} }
  byPayer { payer { name } claimCount balance } byFacility { facility { name } claimCount balance } } }`;
const DAYS_IN_AR = `{ daysInAr { asOf periodDays balance charges averageDailyCharges daysInAr } }`;
const DENIALS = `query ($from: Date!, $to: Date!) { denialRates(from: $from, to: $to) {
  total { adjudicatedClaims deniedClaims denialRate deniedAmount }
  byPayer { payer { name } adjudicatedClaims deniedClaims denialRate deniedAmount }
  byCategory { category deniedClaims denialRate deniedAmount }
  byReason { reasonCode reason deniedClaims deniedAmount } } }`;
const QUALITY = `query ($from: Date!, $to: Date!) { claimQuality(from: $from, to: $to) {
  readied clean cleanClaimRate acknowledged acceptedFirst firstPassAcceptanceRate } }`;
const COLLECTION = `query ($from: Date!, $to: Date!) { netCollection(from: $from, to: $to) {
  charges payments contractual netCollectionRate } }`;
const STATUS_TOTALS = `{ claimStatusTotals { status claimCount totalCharge paidAmount adjustedAmount
  patientResponsibility balance } }`;
const POST = `mutation ($input: PostRemittanceInput!) { postRemittance(input: $input) {
  userErrors { code message } } }`;
const IMPORT = `mutation ($input: ImportAcknowledgementInput!) { importAcknowledgement(input: $input) {
  userErrors { code message } } }`;

/** The empty aging buckets with the figures given for some, by their first day. */
const buckets = (filled: Record<number, [number, string]>) =>
  [
    [0, 30],
    [31, 60],
    [61, 90],
    [91, 120],
    [121, null],
  ].map(([from, to]) => {
    const [claimCount, balance] = filled[from!] ?? [0, "0.00"];
    return { from, to, claimCount, balance };
  });

describe("reports: a supervisor reads A/R, denials and collections", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  /**
   * A month of Northgate's billing, every figure chosen: five clinic visits (Buckeye Mutual, 130.00 each) seen 10,
   * 45, 75, 100 and 150 days ago and a hospital visit (Medicare) 40 days ago, sent together; the clearinghouse
   * accepts all but the 100-day one; the payer pays the first with coinsurance (later reversed and paid again at a
   * higher rate), denies the second's urinalysis as not medically necessary and the third as coverage ended. One more
   * clinic visit, 20 days ago, stopped by the scrubber before it was fixed, waits READY.
   */
  async function givenBillingMonth(org: Organization) {
    const biller = await org.signIn("biller1");
    const clinic: ReadyClaim[] = [];
    for (const days of [10, 45, 75, 100, 150])
      clinic.push(await givenReadyClaim(org, { codes: VISIT_WITH_URINALYSIS, serviceDate: daysAgo(days) }));
    const hospital = await givenReadyClaim(org, {
      at: "hospital",
      codes: VISIT_WITH_URINALYSIS,
      serviceDate: daysAgo(40),
    });
    const submitted = await api.gql(
      `mutation ($input: SubmitClaimsInput!) { submitClaims(input: $input) {
        batches { x12 payer { name } } userErrors { code } } }`,
      { input: { claimIds: [...clinic, hospital].map((claim) => claim.id) } },
      biller,
    );
    expect(submitted.data!["submitClaims"].userErrors).toEqual([]);
    const batches: (SubmittedBatch & { payer: { name: string } })[] = submitted.data!["submitClaims"].batches;
    const clinicBatch = batches.find((batch) => batch.payer.name === "Buckeye Mutual Health")!.x12;
    const hospitalBatch = batches.find((batch) => batch.payer.name === "Medicare Part B (Ohio)")!.x12;
    const [paid, partly, denied, rejected] = clinic.map((claim) => claim.patientControlNumber) as string[];

    const accept = (pcn: string) => [pcn, { accept: true as const, payerClaimControlNumber: `P${pcn}` }];
    for (const [x12, control] of [
      [
        write277ca(
          clinicBatch,
          Object.fromEntries([accept(paid!), accept(partly!), accept(denied!), [rejected!, { accept: false }]]),
          9002,
        ),
        9002,
      ],
      [write277ca(hospitalBatch, Object.fromEntries([accept(hospital.patientControlNumber)]), 9003), 9003],
    ] as const) {
      const imported = await api.gql(IMPORT, { input: { x12 } }, biller);
      expect(imported.data!["importAcknowledgement"].userErrors, `277CA ${control}`).toEqual([]);
    }

    const coinsurance = { reason: "2", amount: "20.00" } as const;
    for (const x12 of [
      write835(
        clinicBatch,
        {
          [paid!]: { pay: true, patient: coinsurance },
          [partly!]: { pay: true, deniedLines: { lineNumbers: [2], reason: "50" } },
          [denied!]: { pay: false, reason: "27" },
        },
        { traceNumber: "EFT1" },
      ),
      write835(
        clinicBatch,
        {
          [paid!]: {
            reverse: { pay: true, patient: coinsurance },
            correction: { pay: true, allowedPercent: 90, patient: coinsurance },
          },
        },
        { traceNumber: "EFT2", control: 8002 },
      ),
    ]) {
      const posted = await api.gql(POST, { input: { x12 } }, biller);
      expect(posted.data!["postRemittance"].userErrors).toEqual([]);
    }

    // The last visit: a line of zero units stops it (NEEDS_REVIEW) until the biller puts one back.
    await givenClaimStoppedThenReady(org, { serviceDate: daysAgo(20) });
  }

  it("reads A/R aging, days in A/R, denial rates, clean claims, net collection and status totals exactly", async () => {
    const org = await givenOrganization(api);
    await givenBillingMonth(org);
    const supervisor = await org.signIn("supervisor");
    const read = async (query: string, variables: Record<string, unknown> = {}) => {
      const result = await api.gql(query, variables, supervisor);
      expect(result.errors).toBeUndefined();
      return Object.values(result.data!)[0] as Record<string, unknown>;
    };

    // Open: the paid visit's coinsurance (20.00, 10 days), the READY one (20 days), the hospital's (40), the
    // denied urinalysis of the partly denied visit (20.00, 45 days), the denied visit (75), the rejected (100) and
    // the unanswered (150): a denied amount stays owed until a biller appeals, corrects or writes it off.
    expect(await read(AGING, { basis: "SERVICE_DATE" })).toEqual({
      asOf: today,
      basis: "SERVICE_DATE",
      total: {
        claimCount: 7,
        balance: "690.00",
        buckets: buckets({
          0: [2, "150.00"],
          31: [2, "150.00"],
          61: [1, "130.00"],
          91: [1, "130.00"],
          121: [1, "130.00"],
        }),
        notSubmittedCount: 0,
        notSubmittedBalance: "0.00",
      },
      byPayer: [
        { payer: { name: "Buckeye Mutual Health" }, claimCount: 6, balance: "560.00" },
        { payer: { name: "Medicare Part B (Ohio)" }, claimCount: 1, balance: "130.00" },
      ],
      byFacility: [
        { facility: { name: org.sites.clinic.name }, claimCount: 6, balance: "560.00" },
        { facility: { name: org.sites.hospital.name }, claimCount: 1, balance: "130.00" },
      ],
    });
    // Every claim sent went out today; the READY one was never sent.
    const bySubmission = await read(AGING, { basis: "SUBMISSION_DATE" });
    expect(bySubmission["total"]).toEqual({
      claimCount: 7,
      balance: "690.00",
      buckets: buckets({ 0: [6, "560.00"] }),
      notSubmittedCount: 1,
      notSubmittedBalance: "130.00",
    });

    // Charges of the last 90 days: the visits of 10, 20, 40, 45 and 75 days ago, 650.00; 690.00 is 95.54 days of them.
    const days = await read(DAYS_IN_AR);
    expect(days).toMatchObject({
      asOf: today,
      periodDays: 90,
      balance: "690.00",
      charges: "650.00",
      averageDailyCharges: "7.22",
    });
    expect(days["daysInAr"]).toBeCloseTo((690 * 90) / 650, 9);

    // Three claims adjudicated today (the reversed payment no longer counts; its correction does), two denied.
    const range = { from: daysAgo(1), to: today };
    expect(await read(DENIALS, range)).toEqual({
      total: { adjudicatedClaims: 3, deniedClaims: 2, denialRate: 2 / 3, deniedAmount: "150.00" },
      byPayer: [
        {
          payer: { name: "Buckeye Mutual Health" },
          adjudicatedClaims: 3,
          deniedClaims: 2,
          denialRate: 2 / 3,
          deniedAmount: "150.00",
        },
      ],
      byCategory: [
        { category: "ELIGIBILITY", deniedClaims: 1, denialRate: 1 / 3, deniedAmount: "130.00" },
        { category: "MEDICAL_NECESSITY", deniedClaims: 1, denialRate: 1 / 3, deniedAmount: "20.00" },
      ],
      byReason: [
        {
          reasonCode: "27",
          reason: expect.stringMatching(/^Expenses incurred after/),
          deniedClaims: 1,
          deniedAmount: "130.00",
        },
        {
          reasonCode: "50",
          reason: expect.stringMatching(/medical necessity/),
          deniedClaims: 1,
          deniedAmount: "20.00",
        },
      ],
    });
    const lastMonth = { from: daysAgo(40), to: daysAgo(2) };
    expect((await read(DENIALS, lastMonth))["total"]).toEqual({
      adjudicatedClaims: 0,
      deniedClaims: 0,
      denialRate: null,
      deniedAmount: "0.00",
    });

    // Seven claims became READY today, one after ERROR edits; five were acknowledged, one rejected.
    expect(await read(QUALITY, range)).toEqual({
      readied: 7,
      clean: 6,
      cleanClaimRate: 6 / 7,
      acknowledged: 5,
      acceptedFirst: 4,
      firstPassAcceptanceRate: 4 / 5,
    });

    // Charges 130 × 3, then −130 and +130 (the reversal and its correction); paid 84 + 88 + 0 − 84 + 97;
    // contractual CO-45 26 + 22 − 26 + 13 (the CO-50 and CO-27 denials are not contractual).
    expect(await read(COLLECTION, range)).toEqual({
      charges: "390.00",
      payments: "185.00",
      contractual: "35.00",
      netCollectionRate: 185 / 355,
    });

    const claim = (status: string, paid: string, adjusted: string, patient: string, balance: string) => ({
      status,
      claimCount: 1,
      totalCharge: "130.00",
      paidAmount: paid,
      adjustedAmount: adjusted,
      patientResponsibility: patient,
      balance,
    });
    expect(await read(STATUS_TOTALS)).toEqual([
      claim("READY", "0.00", "0.00", "0.00", "130.00"),
      claim("SUBMITTED", "0.00", "0.00", "0.00", "130.00"),
      claim("ACCEPTED", "0.00", "0.00", "0.00", "130.00"),
      claim("REJECTED", "0.00", "0.00", "0.00", "130.00"),
      claim("PAID", "97.00", "13.00", "20.00", "20.00"),
      claim("PARTIALLY_PAID", "88.00", "22.00", "0.00", "20.00"),
      claim("DENIED", "0.00", "0.00", "0.00", "130.00"),
    ]);
  });

  it("a supervisor of the clinic alone sees the clinic's claims; a biller may not read reports", async () => {
    const org = await givenOrganization(api);
    await givenBillingMonth(org);
    await givenUser(org, "clinic-supervisor", { roles: ["SUPERVISOR"], sites: ["clinic"] });
    const clinicSupervisor = await org.signIn("clinic-supervisor");

    const aging = (await api.gql(AGING, { basis: "SERVICE_DATE" }, clinicSupervisor)).data!["arAging"];
    expect(aging.total).toMatchObject({
      claimCount: 6,
      balance: "560.00",
      buckets: buckets({
        0: [2, "150.00"],
        31: [1, "20.00"],
        61: [1, "130.00"],
        91: [1, "130.00"],
        121: [1, "130.00"],
      }),
    });
    expect(aging.byFacility).toEqual([{ facility: { name: org.sites.clinic.name }, claimCount: 6, balance: "560.00" }]);
    expect(aging.byPayer).toEqual([{ payer: { name: "Buckeye Mutual Health" }, claimCount: 6, balance: "560.00" }]);
    const quality = (await api.gql(QUALITY, { from: today, to: today }, clinicSupervisor)).data!["claimQuality"];
    expect(quality).toMatchObject({ readied: 6, clean: 5, acknowledged: 4, acceptedFirst: 3 });
    const totals = (await api.gql(STATUS_TOTALS, {}, clinicSupervisor)).data!["claimStatusTotals"];
    expect(totals.map((row: { status: string }) => row.status)).not.toContain("ACCEPTED");

    const biller = await org.signIn("biller1");
    for (const [query, variables] of [
      [AGING, { basis: "SERVICE_DATE" }],
      [DAYS_IN_AR, {}],
      [DENIALS, { from: today, to: today }],
      [QUALITY, { from: today, to: today }],
      [COLLECTION, { from: today, to: today }],
      [STATUS_TOTALS, {}],
    ] as const)
      expect(codes(await api.gql(query, variables, biller)), query).toEqual(["FORBIDDEN"]);

    const admin = await org.signIn("admin");
    const backwards = await api.gql(DENIALS, { from: today, to: daysAgo(1) }, admin);
    expect(codes(backwards)).toEqual(["BAD_USER_INPUT"]);
    const tooLong = await api.gql(COLLECTION, { from: daysAgo(400), to: today }, admin);
    expect(codes(tooLong)).toEqual(["BAD_USER_INPUT"]);
  });
});
