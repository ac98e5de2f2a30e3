import { Arg, Ctx, Field, InputType, Mutation, ObjectType, Resolver } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { UserError } from "../../graphql/relay.js";
import { DomainError } from "../../shared/errors.js";
import type { UserRow } from "../users/index.js";
import { User } from "../users/index.js";
import { changePassword, login } from "./auth.service.js";
import { MIN_PASSWORD_LENGTH } from "./passwords.js";

@InputType({ description: "E-mail and password of a Chartroom user." })
class LoginInput {
  @Field(() => String, { description: "Sign-in e-mail (case does not matter)." })
  email!: string;

  @Field(() => String, { description: "Password." })
  password!: string;
}

@ObjectType({ description: "Result of signing in." })
class LoginPayload {
  @Field(() => String, {
    nullable: true,
    description:
      "Bearer token: send it as `Authorization: Bearer <token>` (HTTP) or `{ authorization }` in connection_init " +
      "(WebSocket).",
  })
  token!: string | null;

  @Field(() => User, { nullable: true, description: "The signed-in user." })
  user!: UserRow | null;

  @Field(() => [UserError], {
    description: "INVALID_CREDENTIALS when the e-mail or the password is wrong; empty on success.",
  })
  userErrors!: UserError[];
}

@InputType({ description: "The signed-in user's current password and the one to replace it." })
class ChangePasswordInput {
  @Field(() => String, { description: "The password the user signs in with now." })
  currentPassword!: string;

  @Field(() => String, { description: `The new password: at least ${MIN_PASSWORD_LENGTH} characters.` })
  newPassword!: string;
}

@ObjectType({ description: "Result of changing one's password." })
class ChangePasswordPayload {
  @Field(() => String, {
    nullable: true,
    description: "A new bearer token: every token issued before the change is refused from now on.",
  })
  token!: string | null;

  @Field(() => User, { nullable: true, description: "The signed-in user." })
  user!: UserRow | null;

  @Field(() => [UserError], {
    description:
      "INVALID_CREDENTIALS (the current password is wrong), PASSWORD_TOO_SHORT, PASSWORD_TOO_LONG; empty on success.",
  })
  userErrors!: UserError[];
}

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload, {
    description:
      "Signs in with e-mail and password. Failures in a row on an e-mail, and failures from one network address, " +
      "make further attempts wait: a RATE_LIMITED error whose message says how long (with extensions.field " +
      "`email` when the e-mail must wait, none when the network address must). By default each attempt after the " +
      "fifth failure on an e-mail waits 1 minute, twice as long after each further failure, up to 15 minutes. A " +
      "successful sign-in clears the e-mail's failures. Where only an identity provider signs users in, password " +
      "sign-in is FORBIDDEN.",
  })
  async login(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => LoginInput, { description: "Credentials." }) input: LoginInput,
  ) {
    const outcome = await login(ctx.db, ctx.tokens, ctx.loginLimits, input, {
      requestId: ctx.requestId,
      clientAddress: ctx.clientAddress,
    }).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === "RATE_LIMITED") ctx.metrics.loginLockouts.inc();
      throw error;
    });
    if (outcome.userErrors.length > 0) ctx.metrics.loginFailures.inc();
    return { token: outcome.value?.token ?? null, user: outcome.value?.user ?? null, userErrors: outcome.userErrors };
  }

  @Roles()
  @Mutation(() => ChangePasswordPayload, {
    description:
      "Changes the signed-in user's password; the current one is required. Every session (token) issued before " +
      "ends: requests and subscriptions with it are UNAUTHENTICATED. Use the token returned.",
  })
  async changePassword(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ChangePasswordInput, { description: "Current and new password." }) input: ChangePasswordInput,
  ) {
    const outcome = await changePassword(ctx, input);
    return { token: outcome.value?.token ?? null, user: outcome.value?.user ?? null, userErrors: outcome.userErrors };
  }
}
