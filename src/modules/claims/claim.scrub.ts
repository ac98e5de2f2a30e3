import { sumMoney } from "../../shared/money.js";
import { isValidNpi } from "../../shared/npi.js";
import type { CodeEdit } from "../edits/index.js";
import type { ClaimDocument, ClaimPerson, ClaimProvider } from "./claim.document.js";

/*
 * The claim scrubber: every edit a claim must pass before it goes to a payer, each with a stable
 * code, a severity, a message that says how to fix it and the field it is about. The code edits
 * (code in force, modifiers, pointers, units against the MUE, NCCI pairs) are the coding engine's,
 * run on the claim's lines; the rest are claim-form rules here. The README lists them all.
 *
 * Glossary.
 *   scrub            run every edit on a claim as it is now; ERRORs keep it from being marked READY
 *   timely filing    a payer's limit, in days from the date of service, for receiving a claim
 *   possible duplicate  a line whose code, patient, date and rendering provider are on another claim already sent
 */

/** Days before the timely-filing deadline from which a claim is warned about it. */
export const TIMELY_FILING_WARNING_DAYS = 7;
/** CLM01 holds at most 20 characters; payers echo back only 17 on the 277CA and 835, so we keep to 17. */
export const PATIENT_CONTROL_NUMBER_MAX = 17;

/** What the claim-form edits need beyond the document, gathered by the scrub service. */
export interface ScrubFacts {
  /** The scrub's date, CCYY-MM-DD: dates of service after it are in the future. */
  today: string;
  /** Another claim of the organization has this patient control number. */
  patientControlNumberTaken: boolean;
  /** Codes on the patient's other claims for the date that went to a payer and are not voided. */
  sentLines: readonly { patientControlNumber: string; sameRenderingProvider: boolean; code: string }[];
  /** Which of the claim's places of service are CMS codes. */
  knownPlacesOfService: ReadonlySet<string>;
}

const edit = (code: string, severity: CodeEdit["severity"], message: string, field: string[]): CodeEdit => ({
  code,
  severity,
  message,
  field,
});
const error = (code: string, message: string, field: string[]) => edit(code, "ERROR", message, field);

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

function npiEdits(npi: string | null | undefined, who: string, prefix: string, path: string[]): CodeEdit[] {
  if (!npi)
    return [error(`${prefix}_NPI_MISSING`, `Record the ${who}'s NPI (from NPPES): the 837P requires it.`, path)];
  if (!isValidNpi(npi))
    return [
      error(
        `${prefix}_NPI_INVALID`,
        `The ${who}'s NPI ${npi} is not ten digits with a valid check digit (Luhn with prefix 80840): ` +
          "correct it from NPPES.",
        path,
      ),
    ];
  return [];
}

/** Health care provider taxonomy: ten characters, the last an X (e.g. 207Q00000X). */
const TAXONOMY = /^[0-9]{3}[0-9A-Z]{6}X$/;
/** A post office box in any of the ways people write one. */
const PO_BOX = /\b(?:p\.?\s*o\.?\s*box|post\s+office\s+box|lock\s*box)\b/i;

function billingProviderEdits(document: ClaimDocument): CodeEdit[] {
  const provider = document.billingProvider;
  const edits = npiEdits(provider.npi, "billing provider", "BILLING", ["billingProvider", "npi"]);
  if (!/^\d{9}$/.test(provider.taxId))
    edits.push(
      error(
        "TAX_ID_INVALID",
        `The billing provider's tax id must be the nine-digit EIN (it is "${provider.taxId}"): correct the facility.`,
        ["billingProvider", "taxId"],
      ),
    );
  if (!provider.taxonomyCode)
    edits.push(
      error("TAXONOMY_MISSING", "Record the billing provider's taxonomy code (PRV*BI) on the facility.", [
        "billingProvider",
        "taxonomyCode",
      ]),
    );
  else if (!TAXONOMY.test(provider.taxonomyCode))
    edits.push(
      error(
        "TAXONOMY_INVALID",
        `${provider.taxonomyCode} is not a provider taxonomy code (ten characters ending in X, e.g. 207Q00000X).`,
        ["billingProvider", "taxonomyCode"],
      ),
    );
  const boxLine = [provider.address.line1, provider.address.line2 ?? ""].findIndex((line) => PO_BOX.test(line));
  if (boxLine >= 0)
    edits.push(
      error(
        "BILLING_ADDRESS_PO_BOX",
        "The billing provider's address must be where the care is given, not a PO box: record the facility's " +
          "street address (payments may still go to a PO box as the pay-to address).",
        ["billingProvider", "address", `line${boxLine + 1}`],
      ),
    );
  if (!/^\d{9}$/.test(provider.address.postalCode))
    edits.push(
      error(
        "BILLING_ZIP_NOT_9_DIGITS",
        `The billing provider's ZIP code must have nine digits (ZIP+4), it is ${provider.address.postalCode}: ` +
          "record the facility's full ZIP+4 (USPS ZIP Code lookup).",
        ["billingProvider", "address", "postalCode"],
      ),
    );
  return edits;
}

