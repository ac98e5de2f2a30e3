import {
  CLAIM_LINE_MODIFIERS_MAX,
  CLAIM_LINE_POINTERS_MAX,
  PROFESSIONAL_CLAIM_DIAGNOSES_MAX,
  PROFESSIONAL_CLAIM_LINES_MAX,
} from "../../shared/claim-limits.js";
import type {
  ClaimAddress,
  ClaimDocument,
  ClaimLineDocument,
  ClaimPerson,
  ClaimProvider,
  OtherPayerAdjustment,
  PayerKind,
  PrimaryAdjudication,
} from "./claim.document.js";
import { segment, type X12Problem, type X12Segments, type X12Size, X12Values, x12Segments } from "./x12.writer.js";

/*
 * The segments one claim contributes to an 837P 005010X222A1, loop by loop. The writer (claim.837p.ts) groups claims
 * of one billing provider, subscriber and patient under shared HL loops by comparing these segments.
 */

/** One claim's segments, by the hierarchical level they belong to (HL segments excluded). */
export interface ClaimLoops {
  /** 2000A and 2010AA: PRV, NM1*85, N3, N4, REF*EI. */
  billingProvider: X12Segments;
  /** 2000B, 2010BA and 2010BB: SBR, NM1*IL (with N3, N4, DMG when the subscriber is the patient), NM1*PR. */
  subscriber: X12Segments;
  /** 2000C and 2010CA when the patient is not the subscriber: PAT, NM1*QC, N3, N4, DMG. */
  patient: X12Segments | null;
  /** 2300 and below: CLM, REF*F8, HI, 2310A, 2310B, a secondary's 2320/2330A/2330B, then each 2400 line. */
  claim: X12Segments;
}

// Element lengths from the implementation guide.
const ORGANIZATION_NAME: X12Size = { max: 60 };
const LAST_NAME: X12Size = { max: 60 };
const FIRST_NAME: X12Size = { max: 35, optional: true };
const ENTITY_ID: X12Size = { min: 2, max: 80 };
const REFERENCE: X12Size = { max: 50 };
const GROUP_NUMBER: X12Size = { max: 50, optional: true };
const ADDRESS_LINE: X12Size = { max: 55 };
const ADDRESS_LINE_2: X12Size = { max: 55, optional: true };
const CITY: X12Size = { min: 2, max: 30 };
const STATE: X12Size = { min: 2, max: 2 };
const POSTAL_CODE: X12Size = { min: 3, max: 15 };
const PATIENT_CONTROL_NUMBER: X12Size = { max: 38 };
const PLACE_OF_SERVICE: X12Size = { max: 2 };
const DIAGNOSIS_CODE: X12Size = { max: 30 };
const PROCEDURE_CODE: X12Size = { max: 48 };
const MODIFIER: X12Size = { min: 2, max: 2 };
const ADJUSTMENT_GROUP: X12Size = { min: 1, max: 2 };
const CARC: X12Size = { max: 5 };

/** SBR09 by payer kind: Medicare Part B, Medicaid, commercial. A self-pay encounter gets a statement, not a claim. */
const CLAIM_FILING_INDICATOR: Record<PayerKind, string | null> = {
  MEDICARE: "MB",
  MEDICAID: "MC",
  COMMERCIAL: "CI",
  SELF_PAY: null,
};

/** Claim frequencies that correct an earlier claim, and so name it by the payer's number (REF*F8). */
const CORRECTING_FREQUENCIES = new Set(["7", "8"]);

/**
 * What in a claim an 837P cannot carry: identifiers with separators or characters outside the X12 set, missing or
 * oversized required elements, more diagnoses, modifiers, pointers or lines than the 837P holds. The scrubber may
 * show these before submission; the writer refuses a batch that has any.
 */
export function claim837pProblems(claim: ClaimDocument): X12Problem[] {
  return claimLoops(claim).problems;
}

