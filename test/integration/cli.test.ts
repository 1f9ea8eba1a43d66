// The `reeltag` CLI end to end: the built binary, real ffmpeg, real models, a temp library.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { footage } from '../fixtures/debian.js';
import { makeVideo, multiShotVideo } from '../fixtures/generate.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/reeltag.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-cli-'));
const env = { ...process.env, REELTAG_CACHE: path.join(root, '.cache/reeltag-cache'), REELTAG_LIBRARY: path.join(tmp, 'default-lib') };

async function reeltag(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, maxBuffer: 64 << 20, timeout: 600_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout: string; stderr: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout, stderr: err.stderr };
  }
}

interface ClipJson {
  start: number;
  end: number;
  start_frame: number;
  end_frame: number;
  media: string;
  start_transition: string | null;
  end_transition: string | null;
  tags: { name: string; kind: string; confidence: number; source: string }[];
}

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'dist/main/cli/index.js'))) throw new Error('run `npm run build` first (npm test does)');
});

describe('reeltag shots', () => {
  it('finds every hard cut of a generated video within ±1 frame and nothing else', async () => {
    const video = multiShotVideo();
    const { code, stdout } = await reeltag('shots', video.path, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { fps: number; frames: number; transitions: { type: string; start_frame: number; end_frame: number; confidence: number }[] };
    expect(report.fps).toBe(25);
    expect(report.frames).toBe(video.frames);
    expect(report.transitions.map((t) => t.type)).toEqual(video.cuts.map(() => 'cut'));
    for (const [i, cut] of video.cuts.entries()) expect(Math.abs(report.transitions[i]!.end_frame - cut)).toBeLessThanOrEqual(1);
  });
});

describe('reeltag ingest / clips / search', () => {
  const lib = path.join(tmp, 'lib');

  it('ingests a generated video into one clip per shot, tagged, and never twice', async () => {
    const video = multiShotVideo();
    const first = await reeltag('ingest', '--library', lib, '--json', video.path);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ media: [{ path: video.path, status: 'ok', clips: video.cuts.length + 1 }] });

    const { stdout, stderr } = await reeltag('clips', '--library', lib, '--json', '--media', video.path);
    expect(stdout, stderr).not.toBe('');
    const clips = (JSON.parse(stdout) as { clips: ClipJson[] }).clips;
    expect(clips).toHaveLength(video.cuts.length + 1);
    const starts = clips.slice(1).map((c) => c.start_frame);
    for (const [i, cut] of video.cuts.entries()) expect(Math.abs(starts[i]! - cut)).toBeLessThanOrEqual(1);
    expect(clips[0]!.start_transition).toBeNull();
    expect(clips[1]!.start_transition).toBe('cut');
    expect(clips.at(-1)!.end_frame).toBe(video.frames - 1);
    for (const c of clips) {
      expect(c.tags.some((t) => t.kind === 'attribute' || t.kind === 'rating' || t.kind === 'object')).toBe(true);
      for (const t of c.tags) expect(t.confidence).toBeGreaterThan(0);
    }
    // smptebars (shot 2) does not move: tagged static.
    expect(clips[1]!.tags.map((t) => t.name)).toContain('static');

    const again = await reeltag('ingest', '--library', lib, '--json', video.path);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).media[0].status).toBe('skipped');
    const copy = path.join(tmp, 'copy of multishot.mp4');
    fs.copyFileSync(video.path, copy);
    const dup = await reeltag('ingest', '--library', lib, '--json', copy);
    expect(dup.code, dup.stderr).toBe(0);
    expect(JSON.parse(dup.stdout).media[0]).toMatchObject({ status: 'skipped' });
    const all = await reeltag('clips', '--library', lib, '--json');
    expect(JSON.parse(all.stdout).clips).toHaveLength(video.cuts.length + 1);
  });

  it('tags real footage: a bird in the cockatoo video', async () => {
    const file = footage.cockatoo();
    const { code, stdout, stderr } = await reeltag('ingest', '--library', lib, '--json', file);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).media[0].status).toBe('ok');
    const bird = await reeltag('clips', '--library', lib, '--json', '--tag', 'bird');
    const clips = (JSON.parse(bird.stdout) as { clips: ClipJson[] }).clips;
    expect(clips.length).toBeGreaterThan(0);
    expect(clips.every((c) => c.media === file)).toBe(true);
  });

  it('searches tags and file names, tolerating hostile queries', async () => {
    const byTag = JSON.parse((await reeltag('search', '--library', lib, '--json', 'bir')).stdout) as { clips: ClipJson[] };
    expect(byTag.clips.length).toBeGreaterThan(0);
    expect(byTag.clips.every((c) => c.tags.some((t) => t.name === 'bird'))).toBe(true);
    const byName = JSON.parse((await reeltag('search', '--library', lib, '--json', 'multishot')).stdout) as { clips: ClipJson[] };
    expect(byName.clips.length).toBeGreaterThan(0);
    expect(byName.clips.every((c) => c.media.endsWith('multishot.mp4'))).toBe(true);
    const hostile = await reeltag('search', '--library', lib, '--json', '"AND (*');
    expect(hostile.code).toBe(0);
  });
});

