import { NodeResolver } from "./node.resolver.js";

/** The node module's front door: `node(id)`, which answers for every type through the other modules' doors. */

export const resolvers = [NodeResolver] as const;
