import { Field, ID, InputType, ObjectType } from "type-graphql";
import { connectionType, UserError } from "../../graphql/relay.js";
import { type Role, RoleEnum, User, type UserRow } from "../users/index.js";

export const UserConnection = connectionType(User, "User", "users");

@InputType({ description: "Narrows a user list. All given conditions must hold." })
export class UserFilter {
  @Field(() => [RoleEnum], { nullable: true, description: "Users holding any of these roles; absent or empty: all." })
  roles?: Role[] | null;

  @Field(() => ID, {
    nullable: true,
    description: "Users of this facility: granted it, or administrators (who see every facility).",
  })
  facilityId?: string | null;

  @Field(() => Boolean, { nullable: true, description: "True: active users only; false: deactivated ones only." })
  active?: boolean | null;

  @Field(() => String, { nullable: true, description: "Part of the name or the e-mail, case ignored." })
  search?: string | null;
}

@InputType({ description: "A new user of the caller's organization." })
export class CreateUserInput {
  @Field(() => String, { description: "Sign-in e-mail; unique across Chartroom (case does not matter)." })
  email!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;

  @Field(() => [RoleEnum], { description: "At least one role." })
  roles!: Role[];

  @Field(() => [String], { nullable: true, description: "Professional credentials such as CPC or CCS." })
  credentials?: string[] | null;

  @Field(() => [ID], {
    nullable: true,
    description: "Facilities the user may see; administrators see every facility regardless.",
  })
  facilityIds?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The user's first password, at least 12 characters. Absent: Chartroom generates one and returns it once, " +
      "as `initialPassword`.",
  })
  password?: string | null;
}

@ObjectType({ description: "Result of creating a user." })
export class CreateUserPayload {
  @Field(() => User, { nullable: true, description: "The new user; null when userErrors is not empty." })
  user!: UserRow | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The generated first password when none was given, shown this once: hand it to the user, who changes it " +
      "with `changePassword`. Null when a password was given.",
  })
  initialPassword!: string | null;

  @Field(() => [UserError], {
    description:
      "INVALID_EMAIL, EMAIL_TAKEN, NAME_REQUIRED, TEXT_TOO_LONG, ROLES_REQUIRED, INVALID_CREDENTIAL, " +
      "UNKNOWN_FACILITY (not a facility of this organization), PASSWORD_TOO_SHORT, PASSWORD_TOO_LONG.",
  })
  userErrors!: UserError[];
}

@ObjectType({ description: "Result of changing a user." })
export class UserPayload {
  @Field(() => User, { nullable: true, description: "The user as now; null when userErrors is not empty." })
  user!: UserRow | null;

  @Field(() => [UserError], {
    description:
      "LAST_ADMIN (the organization would be left without an active administrator), ROLES_REQUIRED, " +
      "INVALID_CREDENTIAL, UNKNOWN_FACILITY; empty on success.",
  })
  userErrors!: UserError[];
}

@InputType({ description: "A user and the roles they are to hold." })
export class SetUserRolesInput {
  @Field(() => ID, { description: "The user." })
  userId!: string;

  @Field(() => [RoleEnum], { description: "Every role the user is to hold (at least one); others are taken away." })
  roles!: Role[];
}

@InputType({ description: "A user and the credentials they are to hold." })
export class SetUserCredentialsInput {
  @Field(() => ID, { description: "The user." })
  userId!: string;

  @Field(() => [String], { description: "Every credential the user holds, e.g. CPC, CCS; empty for none." })
  credentials!: string[];
}

@InputType({ description: "A user and the facilities they are to see." })
export class SetUserFacilitiesInput {
  @Field(() => ID, { description: "The user." })
  userId!: string;

  @Field(() => [ID], { description: "Every facility the user is granted; others are taken away." })
  facilityIds!: string[];
}

@InputType({ description: "A user of the caller's organization." })
export class UserRefInput {
  @Field(() => ID, { description: "The user." })
  userId!: string;
}