/** One claim's segments, and the problems that would make them invalid (the segments are then unusable). */
export function claimLoops(claim: ClaimDocument): { loops: ClaimLoops; problems: X12Problem[] } {
  const values = new X12Values();
  const loops: ClaimLoops = {
    billingProvider: x12Segments(billingProviderLoop(values, claim)),
    subscriber: x12Segments(subscriberLoop(values, claim)),
    patient: claim.patient ? x12Segments(patientLoop(values, claim, claim.patient)) : null,
    claim: x12Segments(claimLoop(values, claim)),
  };
  if (claim.subscriber.relationshipToPatient === "18" && claim.patient !== null) {
    values.problem("patient", "is given, but the subscriber is the patient (relationship 18)");
  }
  if (claim.subscriber.relationshipToPatient !== "18" && claim.patient === null) {
    values.problem("patient", "is missing: the subscriber is not the patient");
  }
  return { loops, problems: values.problems };
}

function billingProviderLoop(values: X12Values, claim: ClaimDocument): string[] {
  const provider = claim.billingProvider;
  const at = (field: string) => `billingProvider.${field}`;
  const segments: string[] = [];
  if (provider.taxonomyCode !== null) {
    segments.push(segment("PRV", "BI", "PXC", values.id(provider.taxonomyCode, at("taxonomyCode"), REFERENCE)));
  }
  const name = values.text(provider.name, at("name"), ORGANIZATION_NAME);
  segments.push(
    nameSegment("85", "2", name, "", { qualifier: "XX", value: values.id(provider.npi, at("npi"), ENTITY_ID) }),
    ...addressSegments(values, provider.address, at("address")),
    segment("REF", "EI", values.id(provider.taxId, at("taxId"), REFERENCE)),
  );
  return segments;
}

function subscriberLoop(values: X12Values, claim: ClaimDocument): string[] {
  const subscriber = claim.subscriber;
  const self = subscriber.relationshipToPatient === "18";
  const group = values.id(subscriber.groupNumber, "subscriber.groupNumber", GROUP_NUMBER);
  const memberId = values.id(subscriber.memberId, "subscriber.memberId", ENTITY_ID);
  const segments = [
    segment(
      "SBR",
      claim.primaryAdjudication ? "S" : "P",
      self ? "18" : "",
      group,
      "",
      "",
      "",
      "",
      "",
      claimFilingIndicator(values, claim),
    ),
    personName(values, "IL", subscriber, "subscriber", { qualifier: "MI", value: memberId }),
  ];
  // The guide sends the subscriber's address and demographics only when the subscriber is the patient.
  if (self) segments.push(...personDetails(values, subscriber, "subscriber"));
  const payer = claim.payer;
  if (payer === null) {
    values.problem("payer", "is missing");
  } else {
    const name = values.text(payer.name, "payer.name", ORGANIZATION_NAME);
    const payerId = values.id(payer.payerId, "payer.payerId", ENTITY_ID);
    segments.push(nameSegment("PR", "2", name, "", { qualifier: "PI", value: payerId }));
  }
  return segments;
}

function claimFilingIndicator(values: X12Values, claim: ClaimDocument): string {
  const indicator = CLAIM_FILING_INDICATOR[claim.payer?.kind ?? "COMMERCIAL"];
  return indicator ?? values.problem("payer.kind", "is self-pay: the patient gets a statement, not an 837P claim");
}

function patientLoop(values: X12Values, claim: ClaimDocument, patient: ClaimPerson): string[] {
  return [
    segment("PAT", claim.subscriber.relationshipToPatient),
    personName(values, "QC", patient, "patient"),
    ...personDetails(values, patient, "patient"),
  ];
}

