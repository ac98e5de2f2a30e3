/*
 * What a 277CA's STC statuses mean, in plain words for a biller.
 *
 * Provenance: the code values are those of X12's external code lists 507 (Health Care Claim Status Category Code)
 * and 508 (Health Care Claim Status Code), kept by the Health Care Code Maintenance Committee and published by X12,
 * and of X12 data element 98 (Entity Identifier Code) as the 005010X214 guide allows it in STC01-3. The wording is
 * ours. List 508 has some 800 codes: those here are the ones a professional claim's acknowledgement commonly
 * carries; any other reads "status code N (see X12 code list 508)". Every code here is one the shared validator
 * (pyx12 3.1.0, vendor/pyx12/map/codes.xml) accepts, which a test checks.
 */
import { type ExplainedCode, explain } from "./x12-syntax-codes.js";

/** What a status says about a claim's acknowledgement. */
export type StatusOutcome =
  /** Taken into the payer's adjudication system (A2, A5). */
  | "ACCEPTED"
  /** Received or forwarded, not rejected, not yet in adjudication (A0, A1). */
  | "RECEIVED"
  /** Not taken in: the claim must be corrected or sent again (A3, A4, A6, A7, A8, E0, E3, E4). */
  | "REJECTED"
  /** Says nothing about acceptance (pending, finalized, requests for information) or an unknown category. */
  | "OTHER";

interface Category {
  meaning: string;
  outcome: StatusOutcome;
}

/** STC01-1, list 507: the kind of status. */
export const CLAIM_STATUS_CATEGORIES: Readonly<Record<string, Category>> = {
  A0: { meaning: "forwarded to another entity", outcome: "RECEIVED" },
  A1: { meaning: "received, not yet accepted into adjudication", outcome: "RECEIVED" },
  A2: { meaning: "accepted into adjudication", outcome: "ACCEPTED" },
  A3: { meaning: "returned as unprocessable (rejected)", outcome: "REJECTED" },
  A4: { meaning: "not found in the payer's system", outcome: "REJECTED" },
  A5: { meaning: "split on acceptance into adjudication", outcome: "ACCEPTED" },
  A6: { meaning: "rejected for missing information", outcome: "REJECTED" },
  A7: { meaning: "rejected for invalid information", outcome: "REJECTED" },
  A8: { meaning: "rejected for fields that contradict each other", outcome: "REJECTED" },
  D0: { meaning: "no status found for the search", outcome: "OTHER" },
  E0: { meaning: "error in the data sent", outcome: "REJECTED" },
  E1: { meaning: "no response possible for now (system status)", outcome: "OTHER" },
  E2: { meaning: "the information holder is not responding; send again later", outcome: "OTHER" },
  E3: { meaning: "correction required: related fields in error", outcome: "REJECTED" },
  E4: { meaning: "correction required by the trading partner agreement", outcome: "REJECTED" },
  F0: { meaning: "finalized", outcome: "OTHER" },
  F1: { meaning: "finalized: paid", outcome: "OTHER" },
  F2: { meaning: "finalized: denied", outcome: "OTHER" },
  F3: { meaning: "finalized: revised", outcome: "OTHER" },
  F3F: { meaning: "finalized and forwarded to the next payer", outcome: "OTHER" },
  F3N: { meaning: "finalized, not forwarded", outcome: "OTHER" },
  F4: { meaning: "finalized: adjudicated, no payment forthcoming", outcome: "OTHER" },
  F5: { meaning: "finalized: cannot be processed", outcome: "OTHER" },
  P0: { meaning: "pending", outcome: "OTHER" },
  P1: { meaning: "pending: in process", outcome: "OTHER" },
  P2: { meaning: "pending: payer review", outcome: "OTHER" },
  P3: { meaning: "pending: information requested from the provider", outcome: "OTHER" },
  P4: { meaning: "pending: information requested from the patient", outcome: "OTHER" },
  P5: { meaning: "pending: payer administrative or system hold", outcome: "OTHER" },
  R0: { meaning: "more information requested", outcome: "OTHER" },
  R1: { meaning: "more information requested about an entity", outcome: "OTHER" },
  R3: { meaning: "more information requested about the claim or line", outcome: "OTHER" },
  R4: { meaning: "supporting documentation requested", outcome: "OTHER" },
  R5: { meaning: "more specific information requested", outcome: "OTHER" },
  R6: { meaning: "more information requested for regulatory requirements", outcome: "OTHER" },
  R7: { meaning: "more information requested to confirm the care fits the plan's coverage", outcome: "OTHER" },
  R8: { meaning: "more information requested to confirm a coverage exception", outcome: "OTHER" },
  R9: { meaning: "more information requested to determine medical necessity", outcome: "OTHER" },
  R10: { meaning: "more information requested to support a grievance or appeal", outcome: "OTHER" },
  R11: { meaning: "more information requested for pre-payment review", outcome: "OTHER" },
  R12: { meaning: "more information requested to justify the procedure code", outcome: "OTHER" },
  R13: { meaning: "the documents sent could not be read", outcome: "OTHER" },
  R14: { meaning: "the documents sent are not those requested", outcome: "OTHER" },
  R15: { meaning: "more information requested on workers' compensation coverage", outcome: "OTHER" },
  R16: { meaning: "more information requested to determine eligibility", outcome: "OTHER" },
  RQ: { meaning: "a question answered by yes or no", outcome: "OTHER" },
};