describe('bad input', () => {
  it('fails each broken file alone with a clear reason and ingests the rest', async () => {
    const dir = path.join(tmp, 'bad');
    fs.mkdirSync(dir);
    const good = makeVideo('good-small', [{ source: 'testsrc2', frames: 50 }]);
    const zero = path.join(dir, 'zero.mp4');
    fs.writeFileSync(zero, '');
    const text = path.join(dir, 'notes.mp4');
    fs.writeFileSync(text, 'this is not a video\n'.repeat(50));
    const truncated = path.join(dir, 'truncated.mp4');
    const bytes = fs.readFileSync(multiShotVideo().path);
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.3)));
    const audio = path.join(dir, 'audio-only.mp4');
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'aac', audio]);
    const missing = path.join(dir, 'does-not-exist.mp4');

    const lib = path.join(tmp, 'bad-lib');
    const { code, stdout } = await reeltag('ingest', '--library', lib, '--json', zero, text, truncated, audio, missing, good.path);
    expect(code).toBe(1);
    const media = (JSON.parse(stdout) as { media: { path: string; status: string; error?: string; clips?: number }[] }).media;
    const byPath = new Map(media.map((m) => [m.path, m]));
    expect(byPath.get(good.path)).toMatchObject({ status: 'ok', clips: 1 });
    expect(byPath.get(zero)).toMatchObject({ status: 'error', error: expect.stringMatching(/empty/) });
    expect(byPath.get(text)).toMatchObject({ status: 'error', error: expect.any(String) });
    expect(byPath.get(audio)).toMatchObject({ status: 'error', error: expect.stringMatching(/audio|no video/i) });
    expect(byPath.get(missing)).toMatchObject({ status: 'error', error: expect.stringMatching(/not found/) });
    // A truncated file either decodes what is there or fails with a reason; it never takes the batch down.
    const t = byPath.get(truncated)!;
    expect(t.status === 'ok' ? t.clips! > 0 : Boolean(t.error)).toBe(true);
    for (const m of media) if (m.status === 'error') expect(m.error!.length).toBeGreaterThan(5);

    const clips = JSON.parse((await reeltag('clips', '--library', lib, '--json')).stdout).clips as ClipJson[];
    expect(clips.filter((c) => c.media === good.path)).toHaveLength(1);
  });

  it('exits 2 on usage errors', async () => {
    expect((await reeltag('ingest')).code).toBe(2);
    expect((await reeltag('frobnicate')).code).toBe(2);
    expect((await reeltag('clips', '--bogus')).code).toBe(2);
    expect((await reeltag('shots')).code).toBe(2);
    // The shot model's test set is scored only for a chosen model, never beside a training.
    const test = await reeltag('train', 'shots', '--test', '80');
    expect(test.code).toBe(2);
    expect(test.stderr).toMatch(/--test N goes with --score DIR/);
    expect((await reeltag('train', 'shots', '--average', 'a,b', '--score', 'c')).code).toBe(2);
  });
});

describe('kill during ingest', () => {
  it('leaves a consistent library and the next run finishes the queue without duplicates', async () => {
    const lib = path.join(tmp, 'kill-lib');
    const videos = [multiShotVideo('kill-a', { width: 640, height: 360 }), multiShotVideo('kill-b', { width: 640, height: 360, fps: 30 })];
    const dbFile = path.join(lib, 'library.sqlite');
    for (const delay of [300, 2500]) {
      const child = spawn(process.execPath, [bin, 'ingest', '--library', lib, ...videos.map((v) => v.path)], { env, stdio: 'ignore' });
      // Count from the moment the library exists, however slowly this machine starts node.
      while (!fs.existsSync(dbFile) && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const db = new Database(dbFile, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        // Clips only ever exist for media that finished: no half-written video.
        const orphans = db.prepare(`SELECT count(*) n FROM clips c JOIN media m ON m.id = c.media_id WHERE m.status != 'ok'`).get() as { n: number };
        expect(orphans.n).toBe(0);
      } finally {
        db.close();
      }
    }
    const resumed = await reeltag('ingest', '--library', lib, '--resume', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    const again = await reeltag('ingest', '--library', lib, '--json', ...videos.map((v) => v.path));
    expect(again.code).toBe(0);
    const clips = JSON.parse((await reeltag('clips', '--library', lib, '--json')).stdout).clips as ClipJson[];
    for (const v of videos) expect(clips.filter((c) => c.media === v.path)).toHaveLength(v.cuts.length + 1);
    const db = new Database(path.join(lib, 'library.sqlite'), { readonly: true });
    try {
      expect((db.prepare(`SELECT count(*) n FROM media`).get() as { n: number }).n).toBe(2);
      expect((db.prepare(`SELECT count(*) n FROM jobs WHERE status IN ('pending', 'running')`).get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe('reeltag doctor', () => {
  it('reports ffmpeg, the backend and why better ones were skipped, and that the models load', async () => {
    const { code, stdout } = await reeltag('doctor', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.ffmpeg.version).toMatch(/^ffmpeg version/);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(report.backend.name);
    expect(report.backend.skipped.length).toBeGreaterThan(0);
    expect(report.models.every((m: { ok: boolean }) => m.ok)).toBe(true);
  });
});