function claimLoop(values: X12Values, claim: ClaimDocument): string[] {
  const segments = [
    segment(
      "CLM",
      values.id(claim.patientControlNumber, "patientControlNumber", PATIENT_CONTROL_NUMBER),
      values.amount(claim.totalCharge, "totalCharge"),
      "",
      "",
      [values.id(claim.placeOfService, "placeOfService", PLACE_OF_SERVICE), "B", claim.frequencyCode],
      "Y", // provider signature on file
      "A", // assigned
      "Y", // benefits assigned to the provider
      "Y", // release of information signed
    ),
  ];
  if (CORRECTING_FREQUENCIES.has(claim.frequencyCode)) {
    const corrected = values.id(claim.payerClaimControlNumber, "payerClaimControlNumber", REFERENCE);
    segments.push(segment("REF", "F8", corrected));
  }
  segments.push(diagnosisSegment(values, claim.diagnoses));
  if (claim.referringProvider) {
    segments.push(...providerLoop(values, "DN", claim.referringProvider, "referringProvider"));
  }
  // 2310B only when someone other than the billing provider rendered the care.
  if (claim.renderingProvider && claim.renderingProvider.npi !== claim.billingProvider.npi) {
    segments.push(...providerLoop(values, "82", claim.renderingProvider, "renderingProvider"));
  }
  if (claim.primaryAdjudication) segments.push(...otherPayerLoops(values, claim.primaryAdjudication));
  if (claim.lines.length === 0) values.problem("lines", "is empty: a claim needs at least one service line");
  if (claim.lines.length > PROFESSIONAL_CLAIM_LINES_MAX) {
    values.problem("lines", `has ${claim.lines.length} lines; an 837P claim carries ${PROFESSIONAL_CLAIM_LINES_MAX}`);
  }
  for (const [i, line] of claim.lines.entries()) {
    segments.push(...lineLoop(values, line, i));
    const adjudicated = claim.primaryAdjudication?.lines.find((each) => each.lineNumber === line.lineNumber);
    if (claim.primaryAdjudication && adjudicated)
      segments.push(...otherPayerLineLoop(values, claim.primaryAdjudication, adjudicated, line, i));
  }
  return segments;
}

/** CAS holds six adjustments (reason, amount, quantity) of one group; the guide allows five CAS per loop. */
const ADJUSTMENTS_PER_CAS = 6;

/** CAS segments of other-payer adjustments, one group per segment (more segments when a group has over six). */
function adjustmentSegments(values: X12Values, adjustments: readonly OtherPayerAdjustment[], field: string): string[] {
  const groups = [...new Set(adjustments.map((adjustment) => adjustment.group))];
  return groups.flatMap((group) => {
    const own = adjustments.filter((adjustment) => adjustment.group === group);
    const segments: string[] = [];
    for (let start = 0; start < own.length; start += ADJUSTMENTS_PER_CAS) {
      const triples = own
        .slice(start, start + ADJUSTMENTS_PER_CAS)
        .flatMap((each, k) => [
          values.id(each.reason, `${field}.${start + k}.reason`, CARC),
          values.amount(each.amount, `${field}.${start + k}.amount`),
          each.quantity ?? "",
        ]);
      segments.push(segment("CAS", values.id(group, `${field}.${start}.group`, ADJUSTMENT_GROUP), ...triples));
    }
    return segments;
  });
}

/**
 * A secondary claim's other payer, the primary: 2320 (SBR with responsibility P, the claim's CAS, AMT*D the paid
 * amount, OI), 2330A (the primary's subscriber) and 2330B (the primary payer, with its claim number in REF*F8).
 */
