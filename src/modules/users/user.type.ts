import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Node } from "../../graphql/relay.js";
import type { Role } from "./user.store.js";

export const RoleEnum: Record<Role, Role> = {
  CODER: "CODER",
  BILLER: "BILLER",
  AUDITOR: "AUDITOR",
  SUPERVISOR: "SUPERVISOR",
  ADMIN: "ADMIN",
};

registerEnumType(RoleEnum, {
  name: "Role",
  description: "What a user may do. A user may hold several roles.",
  valuesConfig: {
    CODER: { description: "Assigns diagnosis and procedure codes to encounters." },
    BILLER: { description: "Builds, submits and follows up claims; posts remittances." },
    AUDITOR: { description: "Reviews a sample of coded encounters and records corrections." },
    SUPERVISOR: { description: "Assigns work, watches queues and reads productivity reports." },
    ADMIN: { description: "Manages the organization's users and settings; sees every facility." },
  },
});

@ObjectType({ implements: Node, description: "A person who signs in to Chartroom, in one organization." })
export class User extends Node {
  @Field(() => String, { description: "Sign-in e-mail, lower-case." })
  email!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;

  @Field(() => [RoleEnum], { description: "Roles held; they decide which queries and mutations the user may call." })
  roles!: Role[];

  @Field(() => [String], {
    description: "Professional credentials such as CPC, CCS or CRC; some work queues require one.",
  })
  credentials!: string[];

  @Field(() => Boolean, {
    description: "False once an administrator deactivated the user: they cannot sign in, and are given no work.",
  })
  active!: boolean;
}
