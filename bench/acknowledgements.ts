import { readAcknowledgement } from "../src/modules/claims/acknowledgement.reader.js";
import { measure } from "./database.js";

const CLAIMS = 10_000;

/**
 * A payer's 277CA answering one batch of `claims` claims: nine in ten accepted with the payer's claim control
 * number, every tenth rejected on its service line.
 */
function claimAcknowledgement(claims: number): string {
  const body = [
    "ST*277*0001*005010X214",
    "BHT*0085*08*277CABENCH*20260106*0800*TH",
    "HL*1**20*1",
    "NM1*PR*2*EVERGREEN HEALTH PLAN*****PI*EVGHP",
    "TRN*1*20260106EVG01",
    "DTP*050*D8*20260105",
    "DTP*009*D8*20260106",
    "HL*2*1*21*1",
    "NM1*41*2*NORTHSIDE FAMILY MEDICINE*****46*CHARTROOM",
    "TRN*2*BATCH000017",
    `STC*A1:19:PR*20260106*WQ*${claims * 150}`,
    "HL*3*2*19*1",
    "NM1*85*2*NORTHSIDE FAMILY MEDICINE*****XX*1234567893",
    "TRN*1*0",
    `STC*A1:19:PR**WQ*${claims * 150}`,
  ];
  for (let i = 0; i < claims; i++) {
    const number = String(i).padStart(6, "0");
    body.push(`HL*${i + 4}*3*PT`, `NM1*QC*1*PATIENT*BENCH****MI*EVG${number}`, `TRN*2*PCN${number}`);
    if (i % 10 === 9) {
      body.push("STC*A3:21*20260106*U*150", "DTP*472*D8*20260102", "SVC*HC:99213:25*150*****1");
      body.push("STC*A7:454*20260106*U", `REF*FJ*LCN${number}001`, "DTP*472*D8*20260102");
    } else {
      body.push("STC*A2:20:PR*20260106*WQ*150", `REF*1K*EVG${number}`, "DTP*472*D8*20260102");
    }
  }
  body.push(`SE*${body.length + 1}*0001`);
  const isa =
    "ISA*00*          *00*          *ZZ*EVERGREEN      *ZZ*CHARTROOM      *260106*0800*^*00501*000004712*0*P*:";
  const gs = "GS*HN*EVERGREEN*CHARTROOM*20260106*0800*4712*X*005010X214";
  return `${[isa, gs, ...body, "GE*1*4712", "IEA*1*000004712"].join("~\n")}~\n`;
}

/** Reading a 277CA of 10,000 claims: a part of the issue's ≤ 5 s for importing one. */
export async function benchAcknowledgements(): Promise<void> {
  const text = claimAcknowledgement(CLAIMS);
  const megabytes = (text.length / 2 ** 20).toFixed(1);
  await measure(`read a 277CA of ${CLAIMS.toLocaleString("en-US")} claims (${megabytes} MB)`, 1, 5, async () => {
    const acknowledgement = await readAcknowledgement(text);
    if (acknowledgement.kind !== "277CA" || acknowledgement.claims.length !== CLAIMS) {
      throw new Error("the bench 277CA did not read as 10,000 claims");
    }
  });
}
