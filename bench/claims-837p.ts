import { write837p } from "../src/modules/claims/claim.837p.js";
import { ENVELOPE, PAYERS, syntheticClaims } from "../test/helpers/claim-documents.js";

const CLAIMS = 20_000;
const RUNS = 3;

/** 837P writing speed: one interchange of 20,000 varied claims (four transaction sets), no database. Target 5,000/s. */
export function benchClaims837p(): void {
  const claims = syntheticClaims(CLAIMS, PAYERS.commercial);
  write837p(claims.slice(0, 1000), ENVELOPE); // warm up the JIT
  let best = Number.POSITIVE_INFINITY;
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    bytes = write837p(claims, ENVELOPE).x12.length;
    best = Math.min(best, performance.now() - started);
  }
  const perSecond = Math.round(CLAIMS / (best / 1000));
  console.log(
    `837P writing ${CLAIMS} claims: ${best.toFixed(0)} ms (best of ${RUNS}), ${perSecond} claims/s, ` +
      `${(bytes / 2 ** 20).toFixed(1)} MiB (target ≥ 5,000 claims/s)`,
  );
}
