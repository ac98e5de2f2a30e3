import { Arg, Ctx, Field, InputType, Mutation, ObjectType, Resolver } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { UserError } from "../../graphql/relay.js";
import { User } from "../users/user.type.js";
import type { UserRow } from "../users/user.store.js";
import { login } from "./auth.service.js";

@InputType({ description: "E-mail and password of a Chartroom user." })
class LoginInput {
  @Field(() => String, { description: "Sign-in e-mail (case does not matter)." })
  email!: string;

  @Field(() => String, { description: "Password." })
  password!: string;
}

@ObjectType({ description: "Result of signing in." })
class LoginPayload {
  @Field(() => String, { nullable: true, description: "Bearer token: send it as `Authorization: Bearer <token>` (HTTP) or `{ authorization }` in connection_init (WebSocket)." })
  token!: string | null;

  @Field(() => User, { nullable: true, description: "The signed-in user." })
  user!: UserRow | null;

  @Field(() => [UserError], { description: "INVALID_CREDENTIALS, LOGIN_THROTTLED, or PASSWORD_SIGN_IN_DISABLED where only an identity provider signs users in; empty on success." })
  userErrors!: UserError[];
}

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload, {
    description: "Signs in with e-mail and password. Five failures within 15 minutes lock the e-mail for 15 minutes.",
  })
  async login(@Ctx() ctx: RequestContext, @Arg("input", () => LoginInput, { description: "Credentials." }) input: LoginInput) {
    const outcome = await login(ctx.db, ctx.tokens, input, ctx.requestId);
    return { token: outcome.value?.token ?? null, user: outcome.value?.user ?? null, userErrors: outcome.userErrors };
  }
}
