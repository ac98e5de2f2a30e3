import type {
  BillingProvider,
  ClaimDocument,
  ClaimPerson,
  ClaimProvider,
  FrequencyCode,
  PatientRelationship,
  PrimaryAdjudication,
} from "./claim.document.js";
import type { ClaimParties } from "./claim.parties.store.js";
import type { ClaimLineRow, ClaimRow } from "./claim.store.js";

/*
 * A claim as one document: its own columns and lines with the records it names, read as they are
 * now. The scrubber checks this document and the 837P writer writes it, so both see the same claim.
 */

/** X12 individual relationship codes (SBR02 / PAT01) of the coverage's subscriber relation. */
export const RELATIONSHIP: Record<NonNullable<ClaimParties["coverage"]>["subscriberRelation"], PatientRelationship> = {
  SELF: "18",
  SPOUSE: "01",
  CHILD: "19",
  OTHER: "G8",
};

function billingProvider(facility: ClaimParties["facility"]): BillingProvider {
  return {
    name: facility.name,
    npi: facility.npi,
    // The 837P carries the EIN as nine digits; registration may have typed it as 31-4159265.
    taxId: facility.taxId.replace(/-/g, ""),
    taxonomyCode: facility.taxonomyCode,
    address: {
      line1: facility.addressLine1,
      line2: null,
      city: facility.city,
      state: facility.state,
      postalCode: facility.postalCode.replace(/-/g, ""),
    },
  };
}

function provider(row: ClaimParties["renderingProvider"]): ClaimProvider | null {
  return row && { firstName: row.firstName, lastName: row.lastName, npi: row.npi, taxonomyCode: row.taxonomyCode };
}

function patientPerson(patient: ClaimParties["patient"]): ClaimPerson {
  const { addressLine1, city, state, postalCode } = patient;
  return {
    firstName: patient.firstName,
    lastName: patient.lastName,
    birthDate: patient.birthDate,
    sex: patient.sex,
    address:
      addressLine1 && city && state && postalCode
        ? { line1: addressLine1, line2: null, city, state, postalCode: postalCode.replace(/-/g, "") }
        : null,
  };
}

/** The claim as the scrubber reads it and the 837P carries it. */
export function claimDocument(claim: ClaimRow, lines: readonly ClaimLineRow[], parties: ClaimParties): ClaimDocument {
  const { coverage, payer, patient } = parties;
  const relationship = coverage ? RELATIONSHIP[coverage.subscriberRelation] : "18";
  const self = patientPerson(patient);
  // A dependant's subscriber lives at the patient's address unless registration says otherwise.
  const subscriberPerson: ClaimPerson =
    relationship === "18" || !coverage
      ? self
      : {
          firstName: coverage.subscriberFirstName ?? "",
          lastName: coverage.subscriberLastName ?? "",
          birthDate: coverage.subscriberBirthDate,
          sex: coverage.subscriberSex ?? "U",
          address: self.address,
        };
  return {
    patientControlNumber: claim.patientControlNumber,
    frequencyCode: claim.frequencyCode as FrequencyCode,
    payerClaimControlNumber: claim.payerClaimControlNumber,
    placeOfService: claim.placeOfService,
    serviceDate: claim.serviceDate,
    totalCharge: claim.totalCharge,
    billingProvider: billingProvider(parties.facility),
    renderingProvider: provider(parties.renderingProvider),
    referringProvider: provider(parties.referringProvider),
    subscriber: {
      ...subscriberPerson,
      memberId: coverage?.memberId || null,
      groupNumber: coverage?.groupNumber ?? null,
      relationshipToPatient: relationship,
    },
    patient: relationship === "18" ? null : self,
    payer: payer && {
      name: payer.name,
      payerId: payer.payerId,
      timelyFilingDays: payer.timelyFilingDays,
      kind: payer.kind,
    },
    diagnoses: claim.diagnoses,
    lines: lines.map((line) => ({
      lineNumber: line.lineNumber,
      lineControlNumber: line.lineControlNumber,
      system: line.system === "HCPCS" ? "HCPCS" : "CPT",
      code: line.code,
      modifiers: line.modifiers,
      units: line.units,
      charge: line.charge,
      serviceDate: line.serviceDate,
      diagnosisPointers: line.diagnosisPointers,
    })),
    primaryAdjudication: claim.primaryAdjudication as PrimaryAdjudication | null,
  };
}
