/*
 * A clearinghouse simulator: the 999 and 277CA a clearinghouse would send back for one of our stored 837P batches,
 * given a verdict per claim. For the demo seed and tests; real files come from the clearinghouse.
 */

/** What the payer decides of one claim: accepted with its claim control number, or rejected with an STC. */
export type ClaimVerdict =
  | { accept: true; payerClaimControlNumber: string }
  | { accept: false; category?: string; status?: string; entity?: string };

/** The envelope numbers and claims of a batch, read from its file as written. */
function batchFacts(x12: string) {
  const segments = x12.split("~").map((s) => s.trim().split("*"));
  const first = (id: string) => segments.find((s) => s[0] === id)!;
  const sets: { controlNumber: string; reference: string; claims: string[] }[] = [];
  for (const s of segments) {
    if (s[0] === "ST") sets.push({ controlNumber: s[2]!, reference: "", claims: [] });
    if (s[0] === "BHT") sets.at(-1)!.reference = s[3]!;
    if (s[0] === "CLM") sets.at(-1)!.claims.push(s[1]!);
  }
  return { isa13: first("ISA")[13]!, gs06: first("GS")[6]!, sets };
}

function envelope(kind: "FA" | "HN", version: string, control: number, body: string[]): string {
  const isa =
    "ISA*00*          *00*          *ZZ*CLEARHOUSE01   *ZZ*CHARTROOM      *260106*0800*^*00501*" +
    `${String(control).padStart(9, "0")}*0*P*:`;
  const gs = `GS*${kind}*CLEARHOUSE01*CHARTROOM*20260106*0800*${control}*X*${version}`;
  return `${[isa, gs, ...body, `GE*1*${control}`, `IEA*1*${String(control).padStart(9, "0")}`].join("~\n")}~\n`;
}

/**
 * The 999 for a batch: each transaction set accepted, or rejected (IK5*R) when `rejectSets` names its ST02.
 * `control` is the 999's own ISA13/GS06.
 */
export function write999(batchX12: string, rejectSets: readonly string[] = [], control = 9001): string {
  const facts = batchFacts(batchX12);
  const body = ["ST*999*0001*005010X231A1", `AK1*HC*${facts.gs06}*005010X222A1`];
  for (const set of facts.sets) {
    body.push(`AK2*837*${set.controlNumber}*005010X222A1`);
    if (rejectSets.includes(set.controlNumber))
      body.push("IK3*CLM*22*2300*8", `CTX*CLM01:${set.claims[0]}`, "IK4*5:1*1331*7*00", "IK5*R*5");
    else body.push("IK5*A");
  }
  const accepted = facts.sets.filter((set) => !rejectSets.includes(set.controlNumber)).length;
  const verdict = accepted === facts.sets.length ? "A" : accepted === 0 ? "R" : "P";
  body.push(`AK9*${verdict}*${facts.sets.length}*${facts.sets.length}*${accepted}`);
  body.push(`SE*${body.length + 1}*0001`);
  return envelope("FA", "005010X231A1", control, body);
}

/**
 * The 277CA for a batch: per patient control number, accepted (REF*1K the payer's number) or rejected (STC, by
 * default A7:21 missing or invalid information). Claims with no verdict are left out.
 */
export function write277ca(batchX12: string, verdicts: Readonly<Record<string, ClaimVerdict>>, control = 9002): string {
  const facts = batchFacts(batchX12);
  const body = [
    "ST*277*0001*005010X214",
    `BHT*0085*08*CH${control}*20260106*0800*TH`,
    "HL*1**20*1",
    "NM1*PR*2*CLEARINGHOUSE*****PI*CLEARHOUSE01",
    `TRN*1*CH${control}`,
    "DTP*050*D8*20260106",
    "DTP*009*D8*20260106",
  ];
  let hl = 1;
  for (const set of facts.sets) {
    const receiver = ++hl;
    body.push(`HL*${receiver}*1*21*1`, "NM1*41*2*CHARTROOM*****46*CHARTROOM", `TRN*2*${set.reference}`);
    body.push("STC*A1:19:PR*20260106*WQ*0");
    const provider = ++hl;
    body.push(`HL*${provider}*${receiver}*19*1`, "NM1*85*2*BILLING PROVIDER*****XX*1234567893", "TRN*1*0");
    body.push("STC*A1:19:PR**WQ*0");
    for (const pcn of set.claims) {
      const verdict = verdicts[pcn];
      if (!verdict) continue;
      body.push(`HL*${++hl}*${provider}*PT`, "NM1*QC*1*PATIENT*SYNTHETIC****MI*MEMBER", `TRN*2*${pcn}`);
      if (verdict.accept) body.push("STC*A2:20:PR*20260106*WQ*0", `REF*1K*${verdict.payerClaimControlNumber}`);
      else {
        const entity = verdict.entity ? `:${verdict.entity}` : "";
        body.push(`STC*${verdict.category ?? "A7"}:${verdict.status ?? "21"}${entity}*20260106*U*0`);
      }
    }
  }
  body.push(`SE*${body.length + 1}*0001`);
  return envelope("HN", "005010X214", control, body);
}
