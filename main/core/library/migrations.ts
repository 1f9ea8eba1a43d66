// Numbered schema migrations. PRAGMA user_version holds the number of the last one applied.
// A migration file is frozen once released: it holds literal SQL and imports no shared helpers,
// so later refactors cannot change what an old step does.
import type { Db } from './context.js';
import { migration001 } from './migrations/001-initial.js';
import { migration002 } from './migrations/002-tag-models.js';

export interface Migration {
  /** 1-based and contiguous: MIGRATIONS[i].version === i + 1. */
  readonly version: number;
  readonly name: string;
  /** Runs inside a transaction that migrate() opens; must not commit or change PRAGMA foreign_keys. */
  up(db: Db): void;
}

export const MIGRATIONS: readonly Migration[] = [migration001, migration002];

export const LATEST_VERSION: number = MIGRATIONS.length;

/** The file was written by a newer Reeltag (or is not a Reeltag library at all). */
export class LibraryVersionError extends Error {
  constructor(
    message: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(message);
    this.name = 'LibraryVersionError';
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function checkList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list is not contiguous: #${i} has version ${m.version}`);
  });
}

/**
 * Brings the schema to `target` (default: the newest known), one transaction per step, and
 * returns the version reached. Foreign keys are switched off for the run (SQLite's recipe for
 * table rebuilds; the pragma is a no-op inside a transaction) and each step must leave
 * `PRAGMA foreign_key_check` clean before it commits.
 */
export function migrate(db: Db, target?: number, migrations: readonly Migration[] = MIGRATIONS): number {
  checkList(migrations);
  const latest = migrations.length;
  const goal = target ?? latest;
  if (!Number.isInteger(goal) || goal < 0 || goal > latest) {
    throw new Error(`cannot migrate to version ${goal}: known versions are 0..${latest}`);
  }
  const current = schemaVersion(db);
  if (current > latest) {
    throw new LibraryVersionError(
      `library schema version ${current} is newer than this Reeltag supports (${latest}); update Reeltag to open it`,
      current,
      latest,
    );
  }
  if (goal < current) throw new Error(`cannot migrate down from version ${current} to ${goal}`);
  if (goal === current) return current;
  if (db.inTransaction) throw new Error('migrate() must not run inside a transaction');

  const foreignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of migrations.slice(current, goal)) {
      db.transaction(() => {
        // Another process may have applied this step while we waited for the write lock.
        if (schemaVersion(db) >= m.version) return;
        m.up(db);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) {
          throw new Error(`migration ${m.version} (${m.name}) leaves ${broken.length} foreign key violation(s)`);
        }
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    }
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
  return schemaVersion(db);
}
