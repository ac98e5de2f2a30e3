import { FieldResolver, Resolver, Root } from "type-graphql";
import { QueueRouting } from "../work/index.js";
import type { EncounterType } from "./encounter.store.js";
import { EncounterTypeEnum } from "./encounter.type.js";

/** `QueueRouting.encounterTypes`, here because encounters build on work (work never imports encounters). */
@Resolver(() => QueueRouting)
export class QueueRoutingEncounterTypesResolver {
  @FieldResolver(() => [EncounterTypeEnum], {
    description: "Only encounters of these types, and their claims; empty: any type.",
  })
  encounterTypes(@Root() routing: QueueRouting): EncounterType[] {
    return routing.encounterTypes;
  }
}