/** STC01-2, list 508: what the status is about; {entity} stands for STC01-3's entity. */
export const CLAIM_STATUS_CODES: Readonly<Record<string, string>> = {
  "0": "no further status can be given electronically",
  "1": "see the remittance advice for details",
  "2": "details were sent in a letter",
  "3": "the claim was adjudicated and waits for the payment cycle",
  "15": "one or more procedure codes were changed",
  "16": "the claim was forwarded to {entity}",
  "17": "the claim was forwarded by a third party to {entity}",
  "18": "{entity} received the claim but returned an invalid status",
  "19": "{entity} acknowledges receipt of the claim",
  "20": "accepted for processing",
  "21": "information is missing or invalid; another status says which",
  "23": "returned to {entity}",
  "24": "{entity} is not approved to submit claims electronically",
  "25": "{entity} is not approved",
  "26": "{entity} was not found",
  "27": "the policy was canceled",
  "28": "the claim was sent to the wrong payer",
  "29": "the subscriber and the policy or contract number do not match",
  "30": "the subscriber and the subscriber id do not match",
  "31": "the subscriber and the policyholder name do not match",
  "32": "the subscriber and the policy or contract number were not found",
  "33": "the subscriber and the subscriber id were not found",
  "34": "the subscriber and the policyholder name were not found",
  "35": "the claim was not found",
  "54": "it duplicates a claim or line already processed",
  "78": "it duplicates a claim or line waiting to be processed",
  "84": "the service was not authorized",
  "85": "{entity} is not primary",
  "86": "the diagnosis does not fit the patient's sex",
  "88": "{entity} was not eligible for benefits on the dates of service",
  "90": "{entity} was not eligible for medical benefits on the dates of service",
  "91": "{entity} was not eligible or not approved for the dates of service",
  "96": "there is no agreement with {entity}",
  "97": "the patient's eligibility was not found with {entity}",
  "109": "{entity} is not eligible",
  "114": "the claim or service should be processed by {entity}",
  "116": "the claim was sent to the wrong payer",
  "117": "the claim needs the signature-on-file indicator",
  "121": "it has more service lines than the payer allows",
  "122": "missing or invalid data keeps the payer from processing the claim",
  "123": "more information is requested from {entity}",
  "124": "{entity}'s name, address, phone and id number",
  "125": "{entity}'s name",
  "126": "{entity}'s address",
  "127": "{entity}'s phone or other communication number",
  "128": "{entity}'s tax id",
  "131": "{entity}'s Medicare provider id",
  "132": "{entity}'s Medicaid provider id",
  "135": "{entity}'s commercial provider id",
  "145": "{entity}'s specialty or taxonomy code",
  "148": "{entity}'s Social Security number",
  "153": "{entity}'s id number",
  "155": "{entity}'s relationship to the patient",
  "156": "the patient's relationship to the subscriber",
  "157": "{entity}'s sex",
  "158": "{entity}'s date of birth",
  "159": "{entity}'s date of death",
  "162": "{entity}'s health insurance claim number (HICN)",
  "163": "{entity}'s policy number",
  "164": "{entity}'s contract or member number",
  "171": "other insurance coverage (health, liability, auto)",
  "178": "the submitted charges",
  "187": "the date(s) of service",
  "188": "the statement from–through dates",
  "216": "drug information",
  "218": "the NDC number",
  "247": "line information",
  "248": "the accident's date, state, description and cause",
  "249": "the place of service",
  "250": "the type of service",
  "252": "{entity}'s authorization or certification number",
  "254": "the principal diagnosis code",
  "255": "the diagnosis code",
  "258": "the days or units of the procedure or revenue code",
  "400": "the claim is out of balance",
  "401": "the source of payment is not valid",
  "402": "an amount must be greater than zero; another status says which",
  "448": "billed data that cannot be combined; the payer explains in STC12",
  "453": "the procedure code modifier(s)",
  "454": "the procedure code",
  "455": "the revenue code",
  "464": "the payer's claim control number",
  "473": "the lab indicator is missing or invalid",
  "474": "the procedure code does not fit the patient's sex",
  "475": "the procedure code is not valid for the patient's age",
  "476": "the units of service are missing or invalid",
  "477": "a diagnosis pointer is missing or invalid",
  "478": "the claim submitter's identifier",
  "479": "the other payer's id is missing or invalid",
  "480": "{entity}'s claim filing indicator",
  "481": "the claim or submission format is invalid",
  "487": "the claim was not found; it should have been sent to or through {entity}",
  "488": "the diagnosis code(s) of the services",
  "491": "{entity} may not submit encounters",
  "495": "a re-adjudication request must name the payer's new claim control number",
  "496": "the submitter is not approved to send electronic claims for {entity}",
  "500": "{entity}'s ZIP or postal code",
  "501": "{entity}'s state or province",
  "502": "{entity}'s city",
  "503": "{entity}'s street address",
  "504": "{entity}'s last name",
  "505": "{entity}'s first name",
  "506": "{entity} is changing processor or clearinghouse: send the claim to the new one",
  "507": "the HCPCS code",
  "509": "the external cause of injury code",
  "510": "a date in the future; another status says which",
  "511": "an invalid character; another status says where",
  "512": "a length the receiver cannot take; another status says which data",
  "514": "{entity}'s middle name",
  "516": "the other payer's adjudication or payment date",
  "535": "the claim frequency code",
  "538": "the claim or encounter identifier",
  "555": "the delay reason code",
  "560": "{entity}'s additional or secondary identifier",
  "562": "{entity}'s National Provider Identifier (NPI)",
  "583": "the line item charge amount",
  "584": "the line item control number",
  "589": "the provider's accept-assignment code",
  "663": "{entity}'s group name",
  "672": "the other payer's payment information is out of balance",
  "680": "{entity}'s country",
  "684": "rejected for a syntax error: see the 999 acknowledgement",
  "693": "an amount must be zero or more; another status says which",
  "694": "an amount must not be zero; another status says which",
  "697": "an invalid number of decimal places; another status says which data",
  "700": "an ICD-10 code; another status says which",
  "718": "the claim or service was not sent within the timely filing limit",
  "732": "information inconsistent with billing guidelines; another status says which",
  "733": "the prefix of {entity}'s contract or member number",
  "735": "the service is included in the allowance for another service or claim",
  "741": "{entity} must be a person",
  "743": "{entity}'s credential or enrollment information",
  "745": "an identifier qualifier; another status says which",
  "746": "a duplicate submission",
  "748": "corrected data; another status says which",
  "749": "the date of injury or illness",
  "755": "{entity}'s primary identifier",
};

