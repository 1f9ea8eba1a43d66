import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../../main/core/library/context.js';
import { EMBEDDING_DIM } from '../../../../main/core/library/embedding-codec.js';
import { LATEST_VERSION, MIGRATIONS, migrate, schemaVersion, type Migration } from '../../../../main/core/library/migrations.js';
import { expectRowsKept, migrationStep, newDb, project, snapshot } from './helpers.js';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/**
 * Rows as version 1 wrote them, in literal SQL (the real write path now writes version-2 tables):
 * a media row, two clips with a thumbnail and an embedding, model and user tags, a job.
 */
function seedLibrary(db: Db): void {
  db.exec(`
    INSERT INTO media (path, file_name, content_hash, size_bytes, mtime_ms, status, info_json, added_at, updated_at)
      VALUES ('/videos/a.mp4', 'a.mp4', '${'ab'.repeat(32)}', 1000, 1.5, 'ok', '{}', 1, 1);
    INSERT INTO clips (media_id, idx, start_sec, end_sec, start_frame, end_frame, start_transition, end_transition)
      VALUES (1, 0, 0, 4, 0, 99, NULL, 'cut'), (1, 1, 4, 9, 100, 224, 'cut', NULL);
    INSERT INTO clip_thumbnails (clip_id, jpeg) VALUES (1, x'ffd801');
    INSERT INTO clip_embeddings (clip_id, vector) VALUES (1, zeroblob(${EMBEDDING_DIM * 4}));
    INSERT INTO tags (name, kind) VALUES ('dog', 'object'), ('neutral', 'rating');
    INSERT INTO clip_tags (clip_id, tag_id, confidence, source) VALUES (1, 1, 0.9, 'model'), (2, 2, 0.7, 'model'), (2, 1, 0, 'user');
    INSERT INTO jobs (path, created_at, updated_at) VALUES ('/videos/b.mp4', 1, 1);
  `);
}

describe('migration list', () => {
  it('is numbered 1..N without gaps and LATEST_VERSION is its end', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('refuses an unknown target and a downgrade', () => {
    const db = newDb();
    open.push(db);
    expect(() => migrate(db, LATEST_VERSION + 1)).toThrow(/cannot migrate to version/);
    migrate(db);
    expect(() => migrate(db, 0)).toThrow(/cannot migrate down/);
    expect(migrate(db)).toBe(LATEST_VERSION); // idempotent
  });
});

describe('001 initial', () => {
  it('0 → 1 creates the schema on an empty file', () => {
    const { db, before, after } = migrationStep({ to: 1, seed: () => {} });
    open.push(db);
    expect(before.schema).toEqual([]);
    expect(Object.keys(after.tables).sort()).toEqual(
      ['clip_embeddings', 'clip_search', 'clip_tags', 'clip_thumbnails', 'clips', 'jobs', 'media', 'tags'],
    );
    expect(Object.values(after.tables).every((rows) => rows.length === 0)).toBe(true);
    expect(schemaVersion(db)).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(0x5265656c);
    // Rows written at version 1 pass every integrity check, FTS included.
    seedLibrary(db);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.prepare("INSERT INTO clip_search (clip_search) VALUES ('integrity-check')").run();
  });

  it('enforces the constraints the code relies on', () => {
    const db = newDb();
    open.push(db);
    migrate(db);
    const media = db.prepare(
      'INSERT INTO media (path, file_name, content_hash, size_bytes, mtime_ms, status, added_at, updated_at) VALUES (?, ?, ?, 1, 1, ?, 1, 1)',
    );
    expect(() => media.run('/x', 'x', 'NOT-HEX', 'ok')).toThrow(/CHECK/);
    expect(() => media.run('/x', 'x', null, 'weird')).toThrow(/CHECK/);
    media.run('/x', 'x', null, 'ok');
    expect(() => db.prepare("INSERT INTO clips (media_id, idx, start_sec, end_sec, start_frame, end_frame) VALUES (99, 0, 0, 1, 0, 1)").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO tags (name, kind) VALUES ('x', 'bogus')").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO tags (name, kind) VALUES ('Dog', 'object')").run();
    expect(() => db.prepare("INSERT INTO tags (name, kind) VALUES ('dog', 'object')").run()).toThrow(/UNIQUE/);
  });
});

describe('002 tag models', () => {
  it('1 → 2 keeps every row and adds empty tag-model, sequence and sketch tables', () => {
    const { db, before, after } = migrationStep({ to: 2, seed: seedLibrary });
    open.push(db);
    expect(before.tables.clips).toHaveLength(2);
    expectRowsKept(before, after);
    for (const t of ['clip_sequences', 'clip_sketches', 'tag_models', 'tag_scores']) expect(after.tables[t], t).toEqual([]);
    expect(after.tables.sketch_generation).toEqual([{ id: 1, generation: 0 }]);
    db.prepare('INSERT INTO clip_sketches (clip_id, vector) VALUES (1, zeroblob(512))').run();
    db.prepare('DELETE FROM clips WHERE id = 1').run(); // cascades to the sketch
    expect(db.prepare('SELECT generation FROM sketch_generation').pluck().get()).toBe(2);
    expect(() => db.prepare("INSERT INTO tag_scores (tag_id, clip_id, score) VALUES (1, 2, 0.5)").run()).toThrow(/FOREIGN KEY/);
  });
});

describe('the harness, for the next migration (1 → 2)', () => {
  // A stand-in for a future 002: adds a column and a table; the harness must show old rows kept.
  const fake002: Migration = {
    version: 2,
    name: 'fake-clip-notes',
    up(db) {
      db.exec("ALTER TABLE clips ADD COLUMN note TEXT NOT NULL DEFAULT ''; CREATE TABLE collections (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;");
    },
  };

  it('migrates seeded rows and compares them column by column', () => {
    const { db, before, after } = migrationStep({ to: 2, seed: seedLibrary, migrations: [MIGRATIONS[0]!, fake002] });
    open.push(db);
    expect(before.tables.clips).toHaveLength(2);
    expectRowsKept(before, after);
    expect(project(after.tables.clips!, ['note'])).toEqual([{ note: '' }, { note: '' }]);
    expect(after.tables.collections).toEqual([]);
  });

  it('rolls a failing step back as a whole and keeps the old version', () => {
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up(db) {
        db.exec("CREATE TABLE half_done (id INTEGER PRIMARY KEY); DELETE FROM media;"); // orphans every clip
      },
    };
    const db = newDb();
    open.push(db);
    migrate(db, 1);
    seedLibrary(db);
    const before = snapshot(db);
    expect(() => migrate(db, 2, [MIGRATIONS[0]!, broken])).toThrow(/foreign key violation/);
    expect(schemaVersion(db)).toBe(1);
    expect(snapshot(db)).toEqual(before);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1); // restored after the run
  });
});
