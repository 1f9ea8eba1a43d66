// SIGKILL at random (seeded) moments: during ingest, while the queue claims, decodes and stores
// tiny videos, and during the user's tag edits. After every kill the library must open, pass
// SQLite's integrity check and hold nothing half-written; the queue then finishes with no
// duplicate media.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLibrary, type Library } from '../../main/core/library/index.js';
import { shotsVideoArgs } from '../../main/core/sample-video.js';
import { expectIntact } from './helpers/library.js';
import { bin, cliEnv, distinctMp4Copy, reeltag, root, seededRandom } from './helpers/cli.js';

const SEED = 0x5eed;
const INGEST_KILLS = 10;
const EDIT_KILLS = 10;
// Enough that 10 kills of up to 4 s never finish the queue first: a quiet machine stores about 4 files a kill.
const VIDEOS = 64;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-kills-'));
const videos = path.join(tmp, 'videos');
const lib = path.join(tmp, 'lib');
const dbFile = path.join(lib, 'library.sqlite');
const env = cliEnv(tmp);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exited = (child: ChildProcess) =>
  new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'dist/main/cli/index.js'))) throw new Error('run `npm run build` first (npm test does)');
  // Two 1 s shots at 64×36 (two clips, two CNN samples), copied with distinct bytes.
  const base = path.join(tmp, 'base.mp4');
  const shots = [{ source: 'testsrc2', frames: 25 }, { source: 'smptebars', frames: 25 }];
  execFileSync('ffmpeg', shotsVideoArgs(base, shots, { width: 64, height: 36, fps: 25, codec: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'] }), { stdio: 'pipe' });
  fs.mkdirSync(videos);
  const bytes = fs.readFileSync(base);
  for (let i = 0; i < VIDEOS; i++) distinctMp4Copy(bytes, path.join(videos, `v${String(i).padStart(2, '0')}.mp4`), i);
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Opens the library as the app would, checks it and closes it again. */
function checkLibrary(what: string, extra: (l: Library) => void = () => undefined): void {
  const l = openLibrary(lib);
  try {
    expectIntact(l, what);
    // Clips exist only for media whose store committed.
    expect(l.db.prepare(`SELECT count(*) FROM clips c JOIN media m ON m.id = c.media_id WHERE m.status != 'ok'`).pluck().get(), what).toBe(0);
    // …and every such media has its whole cut: the same video everywhere, so the same clip count.
    const counts = l.db.prepare(`SELECT DISTINCT (SELECT count(*) FROM clips c WHERE c.media_id = m.id) FROM media m WHERE m.status = 'ok'`).pluck().all() as number[];
    expect(counts.length, what).toBeLessThanOrEqual(1);
    if (counts.length === 1) expect(counts[0], what).toBeGreaterThan(0);
    extra(l);
  } finally {
    l.close();
  }
}

describe('SIGKILL', () => {
  it(`during ingest, ${INGEST_KILLS} times: the library stays whole and --resume finishes the queue without duplicates`, async () => {
    const random = seededRandom(SEED);
    const log: string[] = [];
    let killed = 0;
    for (let k = 0; k < INGEST_KILLS; k++) {
      const args = k === 0 ? ['ingest', '--library', lib, videos] : ['ingest', '--library', lib, '--resume'];
      const startedAt = Date.now();
      const child = spawn(process.execPath, [bin, ...args], { env, stdio: 'ignore' });
      // Count from this process's first write (enqueue, reset or claim), however slowly node starts.
      while (child.exitCode === null && !wroteSince(startedAt)) await sleep(20);
      // The first file takes ~1.5 s (inference warm-up), each next one ~0.8 s on 2 slow cores:
      // up to 4 s reaches a few stores in.
      const delay = random() * 4000;
      await sleep(delay);
      if (child.exitCode === null) killed++;
      child.kill('SIGKILL');
      await exited(child);
      checkLibrary(`after kill ${k + 1}`, (l) => log.push(`+${Math.round(delay)} ms: ${l.media.list({ status: 'ok' }).length}/${VIDEOS} stored`));
    }
    console.log(`ingest killed ${killed} times (after its first write): ${log.join(', ')}`);
    expect(killed).toBe(INGEST_KILLS);

    const resumed = await reeltag(env, ['ingest', '--library', lib, '--resume', '--json'], { timeoutMs: 300_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    const done = (JSON.parse(resumed.stdout) as { media: { status: string }[] }).media;
    expect(done.every((m) => m.status === 'ok' || m.status === 'skipped')).toBe(true);
    checkLibrary('after --resume', (l) => {
      const media = l.media.list();
      expect(media).toHaveLength(VIDEOS);
      expect(media.every((m) => m.status === 'ok')).toBe(true);
      expect(new Set(media.map((m) => m.contentHash)).size).toBe(VIDEOS);
      expect(l.jobs.counts()).toMatchObject({ pending: 0, running: 0, error: 0 });
    });
  });

  it(`during tag edits, ${EDIT_KILLS} times: every clip_tags row stays consistent`, async () => {
    expect(fs.existsSync(dbFile)).toBe(true);
    const random = seededRandom(SEED + 1);
    const helper = path.join(import.meta.dirname, 'helpers/tag-edits.mjs');
    for (let k = 0; k < EDIT_KILLS; k++) {
      const child = spawn(process.execPath, [helper, lib, String(SEED + k)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('exit', () => reject(new Error(`tag-edits.mjs exited before editing: ${stderr}`)));
      });
      await sleep(random() * 400);
      expect(child.exitCode, stderr).toBeNull();
      child.kill('SIGKILL');
      await exited(child);
      checkLibrary(`after edit kill ${k + 1}`, (l) => checkTags(l, `after edit kill ${k + 1}`));
    }
    const l = openLibrary(lib);
    try {
      const rows = l.db.prepare(`SELECT count(*) FROM clip_tags WHERE source = 'user'`).pluck().get();
      console.log(`tag edits killed ${EDIT_KILLS} times; ${rows} user rows survive on ${l.db.prepare('SELECT count(*) FROM clips').pluck().get()} clips`);
    } finally {
      l.close();
    }
  });
});

/** Whether the library's jobs were written at or after `ms` (epoch milliseconds). */
function wroteSince(ms: number): boolean {
  if (!fs.existsSync(dbFile)) return false;
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const last = db.prepare('SELECT max(updated_at) FROM jobs').pluck().get() as number | null;
    return last !== null && last >= ms;
  } catch {
    return false; // the schema is still being created
  } finally {
    db.close();
  }
}

function checkTags(l: Library, what: string): void {
  const { db } = l;
  // User rows are a yes (1) or a no (0); the model's rows a probability.
  expect(db.prepare(`SELECT count(*) FROM clip_tags WHERE source = 'user' AND confidence NOT IN (0, 1)`).pluck().get(), what).toBe(0);
  // Each clip's search document lists exactly its live tags (the triggers ran with every write).
  const live = db.prepare(
    `SELECT c.id AS id, coalesce((SELECT group_concat(t.name, ' ') FROM clip_tags ct JOIN tags t ON t.id = ct.tag_id
       WHERE ct.clip_id = c.id AND NOT (ct.source = 'user' AND ct.confidence = 0)), '') AS tags,
       s.tags AS indexed
     FROM clips c LEFT JOIN clip_search s ON s.rowid = c.id`,
  ).all() as { id: number; tags: string; indexed: string | null }[];
  const words = (s: string | null) => (s ?? '<missing>').split(' ').filter(Boolean).sort();
  for (const row of live) expect(words(row.indexed), `${what}: clip ${row.id}`).toEqual(words(row.tags));
  expect(db.prepare('SELECT count(*) FROM clip_search').pluck().get(), what).toBe(live.length);
  // A pair set in one transaction is there whole or not at all.
  const halves = db.prepare(`SELECT t.name FROM clip_tags ct JOIN tags t ON t.id = ct.tag_id WHERE t.name LIKE 'pair-%'`).pluck().all() as string[];
  const pairs = new Map<string, Set<string>>();
  for (const name of halves) {
    const key = name.slice(0, -2);
    pairs.set(key, (pairs.get(key) ?? new Set()).add(name.slice(-1)));
  }
  for (const [key, sides] of pairs) expect([...sides].sort(), `${what}: ${key}`).toEqual(['a', 'b']);
  expect(pairs.size, what).toBeGreaterThan(0);
}
