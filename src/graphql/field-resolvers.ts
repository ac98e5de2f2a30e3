import { type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from "graphql";
import { getMetadataStorage, type MiddlewareFn, type ResolverData } from "type-graphql";

/*
 * type-graphql wraps every field's resolver in its middleware chain, whether or not the field has
 * middleware: each field read of each row builds a resolver-data object, sorts and maps the method's
 * parameters, looks the resolver instance up in a list of them and, with any middleware, awaits a
 * chain of async functions. A 50-row list reads a thousand fields. `directFieldResolvers` replaces
 * the resolver of each field that needs none of that with one doing the same work directly.
 */

type Before<Context extends object> = (data: ResolverData<Context>) => void;
type FieldMetadata = NonNullable<ReturnType<typeof getMetadataStorage>["objectTypes"][number]["fields"]>[number];
type ResolverInstance = Record<string, (...params: unknown[]) => unknown>;

/**
 * A middleware that only runs something before the field, and nothing after, says so by carrying
 * that as its `beforeField` (as PhiRead does): it can then run without type-graphql's async chain.
 */
type BeforeFieldMiddleware = MiddlewareFn<object> & { beforeField?: Before<object> };

/** The `beforeField` of each middleware if all have one, else null. */
function beforesOf(middlewares: readonly unknown[] | undefined): Before<object>[] | null {
  const befores: Before<object>[] = [];
  for (const middleware of middlewares ?? []) {
    const before = (middleware as BeforeFieldMiddleware).beforeField;
    if (typeof before !== "function") return null;
    befores.push(before);
  }
  return befores;
}

type Resolver = GraphQLFieldResolver<Record<string, unknown>, object>;
type ParamReader = (root: Record<string, unknown>, context: unknown, info: unknown) => unknown;

/**
 * Replaces, in a schema type-graphql built from `resolverClasses` (with no global middlewares and no
 * validation), the resolver of every object field that type-graphql would run the same way:
 * - a plain property (no field resolver method) whose middlewares, if any, all have a `beforeField`;
 * - a method of a resolver class whose parameters are only `@Root()` (untyped), `@Ctx()` and
 *   `@Info()`, with such middlewares.
 * Fields with roles, arguments or other middleware keep type-graphql's resolver, which checks and
 * converts them. The replacement calls the same method on one instance of its class (resolver
 * classes hold no state), and runs the middlewares' `before` in order first, as type-graphql would.
 */
export function directFieldResolvers(schema: GraphQLSchema, resolverClasses: readonly object[]): void {
  const storage = getMetadataStorage();
  const fieldResolvers = storage.fieldResolvers.filter(
    (resolver) => resolver.kind === "internal" || resolverClasses.includes(resolver.target),
  );
  const instances = new Map<object, ResolverInstance>();
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const fields = type.getFields();
    // As type-graphql builds the type: its interfaces' fields, then its own, a later one of a name winning.
    const byName = new Map<string, FieldMetadata>();
    for (const field of [
      ...storage.interfaceTypes
        .filter((it) => objectType.interfaceClasses?.includes(it.target))
        .flatMap((it) => it.fields ?? []),
      ...(objectType.fields ?? []),
    ]) {
      byName.set(field.schemaName, field);
    }
    for (const [name, field] of byName) {
      const target = fields[name];
      if (!target?.resolve || field.simple || field.roles) continue;
      const method = fieldResolvers.find((it) => it.getObjectType?.() === field.target && it.methodName === field.name);
      const befores = beforesOf(method ? method.middlewares : field.middlewares);
      if (!befores) continue;
      if (!method) {
        target.resolve = withBefores(befores, (root) => root[field.name]);
        continue;
      }
      if (method.kind !== "external" || method.roles) continue;
      const readers = paramReaders(method.params ?? []);
      if (!readers) continue;
      let instance = instances.get(method.target);
      if (!instance) {
        instance = new (method.target as unknown as new () => ResolverInstance)();
        instances.set(method.target, instance);
      }
      target.resolve = withBefores(befores, methodCall(instance, method.methodName, readers));
    }
  }
}

/** Calls the method with its parameters read; the usual one or two without building an array. */
function methodCall(instance: ResolverInstance, methodName: string, readers: ParamReader[]): Resolver {
  const method = instance[methodName]!;
  const [first, second] = readers;
  if (readers.length === 1) return (root, _args, context, info) => method.call(instance, first!(root, context, info));
  if (readers.length === 2)
    return (root, _args, context, info) =>
      method.call(instance, first!(root, context, info), second!(root, context, info));
  return (root, _args, context, info) =>
    method.apply(
      instance,
      readers.map((read) => read(root, context, info)),
    );
}

function withBefores(befores: Before<object>[], resolve: Resolver): Resolver {
  if (befores.length === 0) return resolve;
  return (root, args, context, info) => {
    const data = { root, args, context, info };
    for (const before of befores) before(data);
    return resolve(root, args, context, info);
  };
}

/** How to read each parameter, in order, or null when one needs type-graphql (arguments, typed roots). */
function paramReaders(params: readonly NonNullable<FieldMetadata["params"]>[number][]): ParamReader[] | null {
  const readers: ParamReader[] = [];
  for (const param of [...params].sort((a, b) => a.index - b.index)) {
    if (param.index !== readers.length) return null;
    if (param.kind === "root" && !param.getType) {
      const property = param.propertyName;
      readers.push(property ? (root) => root[property] : (root) => root);
    } else if (param.kind === "context") {
      const property = param.propertyName;
      readers.push(
        property ? (_root, context) => (context as Record<string, unknown>)[property] : (_root, context) => context,
      );
    } else if (param.kind === "info") {
      readers.push((_root, _context, info) => info);
    } else {
      return null;
    }
  }
  return readers;
}