function providerEdits(provider: ClaimProvider | null, who: string, prefix: string, key: string): CodeEdit[] {
  if (!provider) return [];
  const edits = npiEdits(provider.npi, who, prefix, [key, "npi"]);
  if (provider.taxonomyCode && !TAXONOMY.test(provider.taxonomyCode))
    edits.push(
      error(
        `${prefix}_TAXONOMY_INVALID`,
        `The ${who}'s taxonomy code ${provider.taxonomyCode} is not a provider taxonomy code (ten characters ` +
          "ending in X, e.g. 207Q00000X): correct it on the provider from NPPES.",
        [key, "taxonomyCode"],
      ),
    );
  return edits;
}

function birthDateEdits(person: ClaimPerson, who: string, key: string, serviceDate: string): CodeEdit[] {
  const where = key === "subscriber" ? " on the coverage" : " in their registration";
  if (!person.birthDate)
    return [error("BIRTH_DATE_MISSING", `Record the ${who}'s date of birth${where}.`, [key, "birthDate"])];
  if (person.birthDate > serviceDate)
    return [
      error(
        "BIRTH_DATE_AFTER_SERVICE",
        `The ${who}'s date of birth (${person.birthDate}) is after the date of service (${serviceDate}): ` +
          "correct one of them.",
        [key, "birthDate"],
      ),
    ];
  return [];
}

function partyEdits(document: ClaimDocument): CodeEdit[] {
  if (!document.payer)
    return [
      error(
        "PAYER_MISSING",
        document.primaryAdjudication
          ? `The patient has no secondary coverage (priority 2) in force on ${document.serviceDate}: correct it, ` +
              "then scrub the claim again, or void this secondary claim."
          : `The patient has no coverage in force on ${document.serviceDate}: add or correct their coverage, then ` +
              "scrub the claim again (a self-pay visit is billed to the patient, not on a claim).",
        ["payer"],
      ),
    ];
  const edits: CodeEdit[] = [];
  const { subscriber } = document;
  if (!subscriber.memberId)
    edits.push(
      error("SUBSCRIBER_MEMBER_ID_MISSING", "Record the member id from the insurance card on the coverage.", [
        "subscriber",
        "memberId",
      ]),
    );
  if (!subscriber.lastName)
    edits.push(
      error("SUBSCRIBER_NAME_MISSING", "Record the subscriber's name on the coverage (the patient is a dependant).", [
        "subscriber",
        "lastName",
      ]),
    );
  edits.push(...birthDateEdits(subscriber, "subscriber", "subscriber", document.serviceDate));
  if (document.patient) edits.push(...birthDateEdits(document.patient, "patient", "patient", document.serviceDate));
  return edits;
}

function claimFormEdits(document: ClaimDocument, facts: ScrubFacts): CodeEdit[] {
  const edits: CodeEdit[] = [];
  const pcn = document.patientControlNumber;
  if (pcn.trim() === "")
    edits.push(
      error(
        "PATIENT_CONTROL_NUMBER_MISSING",
        "The claim has no patient control number (CLM01): void it and build the claim again from the encounter.",
        ["patientControlNumber"],
      ),
    );
  else if (pcn.length > PATIENT_CONTROL_NUMBER_MAX)
    edits.push(
      error(
        "PATIENT_CONTROL_NUMBER_TOO_LONG",
        `The patient control number has ${pcn.length} characters; payers keep ${PATIENT_CONTROL_NUMBER_MAX}: ` +
          "void it and build the claim again from the encounter.",
        ["patientControlNumber"],
      ),
    );
  if (facts.patientControlNumberTaken)
    edits.push(
      error(
        "PATIENT_CONTROL_NUMBER_DUPLICATE",
        `Another claim has the patient control number ${pcn}, so acknowledgements and remittances could not tell ` +
          "them apart: void this one and build the claim again from the encounter.",
        ["patientControlNumber"],
      ),
    );
  const sum = sumMoney(document.lines.map((line) => line.charge));
  if (sumMoney([document.totalCharge]) !== sum)
    edits.push(
      error(
        "TOTAL_NOT_SUM_OF_LINES",
        `The claim's total charge ${document.totalCharge} is not the sum of its lines (${sum}): ` +
          "correct the line charges and scrub the claim again.",
        ["totalCharge"],
      ),
    );
  if (!facts.knownPlacesOfService.has(document.placeOfService))
    edits.push(
      error(
        "PLACE_OF_SERVICE_INVALID",
        `${document.placeOfService} is not a CMS place of service code: correct the encounter's place of service ` +
          "(e.g. 11 office, 22 outpatient hospital).",
        ["placeOfService"],
      ),
    );
  if (!["1", "7", "8"].includes(document.frequencyCode))
    edits.push(
      error("FREQUENCY_CODE_INVALID", "The claim frequency must be 1 (original), 7 (replacement) or 8 (void).", [
        "frequencyCode",
      ]),
    );
  else if (document.frequencyCode !== "1" && !document.payerClaimControlNumber)
    edits.push(
      error(
        "PAYER_CLAIM_NUMBER_REQUIRED",
        "A replacement or void must carry the payer's claim control number of the claim it corrects (REF*F8).",
        ["payerClaimControlNumber"],
      ),
    );
  if (document.lines.length === 0)
    edits.push(
      error(
        "NO_SERVICE_LINES",
        "The claim has no service lines: return the encounter to coding for its CPT or HCPCS procedures.",
        ["lines"],
      ),
    );
  return edits;
}