/** STC01-3, data element 98: whom a status is about. */
export const STATUS_ENTITIES: Readonly<Record<string, string>> = {
  "03": "the dependent",
  "1P": "the provider",
  "1Z": "the home health care provider",
  "36": "the employer",
  "40": "the receiver",
  "41": "the submitter",
  "71": "the attending physician",
  "72": "the operating physician",
  "73": "the other physician",
  "77": "the service location",
  "82": "the rendering provider",
  "85": "the billing provider",
  "87": "the pay-to provider",
  AY: "the clearinghouse",
  DK: "the ordering physician",
  DN: "the referring provider",
  DQ: "the supervising physician",
  FA: "the facility",
  GB: "the other insured",
  HK: "the subscriber",
  IL: "the insured or subscriber",
  LI: "the independent lab",
  MSC: "the mammography screening center",
  PR: "the payer",
  PRP: "the primary payer",
  QB: "the purchased-service provider",
  QC: "the patient",
  QD: "the responsible party",
  SEP: "the secondary payer",
  TL: "the testing laboratory",
  TTP: "the tertiary payer",
  TU: "the third-party repricing organization",
};

/** One STC composite (category, status, entity) in words, with what it says about acceptance. */
export interface ExplainedStatus {
  category: ExplainedCode;
  status: ExplainedCode;
  entity: ExplainedCode | null;
  outcome: StatusOutcome;
  /** The whole status as a sentence: "Rejected for invalid information: the billing provider's NPI." */
  message: string;
}

/** Explains one status; codes the tables lack are named with the list to look them up in, never refused. */
export function explainStatus(categoryCode: string, statusCode: string, entityCode: string | null): ExplainedStatus {
  const category = Object.hasOwn(CLAIM_STATUS_CATEGORIES, categoryCode)
    ? CLAIM_STATUS_CATEGORIES[categoryCode]!
    : { meaning: `category code ${categoryCode} (see X12 code list 507)`, outcome: "OTHER" as const };
  const entity = entityCode
    ? explain(STATUS_ENTITIES, entityCode, `entity ${entityCode} (see X12 data element 98)`)
    : null;
  const template = Object.hasOwn(CLAIM_STATUS_CODES, statusCode) ? CLAIM_STATUS_CODES[statusCode]! : null;
  const words = template
    ? template.replaceAll("{entity}", entity?.meaning ?? "the entity")
    : `status code ${statusCode} (see X12 code list 508)`;
  const about = entity && !template?.includes("{entity}") ? ` (${entity.meaning})` : "";
  const sentence = `${category.meaning}: ${words}${about}.`;
  return {
    category: { code: categoryCode, meaning: category.meaning },
    status: { code: statusCode, meaning: words },
    entity,
    outcome: category.outcome,
    message: sentence[0]!.toUpperCase() + sentence.slice(1),
  };
}
