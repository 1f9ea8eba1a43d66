// Shared by the library tests: temp folders, ingest inputs, and a generic migration harness
// ("migrate to N-1, insert rows, migrate to N, compare").
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { MediaInfo, TagKind } from '../../../../shared/types.js';
import type { Db } from '../../../../main/core/library/context.js';
import type { IngestClip, IngestInput } from '../../../../main/core/library/ingest.js';
import { EMBEDDING_DIM } from '../../../../main/core/library/embedding-codec.js';
import { MIGRATIONS, migrate, type Migration } from '../../../../main/core/library/migrations.js';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-lib-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A clock that advances by 1 ms per call, from a fixed start. */
export function fakeClock(start = 1_700_000_000_000): () => number {
  let t = start;
  return () => t++;
}

export const INFO: MediaInfo = {
  durationSec: 60,
  fps: 25,
  width: 1280,
  height: 720,
  rotation: 0,
  videoCodec: 'h264',
  audioCodec: 'aac',
  frameCount: 1500,
  container: 'mov,mp4,m4a,3gp,3g2,mj2',
  bitRate: 2_000_000,
};

export function hashOf(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export function embeddingFor(seed: number): Float32Array {
  const v = new Float32Array(EMBEDDING_DIM);
  for (let i = 0; i < v.length; i++) v[i] = Math.sin(seed * 1000 + i) / (i + 1);
  return v;
}

/** A clip spanning [start, end) seconds at 25 fps. */
export function clip(
  start: number,
  end: number,
  tags: Array<{ name: string; kind: TagKind; confidence: number }> = [],
  extra: Partial<IngestClip> = {},
): IngestClip {
  return {
    start,
    end,
    startFrame: Math.round(start * 25),
    endFrame: Math.round(end * 25) - 1,
    startTransition: start === 0 ? null : 'cut',
    endTransition: 'cut',
    thumbnail: null,
    embedding: null,
    tags,
    ...extra,
  };
}

export function ingestInput(p: string, clips: IngestClip[], extra: Partial<IngestInput> = {}): IngestInput {
  return {
    path: p,
    fileName: path.basename(p),
    contentHash: hashOf(p),
    sizeBytes: 1234,
    mtimeMs: 1_700_000_000_123.5,
    info: INFO,
    clips,
    ...extra,
  };
}

// ---- migration harness -------------------------------------------------------------------

export type Row = Record<string, unknown>;

export interface Snapshot {
  /** type/name/sql of every schema object, by name. */
  schema: Array<{ type: string; name: string; sql: string | null }>;
  /** Rows of every ordinary and virtual table (FTS shadow tables excluded), in a stable order. */
  tables: Record<string, Row[]>;
}

function stable(rows: Row[]): Row[] {
  const key = (r: Row) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function snapshot(db: Db): Snapshot {
  const schema = db
    .prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as Snapshot['schema'];
  const tables: Record<string, Row[]> = {};
  const list = db.prepare("SELECT name, type FROM pragma_table_list WHERE schema = 'main'").all() as Array<{
    name: string;
    type: string;
  }>;
  for (const { name, type } of list) {
    if (name.startsWith('sqlite_') || type === 'shadow') continue;
    const rowid = type === 'virtual' ? 'rowid AS _rowid, ' : '';
    tables[name] = stable(db.prepare(`SELECT ${rowid}* FROM "${name}"`).all() as Row[]);
  }
  return { schema, tables };
}

/** Keeps only the given columns of each row. */
export function project(rows: Row[], columns: string[]): Row[] {
  return rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])));
}

export function newDb(file = ':memory:'): Db {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  return db;
}

/**
 * The house migration test: a fresh db migrated to `to - 1`, `seed` inserts rows, snapshot, migrate
 * to `to`, snapshot again. Returns both snapshots (and the db, open) for the test to compare.
 */
export function migrationStep(opts: {
  to: number;
  seed: (db: Db) => void;
  migrations?: readonly Migration[];
}): { db: Db; before: Snapshot; after: Snapshot } {
  const migrations = opts.migrations ?? MIGRATIONS;
  const db = newDb();
  expect(migrate(db, opts.to - 1, migrations)).toBe(opts.to - 1);
  opts.seed(db);
  const before = snapshot(db);
  expect(migrate(db, opts.to, migrations)).toBe(opts.to);
  const after = snapshot(db);
  expect(db.pragma('foreign_key_check')).toEqual([]);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  return { db, before, after };
}

/**
 * The default comparison: every table that existed before still holds the same rows, looking only
 * at the columns it had before. Tables listed in `changed` are left for the test to check.
 */
export function expectRowsKept(before: Snapshot, after: Snapshot, changed: string[] = []): void {
  for (const [table, rows] of Object.entries(before.tables)) {
    if (changed.includes(table)) continue;
    expect(after.tables[table], `table ${table} disappeared`).toBeDefined();
    const columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
    expect(stable(project(after.tables[table]!, columns)), `rows of ${table}`).toEqual(rows);
  }
}