function dateEdits(document: ClaimDocument, facts: ScrubFacts): CodeEdit[] {
  const edits: CodeEdit[] = [];
  const future = "bill a service once it has been given, or correct the date";
  if (document.serviceDate > facts.today)
    edits.push(
      error("SERVICE_DATE_IN_FUTURE", `The date of service ${document.serviceDate} is in the future: ${future}.`, [
        "serviceDate",
      ]),
    );
  document.lines.forEach((line, i) => {
    // A line on the claim's own date is the claim's mistake, reported once above.
    if (line.serviceDate > facts.today && line.serviceDate !== document.serviceDate)
      edits.push(
        error(
          "SERVICE_DATE_IN_FUTURE",
          `Line ${i + 1}'s date of service ${line.serviceDate} is in the future: ${future}.`,
          ["lines", `${i}`, "serviceDate"],
        ),
      );
  });
  if (document.payer) {
    const deadline = addDays(document.serviceDate, document.payer.timelyFilingDays);
    const left = daysBetween(facts.today, deadline);
    if (left < 0)
      edits.push(
        error(
          "TIMELY_FILING_PASSED",
          `${document.payer.name} accepts claims for ${document.payer.timelyFilingDays} days from the date of ` +
            `service: the deadline was ${deadline}. Send it only with proof of timely filing or write it off.`,
          ["serviceDate"],
        ),
      );
    else if (left <= TIMELY_FILING_WARNING_DAYS)
      edits.push(
        edit(
          "TIMELY_FILING_NEAR",
          "WARNING",
          `${document.payer.name}'s timely-filing deadline is ${deadline}, ${left} day(s) from now: ` +
            "submit the claim before then.",
          ["serviceDate"],
        ),
      );
  }
  return edits;
}

function lineEdits(document: ClaimDocument, facts: ScrubFacts): CodeEdit[] {
  const edits: CodeEdit[] = [];
  document.lines.forEach((line, i) => {
    if (line.units <= 0)
      edits.push(
        error("UNITS_NOT_POSITIVE", `Line ${i + 1} bills ${line.units} units: bill one or more, or remove the line.`, [
          "lines",
          `${i}`,
          "units",
        ]),
      );
    // A replacement or void is by definition about a claim already sent: it repeats that claim's lines.
    const duplicate =
      document.frequencyCode === "1" &&
      facts.sentLines.find((sent) => sent.code === line.code && sent.sameRenderingProvider);
    if (duplicate)
      edits.push(
        edit(
          "POSSIBLE_DUPLICATE_CLAIM",
          "WARNING",
          `${line.code} for this patient, date and rendering provider went out already on claim ` +
            `${duplicate.patientControlNumber}: bill it again only if it is a separate service (with a modifier).`,
          ["lines", `${i}`, "code"],
        ),
      );
  });
  return edits;
}

/**
 * The claim-form edits of a claim document (the code edits come from the coding engine, see the
 * scrub in claim.service.ts), ERROR before WARNING.
 */
export function claimEdits(document: ClaimDocument, facts: ScrubFacts): CodeEdit[] {
  const edits = [
    ...billingProviderEdits(document),
    ...providerEdits(document.renderingProvider, "rendering provider", "RENDERING", "renderingProvider"),
    ...providerEdits(document.referringProvider, "referring provider", "REFERRING", "referringProvider"),
    ...partyEdits(document),
    ...claimFormEdits(document, facts),
    ...dateEdits(document, facts),
    ...lineEdits(document, facts),
  ];
  return [...edits.filter((e) => e.severity === "ERROR"), ...edits.filter((e) => e.severity !== "ERROR")];
}