function otherPayerLoops(values: X12Values, primary: PrimaryAdjudication): string[] {
  const subscriber = primary.subscriber;
  const at = (field: string) => `primaryAdjudication.${field}`;
  const memberId = values.id(subscriber.memberId, at("subscriber.memberId"), ENTITY_ID);
  const payerId = values.id(primary.payer.payerId, at("payer.payerId"), ENTITY_ID);
  const indicator = CLAIM_FILING_INDICATOR[primary.payer.kind] ?? values.problem(at("payer.kind"), "is self-pay");
  const segments = [
    segment(
      "SBR",
      "P",
      subscriber.relationshipToPatient,
      values.id(subscriber.groupNumber, at("subscriber.groupNumber"), GROUP_NUMBER),
      "",
      "",
      "",
      "",
      "",
      indicator,
    ),
    ...adjustmentSegments(values, primary.adjustments, at("adjustments")),
    segment("AMT", "D", values.amount(primary.paid, at("paid"))),
    // Benefits assigned to the provider (OI03) and release of information signed (OI06), as on our CLM.
    segment("OI", "", "", "Y", "", "", "Y"),
    nameSegment(
      "IL",
      "1",
      values.text(subscriber.lastName, at("subscriber.lastName"), LAST_NAME),
      values.text(subscriber.firstName, at("subscriber.firstName"), FIRST_NAME),
      { qualifier: "MI", value: memberId },
    ),
    nameSegment("PR", "2", values.text(primary.payer.name, at("payer.name"), ORGANIZATION_NAME), "", {
      qualifier: "PI",
      value: payerId,
    }),
  ];
  if (primary.payer.claimControlNumber)
    segments.push(
      segment("REF", "F8", values.id(primary.payer.claimControlNumber, at("payer.claimControlNumber"), REFERENCE)),
    );
  return segments;
}

/** 2430 of one line: SVD (the primary's payer id, paid amount, the line's procedure and units), CAS, DTP*573. */
function otherPayerLineLoop(
  values: X12Values,
  primary: PrimaryAdjudication,
  adjudicated: PrimaryAdjudication["lines"][number],
  line: ClaimLineDocument,
  i: number,
): string[] {
  const at = (field: string) => `primaryAdjudication.lines.${i}.${field}`;
  const modifiers = line.modifiers
    .slice(0, CLAIM_LINE_MODIFIERS_MAX)
    .map((modifier, k) => values.id(modifier, `lines.${i}.modifiers.${k}`, MODIFIER));
  return [
    segment(
      "SVD",
      values.id(primary.payer.payerId, "primaryAdjudication.payer.payerId", ENTITY_ID),
      values.amount(adjudicated.paid, at("paid")),
      ["HC", values.id(line.code, `lines.${i}.code`, PROCEDURE_CODE), ...modifiers],
      "",
      values.quantity(line.units, `lines.${i}.units`),
    ),
    ...adjustmentSegments(values, adjudicated.adjustments, at("adjustments")),
    segment("DTP", "573", "D8", values.date(primary.adjudicatedOn, "primaryAdjudication.adjudicatedOn")),
  ];
}

/** HI: the first diagnosis as principal (ABK), the rest as other (ABF), stored form without a dot. */
function diagnosisSegment(values: X12Values, diagnoses: string[]): string {
  if (diagnoses.length === 0) values.problem("diagnoses", "is empty: a claim needs at least one diagnosis");
  if (diagnoses.length > PROFESSIONAL_CLAIM_DIAGNOSES_MAX) {
    values.problem("diagnoses", `has ${diagnoses.length} codes; an 837P carries ${PROFESSIONAL_CLAIM_DIAGNOSES_MAX}`);
  }
  const codes = diagnoses.slice(0, PROFESSIONAL_CLAIM_DIAGNOSES_MAX).map((code, i) => {
    const written = values.id(code.replace(".", ""), `diagnoses.${i}`, DIAGNOSIS_CODE);
    return [i === 0 ? "ABK" : "ABF", written];
  });
  return segment("HI", ...codes);
}

/** 2310A (DN, referring) or 2310B (82, rendering, with its taxonomy in PRV*PE). */
function providerLoop(values: X12Values, entity: "DN" | "82", provider: ClaimProvider, field: string): string[] {
  const npi = values.id(provider.npi, `${field}.npi`, ENTITY_ID);
  const segments = [personName(values, entity, provider, field, { qualifier: "XX", value: npi })];
  if (entity === "82" && provider.taxonomyCode !== null) {
    segments.push(segment("PRV", "PE", "PXC", values.id(provider.taxonomyCode, `${field}.taxonomyCode`, REFERENCE)));
  }
  return segments;
}

