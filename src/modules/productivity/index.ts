import { ProductivityResolver } from "./productivity.resolver.js";

/** The productivity module's front door: its resolvers are the application's; nothing is for other modules. */

export const resolvers = [ProductivityResolver] as const;
