// Opening a library folder: <dir>/library.sqlite in WAL mode, so the app, the worker and the CLI
// (separate processes) can read while one of them writes.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ClipRecord } from '../../../shared/types.js';
import type { ClipFilters } from './clip-rows.js';
import * as clipsTable from './clips.js';
import { writeTx, type Db, type LibraryContext } from './context.js';
import { markMediaError, storeIngest, type IngestInput, type IngestResult, type MediaErrorInput } from './ingest.js';
import * as jobsTable from './jobs.js';
import * as mediaTable from './media.js';
import { LATEST_VERSION, LibraryVersionError, migrate, schemaVersion } from './migrations.js';
import { search, searchCount, type SearchOptions } from './search.js';
import { SimilarIndex, type SimilarHit } from './similar.js';
import * as tagsTable from './tags.js';
import * as tagModelsTable from './tag-models.js';

export const LIBRARY_FILE = 'library.sqlite';
/** PRAGMA application_id of a Reeltag library ("Reel"), set by migration 1. */
export const APPLICATION_ID = 0x5265656c;

export interface OpenOptions {
  /** Clock for every timestamp the library writes; Date.now by default. */
  now?: () => number;
  /** Open an existing, up-to-date library without writing to it (no migrations, no dir creation). */
  readonly?: boolean;
}

// A table module as methods: (ctx, ...args) => R becomes (...args) => R.
type Bound<M> = {
  [K in keyof M]: M[K] extends (ctx: LibraryContext, ...args: infer A) => infer R ? (...args: A) => R : never;
};

function bind<M extends object>(ctx: LibraryContext, mod: M): Bound<M> {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(mod)) {
    if (typeof fn === 'function') out[name] = (...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(ctx, ...args);
  }
  return out as Bound<M>;
}

export class Library implements LibraryContext {
  readonly media: Bound<typeof mediaTable>;
  readonly clips: Bound<typeof clipsTable>;
  readonly tags: Bound<typeof tagsTable>;
  readonly jobs: Bound<typeof jobsTable>;
  readonly tagModels: Bound<typeof tagModelsTable>;
  private readonly similarIndex: SimilarIndex;

  constructor(
    readonly db: Db,
    readonly now: () => number,
    /** The library.sqlite file. */
    readonly file: string,
  ) {
    this.media = bind(this, mediaTable);
    this.clips = bind(this, clipsTable);
    this.tags = bind(this, tagsTable);
    this.jobs = bind(this, jobsTable);
    this.tagModels = bind(this, tagModelsTable);
    this.similarIndex = new SimilarIndex(db);
  }

  /** More like this: the clips most similar to `clipId` by embedding, best first. */
  similar(clipId: number, limit: number): SimilarHit[] {
    return this.similarIndex.query(clipId, limit);
  }

  /** Every clip's likeness (sketch cosine) to the nearest of `clipIds`; see SimilarIndex.likeness. */
  likeness(clipIds: readonly number[]): Map<number, number> {
    return this.similarIndex.likeness(clipIds);
  }

  storeIngest(input: IngestInput): IngestResult {
    return storeIngest(this, input);
  }

  markMediaError(input: MediaErrorInput): number {
    return markMediaError(this, input);
  }

  search(query: string, opts?: SearchOptions): ClipRecord[] {
    return search(this, query, opts);
  }

  searchCount(query: string, filters?: ClipFilters): number {
    return searchCount(this, query, filters);
  }

  /** Runs fn in one write transaction (BEGIN IMMEDIATE); the library's own writes nest inside it. */
  transaction<T>(fn: () => T): T {
    return writeTx(this.db, fn);
  }

  /** Idempotent. */
  close(): void {
    if (!this.db.open) return;
    // Lets SQLite refresh planner statistics it found stale; cheap, and what the docs recommend.
    if (!this.db.readonly) {
      try {
        this.db.pragma('optimize');
      } catch {
        // Busy with another process's write: statistics can wait for the next close.
      }
    }
    this.db.close();
  }
}

/** Refuses files that are not Reeltag libraries or come from a newer Reeltag, before writing anything. */
function checkFile(db: Db, file: string): number {
  const version = schemaVersion(db);
  const appId = db.pragma('application_id', { simple: true }) as number;
  const empty = (db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number) === 0;
  if (appId !== APPLICATION_ID && !(appId === 0 && version === 0 && empty)) {
    throw new Error(`${file} is not a Reeltag library (application_id ${appId}, user_version ${version})`);
  }
  if (version > LATEST_VERSION) {
    throw new LibraryVersionError(
      `${file} was written by a newer Reeltag (library version ${version}; this Reeltag knows up to ` +
        `${LATEST_VERSION}). Update Reeltag to open it; the file was left untouched.`,
      version,
      LATEST_VERSION,
    );
  }
  return version;
}

export function openLibrary(dir: string, opts: OpenOptions = {}): Library {
  const file = path.join(dir, LIBRARY_FILE);
  if (!opts.readonly) fs.mkdirSync(dir, { recursive: true });
  const db = new Database(file, opts.readonly ? { readonly: true, fileMustExist: true } : {});
  try {
    // First, so every later statement (the WAL switch and migrations included) waits for another
    // process's write lock instead of failing with SQLITE_BUSY.
    db.pragma('busy_timeout = 5000');
    const version = checkFile(db, file);
    if (opts.readonly) {
      if (version < LATEST_VERSION) {
        throw new LibraryVersionError(
          `${file} is at library version ${version} and needs upgrading to ${LATEST_VERSION}: open it read-write once`,
          version,
          LATEST_VERSION,
        );
      }
      db.pragma('query_only = ON');
    } else {
      db.pragma('journal_mode = WAL');
      // Safe with WAL (a power cut can lose the last commits, never corrupt); FULL is the default
      // and costs an fsync per commit.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    }
    return new Library(db, opts.now ?? Date.now, file);
  } catch (err) {
    db.close();
    throw err;
  }
}
