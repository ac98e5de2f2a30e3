import { and, asc, eq, gte, isNull, lte, ne, or } from "drizzle-orm";
import type { Database } from "../src/db/client.js";
import { claimLines, claims, coverages, encounters, facilities, payers } from "../src/db/schema/index.js";
import { scrub } from "../src/modules/claims/claim.scrubber.js";
import { toGlobalId } from "../src/shared/ids.js";
import { sumMoney } from "../src/shared/money.js";
import { benchApi, measure } from "./database.js";

const SCRUB = `mutation ($input: ClaimRefInput!) {
  scrubClaim(input: $input) { claim { status issues { code severity field } } userErrors { code } }
}`;

/** A full professional claim: 12 diagnoses and 10 lines, one NCCI pair and one MUE over the limit. */
// biome-ignore format: a table
const DIAGNOSES = [
  "E11621", "L97519", "B351", "I10", "E785", "Z794",
  "N1830", "E669", "Z6830", "G4733", "K219", "M1711",
];
const LINES: [code: string, modifiers: string[], units: number][] = [
  ["99214", ["25"], 1],
  ["11042", [], 1],
  ["11720", ["59"], 1],
  ["97597", [], 1],
  ["20610", ["RT"], 1],
  ["J1100", [], 1],
  ["96372", [], 1],
  ["36415", [], 1],
  ["93000", [], 1],
  ["G0439", [], 2],
];

/**
 * scrubClaim through GraphQL on one claim of 12 diagnoses and 10 lines: the whole mutation (read,
 * scrub, store the edits, status history, audit, event), so an upper bound of the scrub itself.
 * Target (issue 11): scrub() p50 ≤ 5 ms on PostgreSQL.
 * The claim is written straight into the tables for a demo visit whose patient has insurance:
 * building it the API's way takes a coder and an auditor, which is not what is measured.
 */
export async function benchClaimScrub(databaseUrl: string | undefined): Promise<void> {
  const driver = (databaseUrl ? "PostgreSQL" : "PGlite").padEnd(10);
  const api = await benchApi(databaseUrl, "biller1@demo.chartroom.test", { codeSets: true });
  try {
    const rowId = await insertBenchClaim(api.database.db);
    const claimId = toGlobalId("Claim", rowId);
    const first = (await api.query(SCRUB, { input: { claimId } })) as {
      scrubClaim: { claim: { issues: { code: string }[] } };
    };
    console.log(`scrubber edits on the bench claim: ${first.scrubClaim.claim.issues.map((e) => e.code).join(", ")}`);
    await measure(`scrubClaim 12 dx + 10 lines ${driver}`, 1, 200, () => api.query(SCRUB, { input: { claimId } }));
    // The scrub itself (its reads and rules), without the mutation's HTTP, lock, update, history, audit and event.
    const db = api.database.db;
    const [claim] = await db.select().from(claims).where(eq(claims.id, rowId));
    const granted = await db.select({ id: facilities.id }).from(facilities).where(eq(facilities.orgId, claim!.orgId));
    const scope = { orgId: claim!.orgId, facilityIds: granted.map((facility) => facility.id) };
    await measure(`scrub() 12 dx + 10 lines ${driver} (target p50 ≤ 5 ms on PostgreSQL)`, 1, 200, () =>
      scrub(db, scope, claim!, new Date()),
    );
  } finally {
    await api.stop();
  }
}

/** The bench claim, for the first demo visit whose patient's primary coverage is an insurer's: its row id. */
export async function insertBenchClaim(db: Database): Promise<string> {
  const [visit] = await db
    .select({ encounter: encounters })
    .from(encounters)
    .innerJoin(coverages, and(eq(coverages.orgId, encounters.orgId), eq(coverages.patientId, encounters.patientId)))
    .innerJoin(payers, and(eq(payers.orgId, coverages.orgId), eq(payers.id, coverages.payerId)))
    .where(
      and(
        ne(encounters.type, "INPATIENT"),
        eq(coverages.priority, 1),
        ne(payers.kind, "SELF_PAY"),
        lte(coverages.effectiveFrom, encounters.serviceDate),
        or(isNull(coverages.effectiveTo), gte(coverages.effectiveTo, encounters.serviceDate)),
      ),
    )
    .orderBy(asc(encounters.serviceDate))
    .limit(1);
  const encounter = visit!.encounter;
  const lines = LINES.map(([code, modifiers, units], i) => ({
    lineNumber: i + 1,
    lineControlNumber: `BENCH000001-${i + 1}`,
    system: /^[0-9]/.test(code) ? "CPT" : "HCPCS",
    code,
    modifiers,
    units,
    charge: "100.00",
    serviceDate: encounter.serviceDate,
    diagnosisPointers: [1 + (i % DIAGNOSES.length)],
  }));
  const [claim] = await db
    .insert(claims)
    .values({
      orgId: encounter.orgId,
      encounterId: encounter.id,
      facilityId: encounter.facilityId,
      patientId: encounter.patientId,
      renderingProviderId: encounter.renderingProviderId,
      referringProviderId: encounter.referringProviderId,
      patientControlNumber: "BENCH000001",
      placeOfService: encounter.placeOfService,
      serviceDate: encounter.serviceDate,
      diagnoses: DIAGNOSES,
      totalCharge: sumMoney(lines.map((line) => line.charge)),
    })
    .returning({ id: claims.id });
  await db.insert(claimLines).values(lines.map((line) => ({ ...line, orgId: encounter.orgId, claimId: claim!.id })));
  return claim!.id;
}
