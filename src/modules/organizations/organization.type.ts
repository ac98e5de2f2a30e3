import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { connectionType, Node } from "../../graphql/relay.js";
import type { PayerRow } from "./organization.store.js";

@ObjectType({
  implements: Node,
  description: "A billing entity of the organization (a clinic or hospital), with its own NPI and tax id.",
})
export class Facility extends Node {
  @Field(() => String, { description: "Facility name as printed on claims." })
  name!: string;

  @Field(() => String, { description: "Organization NPI (type 2), ten digits with a valid check digit." })
  npi!: string;

  @Field(() => String, { description: "Federal tax id (EIN), NN-NNNNNNN." })
  taxId!: string;

  @Field(() => String, { description: "Street address (service location)." })
  addressLine1!: string;

  @Field(() => String, { description: "City." })
  city!: string;

  @Field(() => String, { description: "Two-letter state code." })
  state!: string;

  @Field(() => String, { description: "ZIP code (five or nine digits)." })
  postalCode!: string;
}

@ObjectType({ implements: Node, description: "A clinician who renders services and is named on claims." })
export class Provider extends Node {
  @Field(() => String, { description: 'Full name with credential, e.g. "Maya Chen, MD".' })
  name!: string;

  @Field(() => String, { description: "Individual NPI (type 1), ten digits with a valid check digit." })
  npi!: string;

  @Field(() => String, { description: "Health-care provider taxonomy code (X12 PRV03), e.g. 207Q00000X." })
  taxonomyCode!: string;

  @Field(() => String, { description: "Specialty, e.g. Family Medicine." })
  specialty!: string;
}

export const ProviderConnection = connectionType(Provider, "Provider", "providers");

export const PayerKindEnum: Record<PayerRow["kind"], PayerRow["kind"]> = {
  MEDICARE: "MEDICARE",
  MEDICAID: "MEDICAID",
  COMMERCIAL: "COMMERCIAL",
  SELF_PAY: "SELF_PAY",
};
registerEnumType(PayerKindEnum, {
  name: "PayerKind",
  description: "The kind of payer; routing and filing rules differ by kind.",
  valuesConfig: {
    MEDICARE: { description: "Medicare (fee-for-service or a Medicare Administrative Contractor)." },
    MEDICAID: { description: "A state Medicaid program or Medicaid managed-care plan." },
    COMMERCIAL: { description: "A commercial insurer or employer plan." },
    SELF_PAY: { description: "The patient pays; no claim is sent to an insurer." },
  },
});

@ObjectType({ implements: Node, description: "An insurer (or self-pay) that claims are billed to." })
export class Payer extends Node {
  @Field(() => String, { description: "Payer name." })
  name!: string;

  @Field(() => String, { description: "X12 payer identifier used on 837 claims (NM1*PR)." })
  payerId!: string;

  @Field(() => PayerKindEnum, { description: "Medicare, Medicaid, commercial or self-pay." })
  kind!: PayerRow["kind"];

  @Field(() => Int, { description: "Days after the date of service within which the payer accepts a claim." })
  timelyFilingDays!: number;
}
