// What every table module needs: the connection and the clock. Passed in (never imported from a
// module-level singleton) so tests and several libraries can live side by side in one process.
import type Database from 'better-sqlite3';

export type Db = Database.Database;

export interface LibraryContext {
  readonly db: Db;
  /** Milliseconds since the epoch; injected so tests can pin timestamps. */
  readonly now: () => number;
}

/**
 * Runs fn in a write transaction. IMMEDIATE takes the write lock up front: with WAL and a second
 * process, a deferred transaction that reads and then writes can fail with SQLITE_BUSY_SNAPSHOT
 * instead of waiting on busy_timeout. Inside another transaction it becomes a savepoint.
 */
export function writeTx<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