/** 2400: LX, SV1 (HC:code:modifiers, charge, UN, units, no place of service, pointers), DTP*472, REF*6R. */
function lineLoop(values: X12Values, line: ClaimLineDocument, i: number): string[] {
  const at = (field: string) => `lines.${i}.${field}`;
  if (line.modifiers.length > CLAIM_LINE_MODIFIERS_MAX) {
    values.problem(at("modifiers"), `has ${line.modifiers.length}; an 837P line carries ${CLAIM_LINE_MODIFIERS_MAX}`);
  }
  const written = line.modifiers.slice(0, CLAIM_LINE_MODIFIERS_MAX);
  const modifiers = written.map((modifier, k) => values.id(modifier, at(`modifiers.${k}`), MODIFIER));
  return [
    segment("LX", `${i + 1}`),
    segment(
      "SV1",
      ["HC", values.id(line.code, at("code"), PROCEDURE_CODE), ...modifiers],
      values.amount(line.charge, at("charge")),
      "UN",
      values.quantity(line.units, at("units")),
      "",
      "",
      diagnosisPointers(values, line.diagnosisPointers, at("diagnosisPointers")),
    ),
    segment("DTP", "472", "D8", values.date(line.serviceDate, at("serviceDate"))),
    segment("REF", "6R", values.id(line.lineControlNumber, at("lineControlNumber"), REFERENCE)),
  ];
}

function diagnosisPointers(values: X12Values, pointers: number[], field: string): string[] {
  if (pointers.length === 0) values.problem(field, "is empty: a line points to at least one diagnosis");
  if (pointers.length > CLAIM_LINE_POINTERS_MAX) {
    values.problem(field, `has ${pointers.length}; an 837P line carries ${CLAIM_LINE_POINTERS_MAX}`);
  }
  return pointers.slice(0, CLAIM_LINE_POINTERS_MAX).map((pointer, k) => {
    const fits = Number.isInteger(pointer) && pointer >= 1 && pointer <= PROFESSIONAL_CLAIM_DIAGNOSES_MAX;
    return fits ? `${pointer}` : values.problem(`${field}.${k}`, `must be 1 to ${PROFESSIONAL_CLAIM_DIAGNOSES_MAX}`);
  });
}

/** The identifier an NM1 carries: its qualifier (XX NPI, MI member id, PI payer id, 46 ETIN) and value. */
export interface NameId {
  qualifier: string;
  value: string;
}

/** NM1 of a person (entity type 1), with an identifier when the loop carries one. */
function personName(
  values: X12Values,
  entity: string,
  person: ClaimPerson | ClaimProvider,
  field: string,
  id?: NameId,
) {
  const last = values.text(person.lastName, `${field}.lastName`, LAST_NAME);
  const first = values.text(person.firstName, `${field}.firstName`, FIRST_NAME);
  return nameSegment(entity, "1", last, first, id);
}

/** NM1: who (entity code), a person (1) or an organization (2), last or organization name, first name, id. */
export function nameSegment(entity: string, type: "1" | "2", name: string, first: string, id?: NameId): string {
  return segment("NM1", entity, type, name, first, "", "", "", id?.qualifier ?? "", id?.value ?? "");
}

/** N3, N4 and DMG of the person the claim is about. */
function personDetails(values: X12Values, person: ClaimPerson, field: string): string[] {
  const demographics = segment("DMG", "D8", values.date(person.birthDate, `${field}.birthDate`), person.sex);
  if (person.address === null) {
    values.problem(`${field}.address`, "is missing");
    return [demographics];
  }
  return [...addressSegments(values, person.address, `${field}.address`), demographics];
}

function addressSegments(values: X12Values, address: ClaimAddress, field: string): string[] {
  return [
    segment(
      "N3",
      values.text(address.line1, `${field}.line1`, ADDRESS_LINE),
      values.text(address.line2, `${field}.line2`, ADDRESS_LINE_2),
    ),
    segment(
      "N4",
      values.text(address.city, `${field}.city`, CITY),
      values.id(address.state, `${field}.state`, STATE),
      values.id(address.postalCode, `${field}.postalCode`, POSTAL_CODE),
    ),
  ];
}
