import { UserResolver } from "./user.resolver.js";

/** The users module's front door: what other modules may use. Inside the module, files import each other directly. */

export {
  findActiveUserByEmail,
  findActiveUserById,
  findActiveUsersByIds,
  type Role,
  setPasswordHash,
  type UserRow,
  type UserWithFacilities,
  userWithFacilitiesById,
} from "./user.store.js";
export { RoleEnum, User } from "./user.type.js";

export const resolvers = [UserResolver] as const;
export { userLoaders as loaders } from "./user.loaders.js";
