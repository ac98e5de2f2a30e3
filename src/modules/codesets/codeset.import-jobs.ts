import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import type { RequestContext } from "../../context.js";
import { actorOf } from "../../context.js";
import { type Database, openDatabase } from "../../db/client.js";
import { type OrganizationScope, organizationOnly } from "../../db/scope.js";
import { type Outcome, ok, refused, userError } from "../../shared/errors.js";
import { MAX_PAGE_SIZE } from "../../shared/pagination.js";
import { auditChange } from "../audit/index.js";
import { requireRole } from "../auth/index.js";
import type { CodeSystem } from "./codeset.codes.js";
import { sha256File } from "./codeset.files.js";
import {
  appendImportProgress,
  finishImportJob,
  type ImportJobRow,
  importJobs,
  insertImportJob,
  releaseOfFile,
} from "./codeset.import-store.js";
import { type ImportFileOptions, importCodeFile } from "./codeset.importer.js";
import { ImportRefusal } from "./codeset.readers.js";

/*
 * Code-set imports an administrator starts through the API. The release file is one the server can
 * read in its import folder (<CHARTROOM_DATA_DIR>/code-set-imports): CMS's files run to 30 MB, too
 * large for a request body, and read from disk they go through the very readers `npm run
 * import-codes` uses. The import runs after the mutation answers (an ICD-10-CM release takes
 * minutes); its job row says how it goes.
 */

/** How this server instance runs code-set imports. */
export interface CodeSetImports {
  /** The folder release files are put in. */
  dir: string;
  /**
   * Runs `work` as the tables' owner: loading codes rebuilds the search words and statistics, which
   * the server's own role may not (MIGRATION_DATABASE_URL names the owner, as for `import-codes`).
   */
  asOwner<T>(work: (db: Database) => Promise<T>): Promise<T>;
  /** Imports running in this instance; stopping waits for them. */
  running: Set<Promise<void>>;
}

export function codeSetImports(
  config: { dataDir: string; migrationDatabaseUrl: string | undefined },
  db: Database,
): CodeSetImports {
  return {
    dir: join(config.dataDir, "code-set-imports"),
    running: new Set(),
    async asOwner(work) {
      if (!config.migrationDatabaseUrl) return work(db);
      const owner = await openDatabase({ url: config.migrationDatabaseUrl, maxConnections: 1 });
      try {
        return await work(owner.db);
      } finally {
        await owner.close();
      }
    },
  };
}

const ADMINS = ["ADMIN"] as const;
/** A file name in the import folder: no folder part, nothing hidden. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export interface ImportReleaseInput {
  file: string;
  system?: CodeSystem | null;
  label?: string | null;
  effectiveFrom?: string | null;
  tabular?: boolean | null;
}

/**
 * Starts importing a release file from the import folder, as `npm run import-codes` would: the job is
 * RUNNING when this returns. A name outside the folder or of no file there is a userError; what the
 * file holds is judged by the import, which ends the job FAILED (writing nothing of the release) or
 * SUCCEEDED. Audited.
 */
export async function startImport(ctx: RequestContext, input: ImportReleaseInput): Promise<Outcome<ImportJobRow>> {
  const actor = actorOf(ctx);
  requireRole(actor, ADMINS, "import code-set releases");
  const name = input.file.trim();
  if (!FILE_NAME.test(name) || name.includes("..")) {
    return refused([
      userError("FILE_NAME_INVALID", "Give the name of a file in the import folder, without a folder.", ["file"]),
    ]);
  }
  const path = join(ctx.codeSetImports.dir, name);
  if (!(await stat(path).catch(() => null))?.isFile()) {
    return refused([
      userError("FILE_NOT_FOUND", `No file ${name} in the import folder (code-set-imports in the data folder).`, [
        "file",
      ]),
    ]);
  }
  const job = await ctx.db.transaction(async (tx) => {
    const row = await insertImportJob(tx, actor.scope, { file: name, requestedBy: actor.userId });
    await auditChange(tx, ctx, "importCodeSetRelease", "CodeSetImportJob", [row.id]);
    return row;
  });
  const options: ImportFileOptions = {
    file: path,
    ...(input.system && { system: input.system }),
    ...(input.label && { label: input.label }),
    ...(input.effectiveFrom && { effectiveFrom: input.effectiveFrom }),
    ...(input.tabular && { tabular: true }),
  };
  const run = runImport(ctx.db, ctx.codeSetImports, ctx.log, organizationOnly(actor.orgId), job.id, options).finally(
    () => ctx.codeSetImports.running.delete(run),
  );
  ctx.codeSetImports.running.add(run);
  return ok(job);
}

/** The import itself, after the mutation answered: progress lines as they come, then how it ended. */
async function runImport(
  db: Database,
  imports: CodeSetImports,
  log: Logger,
  scope: OrganizationScope,
  jobId: string,
  options: ImportFileOptions,
): Promise<void> {
  // Lines are written one after the other, in order, while the import goes on.
  let written = Promise.resolve();
  const progress = (line: string) => {
    written = written.then(() => appendImportProgress(db, scope, jobId, line));
  };
  try {
    await imports.asOwner((owner) => importCodeFile(owner, options, progress));
    await written;
    const release = await releaseOfFile(db, await sha256File(options.file));
    await finishImportJob(db, scope, jobId, { state: "SUCCEEDED", releaseId: release?.id ?? null });
  } catch (error) {
    await written.catch(() => {});
    const refusal = error instanceof ImportRefusal ? error : null;
    if (!refusal) log.error({ err: error, jobId }, "code-set import failed");
    await finishImportJob(db, scope, jobId, {
      state: "FAILED",
      errorCode: refusal?.code ?? "IMPORT_FAILED",
      errorMessage:
        refusal?.message ?? "The import failed on the server (see its log); nothing of the release was written.",
    }).catch((end) => log.error({ err: end, jobId }, "code-set import job not finished"));
  }
}

/** The organization's code-set imports, newest first (ADMIN). */
export function listImports(ctx: RequestContext, first: number | null | undefined): Promise<ImportJobRow[]> {
  const actor = actorOf(ctx);
  requireRole(actor, ADMINS, "read code-set imports");
  return importJobs(ctx.db, actor.scope, Math.min(Math.max(first ?? 20, 1), MAX_PAGE_SIZE));
}
