import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../context.js";
import { Roles } from "../../graphql/auth.js";
import { DateScalar } from "../../graphql/scalars.js";
import { DEFAULT_PAGE_SIZE } from "../../shared/pagination.js";
import { displayCode } from "./codeset.codes.js";
import type { DatedCode } from "./codeset.service.js";
import * as codeSets from "./codeset.service.js";
import { CodeSetRelease, CodeSystemEnum, MedicalCode } from "./codeset.type.js";

/**
 * What one search costs beside the codes it returns: a trigram and word-prefix search over a code
 * set is far more work than reading rows by id, so a document of many searches is refused early.
 */
const SEARCH_COST = 200;
/**
 * What `children` counts as, in codes: an ICD-10-CM code has at most 21 beneath it. An ICD-10-PCS
 * table header has up to about 1,100; the response's list-item budget bounds those as they resolve.
 */
const CHILDREN_ESTIMATE = 25;

@Resolver(() => MedicalCode)
export class MedicalCodeResolver {
  @Roles()
  @Query(() => [MedicalCode], {
    complexity: ({ args, childComplexity }) =>
      SEARCH_COST + childComplexity * Math.max((args["first"] as number | null) ?? DEFAULT_PAGE_SIZE, 1),
    description:
      'Finds codes as a coder types: a code with or without its dot in any case ("e119", "E11.9"), a code ' +
      'prefix ("S72.0"), or words in any order as prefixes ("diab mell w/o comp") with shorthand expanded ' +
      "(HTN, DM2, CHF, COPD, …) and a misspelled word corrected. Ranked: the exact code, codes starting with " +
      "it, then descriptions, billable codes first, then the least specific. Only codes in force on " +
      "`dateOfService`. A query under two letters or digits answers an empty list; over 200 characters is " +
      "BAD_USER_INPUT; a date before every loaded release is BAD_USER_INPUT.",
  })
  searchCodes(
    @Ctx() ctx: RequestContext,
    @Arg("system", () => CodeSystemEnum, { description: "The code set to search." }) system: CodeSystemEnum,
    @Arg("query", () => String, { description: "What the coder typed: a code, a code prefix or words." }) query: string,
    @Arg("dateOfService", () => DateScalar, {
      nullable: true,
      description: "Codes in force on this date; default today (UTC). For inpatient stays pass the discharge date.",
    })
    dateOfService?: string | null,
    @Arg("billableOnly", () => Boolean, {
      nullable: true,
      defaultValue: true,
      description:
        "Only codes that may go on a claim; false adds category headers (after billable codes of the same rank).",
    })
    billableOnly?: boolean,
    @Arg("first", () => Int, {
      nullable: true,
      defaultValue: 20,
      description: "How many codes: default 20, at most 100.",
    })
    first?: number,
  ): Promise<DatedCode[]> {
    return codeSets.searchCodes(ctx.db, { system, query, dateOfService, billableOnly, first });
  }

  @Roles()
  @Query(() => MedicalCode, {
    name: "code",
    nullable: true,
    description:
      "One code as in force on the date of service (default today), typed with or without its dot; null when " +
      "the code set has no such code on that date.",
  })
  findCode(
    @Ctx() ctx: RequestContext,
    @Arg("system", () => CodeSystemEnum, { description: "The code set." }) system: CodeSystemEnum,
    @Arg("code", () => String, { description: 'The code, e.g. "E11.9" or "e119".' }) code: string,
    @Arg("dateOfService", () => DateScalar, {
      nullable: true,
      description: "The date of service; default today (UTC).",
    })
    dateOfService?: string | null,
  ): Promise<DatedCode | null> {
    return codeSets.findCode(ctx.db, system, code, dateOfService);
  }

  @Roles()
  @Query(() => [CodeSetRelease], {
    description: "The code-set and edit-table releases this server has imported, newest first within each data set.",
  })
  codeSetReleases(@Ctx() ctx: RequestContext) {
    return codeSets.releases(ctx.db);
  }

  @FieldResolver(() => String, {
    description:
      "The code as coders write it: ICD-10-CM with its dot (E11.9), others as published (0DTJ4ZZ, J1100, 99213).",
  })
  code(@Root() row: DatedCode): string {
    return displayCode(row.system, row.code);
  }

  @FieldResolver(() => String, { description: "The code without punctuation, as an X12 claim carries it (E119)." })
  compactCode(@Root() row: DatedCode): string {
    return row.code;
  }

  @FieldResolver(() => Int, {
    description:
      'For a header: how many billable codes lie beneath it (0 for a billable code). Use it to say "choose one ' +
      'of 86 codes".',
  })
  billableDescendantCount(@Root() row: DatedCode): number {
    return row.billableDescendants;
  }

  @FieldResolver(() => MedicalCode, {
    nullable: true,
    description: "The code one level up (S72.001A → S72.001 → S72.00 → S72.0 → S72); null at the top of a category.",
  })
  async parent(@Ctx() ctx: RequestContext, @Root() row: DatedCode): Promise<DatedCode | null> {
    if (!row.parentCode) return null;
    const parent = await ctx.loaders.codes.code.load({
      system: row.system,
      code: row.parentCode,
      dateOfService: row.dateOfService,
    });
    return parent ? { ...parent, dateOfService: row.dateOfService } : null;
  }

  @FieldResolver(() => [MedicalCode], {
    complexity: ({ childComplexity }) => 1 + childComplexity * CHILDREN_ESTIMATE,
    description:
      "The codes one level down, in code order (E11 → E11.0 … E11.9); empty for a code with nothing beneath " +
      "it. Each says whether it is billable, so a coder drills down until it is.",
  })
  async children(@Ctx() ctx: RequestContext, @Root() row: DatedCode): Promise<DatedCode[]> {
    const children = await ctx.loaders.codes.children.load({
      system: row.system,
      code: row.code,
      dateOfService: row.dateOfService,
    });
    return children.map((child) => ({ ...child, dateOfService: row.dateOfService }));
  }
}
