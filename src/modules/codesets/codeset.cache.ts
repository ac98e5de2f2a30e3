import { LRUCache } from "lru-cache";
import type { Database, DatabaseHandle } from "../../db/client.js";
import { type EditTables, type EditTablesAsk, editTablesOf } from "./codeset.store.js";

/**
 * The channel a committed change to the code sets is announced on: a trigger on each table the coding
 * edits read sends it (migration 0027), so every importer and every instance is covered.
 */
export const CODE_SET_CHANGES_CHANNEL = "chartroom_code_set_changes";

/** Asks kept at most: an encounter's tables are some tens of KiB, so a few thousand encounters' worth. */
const KEPT_ASKS = 2_000;

/**
 * How long an answer is kept at most: only bounds how long a missed announcement (a LISTEN connection
 * reconnecting) could leave one stale.
 */
const KEPT_MS = 5 * 60_000;

/**
 * The code-set rows the coding edits read (editTablesOf), kept by what was asked, for the instance's
 * requests: reading an encounter's edits, or saving codes the coder saved before, then reads none of
 * them. Code sets change only when an import commits, and the database announces each such commit to
 * every instance (CODE_SET_CHANGES_CHANNEL): everything kept is then forgotten, as it is when listening
 * (re)starts. A read still running when the announcement comes is forgotten with the rest, so what it
 * read before the commit is never kept after it. The rows are shared by every request that asks the
 * same: callers read them and change nothing.
 */
export class CodeSetCache {
  readonly #tables = new LRUCache<string, Promise<EditTables>>({ max: KEPT_ASKS, ttl: KEPT_MS });
  #unlisten: (() => Promise<void>) | null = null;

  constructor(private readonly database: DatabaseHandle) {}

  /** Listens for code-set changes; answers are kept only from then on. */
  async start(): Promise<void> {
    this.#unlisten = await this.database.listen(
      CODE_SET_CHANGES_CHANNEL,
      () => this.forget(),
      // Listening (re)started: a change may have gone unheard meanwhile.
      () => this.forget(),
    );
  }

  async stop(): Promise<void> {
    await this.#unlisten?.();
    this.#unlisten = null;
    this.forget();
  }

  /**
   * Drops everything kept. Called on each announcement, and by this instance's own imports right after
   * they commit, so that its next request already reads the new release.
   */
  forget(): void {
    this.#tables.clear();
  }

  /** editTablesOf, answered from what is kept when the same was asked since the code sets last changed. */
  editTables(db: Database, ask: EditTablesAsk): Promise<EditTables> {
    if (!this.#unlisten) return editTablesOf(db, ask);
    const key = JSON.stringify(ask);
    let tables = this.#tables.get(key);
    if (!tables) {
      const reading = editTablesOf(db, ask);
      tables = reading;
      this.#tables.set(key, reading);
      reading.catch(() => {
        if (this.#tables.peek(key) === reading) this.#tables.delete(key);
      });
    }
    return tables;
  }
}
