import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";

/**
 * Whether the field being resolved selects `name` on its value, directly or through fragments: a
 * resolver may then read what that field needs for every row at once. A field under `@skip` or
 * `@include` counts as selected; reading it anyway is harmless.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const within = (set: SelectionSetNode | undefined): boolean =>
    set?.selections.some((selection) =>
      selection.kind === Kind.FIELD
        ? selection.name.value === name
        : selection.kind === Kind.INLINE_FRAGMENT
          ? within(selection.selectionSet)
          : within(info.fragments[selection.name.value]?.selectionSet),
    ) ?? false;
  return info.fieldNodes.some((node) => within(node.selectionSet));
}
