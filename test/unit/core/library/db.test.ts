import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LIBRARY_FILE, openLibrary, type Library } from '../../../../main/core/library/db.js';
import { LATEST_VERSION, LibraryVersionError } from '../../../../main/core/library/migrations.js';
import { clip, ingestInput, tempDir } from './helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return path.join(t.dir, 'nested', 'library');
}

function opened(d: string, opts?: Parameters<typeof openLibrary>[1]): Library {
  const lib = openLibrary(d, opts);
  cleanups.push(() => lib.close());
  return lib;
}

describe('openLibrary', () => {
  it('creates the folder and opens library.sqlite with the house pragmas', () => {
    const d = dir();
    const lib = opened(d, { now: () => 42 });
    expect(fs.existsSync(path.join(d, LIBRARY_FILE))).toBe(true);
    expect(lib.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(lib.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(lib.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(lib.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(lib.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    lib.jobs.enqueue(['/v.mp4']);
    expect(lib.jobs.list()[0]!.createdAt).toBe(42); // the clock comes from the options
  });

  it('refuses a library from a newer Reeltag, clearly, without touching it', () => {
    const d = dir();
    opened(d).close();
    const raw = new Database(path.join(d, LIBRARY_FILE));
    raw.pragma('user_version = 7');
    raw.close();
    const before = fs.readFileSync(path.join(d, LIBRARY_FILE));
    let err: unknown;
    try {
      openLibrary(d);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LibraryVersionError);
    expect((err as Error).message).toMatch(new RegExp(`newer Reeltag \\(library version 7; this Reeltag knows up to ${LATEST_VERSION}\\)\\. Update Reeltag`));
    expect(fs.readFileSync(path.join(d, LIBRARY_FILE)).equals(before)).toBe(true);
  });

  it('refuses an SQLite file that is not a Reeltag library', () => {
    const d = dir();
    fs.mkdirSync(d, { recursive: true });
    const raw = new Database(path.join(d, LIBRARY_FILE));
    raw.exec('CREATE TABLE other (x)');
    raw.close();
    expect(() => openLibrary(d)).toThrow(/is not a Reeltag library/);
  });

  it('read-only: opens an existing library, refuses writes, and never creates one', () => {
    const d = dir();
    expect(() => openLibrary(d, { readonly: true })).toThrow();
    expect(fs.existsSync(d)).toBe(false);
    const rw = opened(d);
    rw.storeIngest(ingestInput('/v/a.mp4', [clip(0, 1, [{ name: 'dog', kind: 'object', confidence: 0.8 }])]));
    const ro = opened(d, { readonly: true });
    expect(ro.search('dog')).toHaveLength(1);
    expect(() => ro.jobs.enqueue(['/x.mp4'])).toThrow(/readonly/);
  });

  it('transaction() commits together or not at all, and library writes nest inside it', () => {
    const lib = opened(dir());
    expect(() =>
      lib.transaction(() => {
        lib.jobs.enqueue(['/a.mp4']);
        lib.storeIngest(ingestInput('/v/a.mp4', [clip(0, 1)]));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(lib.jobs.list()).toEqual([]);
    expect(lib.media.list()).toEqual([]);
    expect(lib.transaction(() => lib.jobs.enqueue(['/a.mp4', '/b.mp4']))).toHaveLength(2);
  });

  it('close() is idempotent', () => {
    const lib = openLibrary(dir());
    lib.close();
    expect(() => lib.close()).not.toThrow();
  });
});

describe('two openers on one library (WAL)', () => {
  it('two connections share the queue and never claim the same job', () => {
    const d = dir();
    const a = opened(d);
    const b = opened(d);
    a.jobs.enqueue(['/1.mp4', '/2.mp4', '/3.mp4']);
    expect(b.jobs.enqueue(['/2.mp4'])).toEqual([]); // already pending, seen through the other connection
    const claims = [a.jobs.claimNext(), b.jobs.claimNext(), a.jobs.claimNext(), b.jobs.claimNext()];
    expect(claims.map((c) => c?.path)).toEqual(['/1.mp4', '/2.mp4', '/3.mp4', undefined]);
    expect(b.jobs.counts()).toEqual({ pending: 0, running: 3, done: 0, error: 0 });
  });

  it('another process holding the write lock: reads go on, writes wait for it (busy_timeout)', async () => {
    const d = dir();
    const lib = opened(d);
    lib.jobs.enqueue(['/before.mp4']);
    // A second OS process writes through its own connection and holds the lock for a while.
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.pragma('busy_timeout = 5000');
         db.exec('BEGIN IMMEDIATE');
         db.prepare("INSERT INTO jobs (path, created_at, updated_at) VALUES ('/child.mp4', 1, 1)").run();
         process.stdout.write('locked\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);
         db.exec('COMMIT');
         db.close();`,
        path.join(d, LIBRARY_FILE),
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => b.toString().includes('locked') && resolve());
      child.on('exit', () => reject(new Error('child exited before taking the lock')));
    });
    // WAL: a reader is not blocked by the writer and does not see its uncommitted row.
    expect(lib.jobs.list().map((j) => j.path)).toEqual(['/before.mp4']);
    const t0 = Date.now();
    expect(lib.jobs.enqueue(['/parent.mp4'])).toHaveLength(1); // waits for the child's COMMIT
    expect(Date.now() - t0).toBeGreaterThan(100);
    expect(await exited).toBe(0);
    expect(lib.jobs.list().map((j) => j.path)).toEqual(['/before.mp4', '/child.mp4', '/parent.mp4']);
  });
});
