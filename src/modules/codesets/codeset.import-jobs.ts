import { randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { RequestContext, Services } from "../../context.js";
import { actorOf } from "../../context.js";
import { type Database, openDatabase } from "../../db/client.js";
import { type OrganizationScope, organizationOnly } from "../../db/scope.js";
import { notFound, type Outcome, ok, refused, userError } from "../../shared/errors.js";
import { uuidOf } from "../../shared/ids.js";
import { MAX_PAGE_SIZE } from "../../shared/pagination.js";
import { auditChange } from "../audit/index.js";
import { requireRole } from "../auth/index.js";
import { closable, type Delivery, type EventRecord, eventIdOf, eventStream, withEvents } from "../events/index.js";
import type { CodeSystem } from "./codeset.codes.js";
import { sha256File } from "./codeset.files.js";
import {
  appendImportProgress,
  findImportJob,
  finishImportJob,
  IMPORT_JOB_TOPIC,
  type ImportJobEventPayload,
  type ImportJobRow,
  importJobs,
  insertImportJob,
  lockImportJob,
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
  /**
   * Holds the job's lock until the returned function is called: it tells instances starting
   * meanwhile that the job runs on a live instance (see failInterruptedImports). On its own
   * connection, which lives as long as the import; PGlite needs none (one process has the data dir).
   */
  holdJob(jobId: string): Promise<() => Promise<void>>;
  /** Imports running in this instance; stopping waits for them. */
  running: Set<Promise<void>>;
}

export function codeSetImports(
  config: { dataDir: string; databaseUrl: string | undefined; migrationDatabaseUrl: string | undefined },
  db: Database,
): CodeSetImports {
  const { databaseUrl } = config;
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
    async holdJob(jobId) {
      if (!databaseUrl) return async () => {};
      // No maximum lifetime (0; postgres.js has no idle timeout by default): the connection, and with
      // it the lock, lasts until released.
      const client = postgres(databaseUrl, { max: 1, max_lifetime: 0, onnotice: () => {} });
      try {
        await lockImportJob(drizzle({ client }) as unknown as Database, jobId);
      } catch (error) {
        await client.end();
        throw error;
      }
      return () => client.end({ timeout: 5 });
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
  // Locked before the job exists: an instance starting meanwhile never sees it RUNNING unlocked.
  const jobId = randomUUID();
  const release = await ctx.codeSetImports.holdJob(jobId);
  let job: ImportJobRow;
  try {
    job = await withEvents(ctx, async (tx) => {
      const row = await insertImportJob(tx, actor.scope, { id: jobId, file: name, requestedBy: actor.userId });
      await auditChange(tx, ctx, "importCodeSetRelease", "CodeSetImportJob", [row.id]);
      return row;
    });
  } catch (error) {
    await release();
    throw error;
  }
  const options: ImportFileOptions = {
    file: path,
    ...(input.system && { system: input.system }),
    ...(input.label && { label: input.label }),
    ...(input.effectiveFrom && { effectiveFrom: input.effectiveFrom }),
    ...(input.tabular && { tabular: true }),
  };
  const run = runImport(ctx, organizationOnly(actor.orgId), job.id, options)
    .finally(release)
    .catch((error: unknown) => ctx.log.error({ err: error, jobId }, "code-set import job lock not released"))
    .finally(() => ctx.codeSetImports.running.delete(run));
  ctx.codeSetImports.running.add(run);
  return ok(job);
}

/**
 * The import itself, after the mutation answered: progress lines as they come, then how it ended,
 * each with its event (see codeSetImportJobEvents).
 */
async function runImport(
  services: Pick<Services, "db" | "events" | "log" | "codeSetImports" | "codeSets">,
  scope: OrganizationScope,
  jobId: string,
  options: ImportFileOptions,
): Promise<void> {
  const { db, log } = services;
  // Lines are written one after the other, in order, while the import goes on.
  let written = Promise.resolve();
  const progress = (line: string) => {
    written = written.then(() => withEvents(services, (tx) => appendImportProgress(tx, scope, jobId, line)));
  };
  try {
    // The announcement of the commit reaches this instance a moment later: its next request must not wait for it.
    await services.codeSetImports
      .asOwner((owner) => importCodeFile(owner, options, progress))
      .finally(() => services.codeSets.forget());
    await written;
    const release = await releaseOfFile(db, await sha256File(options.file));
    await withEvents(services, (tx) =>
      finishImportJob(tx, scope, jobId, { state: "SUCCEEDED", releaseId: release?.id ?? null }),
    );
  } catch (error) {
    await written.catch(() => {});
    const refusal = error instanceof ImportRefusal ? error : null;
    if (!refusal) log.error({ err: error, jobId }, "code-set import failed");
    await withEvents(services, (tx) =>
      finishImportJob(tx, scope, jobId, {
        state: "FAILED",
        errorCode: refusal?.code ?? "IMPORT_FAILED",
        errorMessage:
          refusal?.message ?? "The import failed on the server (see its log); nothing of the release was written.",
      }),
    ).catch((end) => log.error({ err: end, jobId }, "code-set import job not finished"));
  }
}

/** The organization's code-set imports, newest first (ADMIN). */
export function listImports(ctx: RequestContext, first: number | null | undefined): Promise<ImportJobRow[]> {
  const actor = actorOf(ctx);
  requireRole(actor, ADMINS, "read code-set imports");
  return importJobs(ctx.db, actor.scope, Math.min(Math.max(first ?? 20, 1), MAX_PAGE_SIZE));
}

const jobEventOf = (event: EventRecord) => event.payload as unknown as ImportJobEventPayload;

/**
 * One job's events for an administrator: from its start (or after `after`), replayed from the
 * outbox, then live; the stream ends with the job's SUCCEEDED or FAILED event. NOT_FOUND when the
 * job is not one of the organization's. Being an administrator is checked again before each event.
 */
export async function importJobEvents(
  ctx: RequestContext,
  jobGlobalId: string,
  after: string | null | undefined,
): Promise<AsyncIterableIterator<Delivery>> {
  const actor = actorOf(ctx);
  requireRole(actor, ADMINS, "follow code-set imports");
  const afterId = after ? eventIdOf(after, ctx.events.retentionMs) : null;
  const job = await findJob(ctx, jobGlobalId);
  const source = eventStream(ctx, {
    topics: [IMPORT_JOB_TOPIC],
    afterId: afterId ?? job.eventsAfter,
    accept: (event, now) => {
      if (event.topic !== IMPORT_JOB_TOPIC || jobEventOf(event).jobId !== job.id) return false;
      requireRole(now, ADMINS, "follow code-set imports");
      return true;
    },
  });
  // Ended before its events could be kept (or before they were recorded for it): nothing to replay, nothing to come.
  const gone = job.state !== "RUNNING" && (job.eventsAfter === null || job.finishedAt! < retained(ctx));
  const deliveries = (async function* () {
    if (gone) return;
    for await (const delivery of source) {
      yield delivery;
      if (jobEventOf(delivery.event).type === "SUCCEEDED" || jobEventOf(delivery.event).type === "FAILED") return;
    }
  })();
  return closable(deliveries, () => void source.return?.());
}

const retained = (ctx: RequestContext) => new Date(Date.now() - ctx.events.retentionMs);

/** One of the organization's jobs by its global id, as it is now (ADMIN); NOT_FOUND when it is not one. */
export async function findJob(ctx: RequestContext, jobGlobalId: string): Promise<ImportJobRow> {
  const actor = actorOf(ctx);
  requireRole(actor, ADMINS, "read code-set imports");
  const uuid = uuidOf(jobGlobalId, "CodeSetImportJob");
  const job = uuid ? await findImportJob(ctx.db, actor.scope, uuid) : undefined;
  if (!job) throw notFound("CodeSetImportJob", "jobId");
  return job;
}
