// Hostile files through the real CLI: a corpus made at test time (tiny, nothing committed) of
// empty, cut-short, mislabelled, odd-shaped, odd-codec and odd-named files, link loops, a FIFO
// nobody writes to, and a folder of 200 videos. Every file must end ingested or with a clear
// reason stored in the library; nothing may hang or take the rest of the batch down.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, distinctMp4Copy, ffmpeg, jpegSize, mp4Boxes, reeltag, root, tinyVideo } from './helpers/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-hostile-'));
const corpus = path.join(tmp, 'corpus');
const drop = path.join(tmp, 'dropped folder');
const plainFile = path.join(tmp, 'plain.mp4');
const env = cliEnv(tmp);
/** Names a shell would mangle, for copies in the dropped folder. */
const NAMES = ['with  two spaces .mp4', `"double" and 'single' quotes.mp4`, 'ünïcødé 日本語 🎬.mp4', '-leading-dash.mp4', '$(touch pwned) `touch pwned2`; rm -rf ~.mp4'];
const SHELL_BAIT = NAMES[4]!;

interface MediaJson {
  path: string;
  status: 'ok' | 'error' | 'skipped';
  error?: string;
  clips?: number;
  reason?: string;
}
interface ClipJson {
  id: number;
  media: string;
  start: number;
  end: number;
  start_frame: number;
  end_frame: number;
}

/** What each file must end as: ingested (with a check of its clips) or an error matching a reason. */
interface Expected {
  file: string;
  ok?: (clips: ClipJson[], db: Database.Database) => void;
  error?: RegExp;
}
const expected: Expected[] = [];
const ok = (file: string, check: Expected['ok'] = () => undefined) => expected.push({ file, ok: check });
const fails = (file: string, error: RegExp) => expected.push({ file, error });

const at = (name: string) => path.join(corpus, name);
const infoOf = (db: Database.Database, file: string) =>
  JSON.parse((db.prepare('SELECT info_json FROM media WHERE path = ?').pluck().get(file) as string | null) ?? 'null') as Record<string, unknown>;
const thumbOf = (db: Database.Database, clipId: number) => {
  const jpeg = db.prepare('SELECT jpeg FROM clip_thumbnails WHERE clip_id = ?').pluck().get(clipId) as Buffer | undefined;
  return jpeg ? jpegSize(jpeg) : null;
};
const frames = (clips: ClipJson[]) => clips.at(-1)!.end_frame + 1;

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'dist/main/cli/index.js'))) throw new Error('run `npm run build` first (npm test does)');
  fs.mkdirSync(corpus);
  const h264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

  fs.writeFileSync(at('zero.mp4'), '');
  fails(at('zero.mp4'), /^empty file \(0 bytes\)$/);

  // Truncated H.264 MP4s with the index first (faststart), like a download that stopped: cut
  // after 60 %, the frames before the cut are tagged; cut inside the first keyframe, none can be.
  const fast = tinyVideo(path.join(tmp, 'fast50.mp4'), { frames: 50, codec: [...h264, '-g', '10'], extra: ['-movflags', '+faststart'] });
  const fastBytes = fs.readFileSync(fast);
  fs.writeFileSync(at('truncated.mp4'), fastBytes.subarray(0, Math.floor(fastBytes.length * 0.6)));
  ok(at('truncated.mp4'), (clips) => {
    expect(frames(clips)).toBeGreaterThan(0);
    expect(frames(clips)).toBeLessThan(50);
  });
  const mdat = mp4Boxes(fastBytes).find((b) => b.type === 'mdat')!;
  fs.writeFileSync(at('truncated-in-first-frame.mp4'), fastBytes.subarray(0, mdat.offset + 8 + 64));
  fails(at('truncated-in-first-frame.mp4'), /^decode failed: no video frame could be decoded: the video data is cut short or damaged \(ffmpeg: .*partial file\)$/);

  // Index at the end (ffmpeg's default), then without it: removed whole, or cut inside.
  const plain = fs.readFileSync(tinyVideo(plainFile));
  const moov = mp4Boxes(plain).find((b) => b.type === 'moov')!;
  fs.writeFileSync(at('no-moov.mp4'), Buffer.concat([plain.subarray(0, moov.offset), plain.subarray(moov.offset + moov.size)]));
  fails(at('no-moov.mp4'), /^truncated or incomplete MP4\/MOV: its index \(moov atom\) is missing/);
  fs.writeFileSync(at('moov-cut-short.mp4'), plain.subarray(0, moov.offset + 100));
  fails(at('moov-cut-short.mp4'), /^truncated or incomplete MP4\/MOV: its index \(moov atom\) is cut short/);

  fs.writeFileSync(at('notes.mp4'), 'Shot list for Tuesday\n'.repeat(40));
  fails(at('notes.mp4'), /^not a video: the file contains text$/);
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=32x32', '-frames:v', '1', '-c:v', 'png', '-f', 'image2', at('picture.mkv')]);
  fails(at('picture.mkv'), /^not a video: a still image \(png in png_pipe\)$/);
  ffmpeg(['-f', 'lavfi', '-i', 'sine=d=0.5', '-c:a', 'aac', at('audio-only.mp4')]);
  fails(at('audio-only.mp4'), /^no video stream \(audio only: aac\)$/);

  tinyVideo(at('one-frame.mp4'), { frames: 1 });
  ok(at('one-frame.mp4'), (clips) => expect(clips.map((c) => [c.start_frame, c.end_frame])).toEqual([[0, 0]]));
  // MPEG-TS has no index: ffprobe cannot time a single frame (duration and nb_frames N/A).
  tinyVideo(at('one-frame-mpeg2.ts'), { frames: 1, codec: ['-c:v', 'mpeg2video'] });
  ok(at('one-frame-mpeg2.ts'), (clips) => expect(frames(clips)).toBe(1));
  tinyVideo(at('0.2s.mp4'), { frames: 5 });
  ok(at('0.2s.mp4'), (clips) => {
    expect(frames(clips)).toBe(5);
    expect(clips.at(-1)!.end).toBeCloseTo(0.2, 2);
  });

  // Extreme aspect ratios both ways (libx264 takes 4000×16 and 16×4000). A 16×4000 thumbnail
  // 320 wide would be 80 000 tall, past the JPEG limit: it is narrowed instead.
  tinyVideo(at('strip-4000x16.mp4'), { size: '4000x16', frames: 5 });
  ok(at('strip-4000x16.mp4'), (clips, db) => expect(thumbOf(db, clips[0]!.id)).toEqual({ width: 320, height: 2 }));
  tinyVideo(at('pole-16x4000.mp4'), { size: '16x4000', frames: 5 });
  ok(at('pole-16x4000.mp4'), (clips, db) => expect(thumbOf(db, clips[0]!.id)).toEqual({ width: 4, height: 1000 }));

  // Coded 64×36 landscape with a 90° display matrix: upright it is portrait, and so is its thumbnail.
  ffmpeg(['-i', plainFile, '-c', 'copy', '-metadata:s:v', 'rotate=90', at('rotated-90.mp4')]);
  ok(at('rotated-90.mp4'), (clips, db) => {
    expect(thumbOf(db, clips[0]!.id)).toEqual({ width: 320, height: 568 });
    expect(infoOf(db, at('rotated-90.mp4'))).toMatchObject({ width: 36, height: 64 });
  });

  // 30 frames with a 0.8 s hole after frame 10.
  tinyVideo(at('vfr.mp4'), { frames: 30, extra: ['-vf', "setpts='(N+if(gte(N,10),20,0))/25/TB'", '-fps_mode', 'vfr'] });
  ok(at('vfr.mp4'), (clips) => expect(frames(clips)).toBe(30));
  tinyVideo(at('hevc-10bit.mp4'), { codec: ['-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p10le', '-x265-params', 'log-level=error'] });
  ok(at('hevc-10bit.mp4'), (_c, db) => expect(infoOf(db, at('hevc-10bit.mp4'))).toMatchObject({ videoCodec: 'hevc' }));
  tinyVideo(at('interlaced-mpeg2.ts'), { codec: ['-c:v', 'mpeg2video', '-flags', '+ilme+ildct', '-top', '1'], extra: ['-f', 'mpegts'] });
  ok(at('interlaced-mpeg2.ts'), (_c, db) => expect(infoOf(db, at('interlaced-mpeg2.ts'))).toMatchObject({ videoCodec: 'mpeg2video', container: 'mpegts' }));
  tinyVideo(at('vp9.webm'), { codec: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8'] });
  ok(at('vp9.webm'), (_c, db) => expect(infoOf(db, at('vp9.webm'))).toMatchObject({ videoCodec: 'vp9' }));
  // SVT-AV1 wants at least 64×64.
  tinyVideo(at('av1.mp4'), { size: '64x64', codec: ['-c:v', 'libsvtav1', '-preset', '12'] });
  ok(at('av1.mp4'), (_c, db) => expect(infoOf(db, at('av1.mp4'))).toMatchObject({ videoCodec: 'av1' }));

  // Would block any reader for ever; given by name, it must fail at once.
  execFileSync('mkfifo', [at('stalled-pipe.mp4')]);
  fails(at('stalled-pipe.mp4'), /^not a regular file \(device, socket or pipe\)$/);

  // A dropped folder: names a shell would mangle, a folder loop, a link to itself, a pipe.
  fs.mkdirSync(path.join(drop, 'sub'), { recursive: true });
  NAMES.forEach((n, i) => distinctMp4Copy(plain, path.join(drop, n), i));
  for (const n of NAMES) ok(path.join(drop, n), (clips) => expect(clips).toHaveLength(1));
  distinctMp4Copy(plain, path.join(drop, 'sub', 'nested.mp4'), 99);
  ok(path.join(drop, 'sub', 'nested.mp4'));
  fs.symlinkSync('..', path.join(drop, 'sub', 'back-up'));
  fs.symlinkSync('self-loop.mp4', path.join(drop, 'self-loop.mp4'));
  fails(path.join(drop, 'self-loop.mp4'), /^symbolic link loop/);
  execFileSync('mkfifo', [path.join(drop, 'pipe.webm')]);
  fails(path.join(drop, 'pipe.webm'), /^not a regular file \(device, socket or pipe\)$/);
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('hostile files', () => {
  it('end ingested or with a clear stored reason each, in one batch, and nothing else is affected', async () => {
    const lib = path.join(tmp, 'lib');
    const explicit = expected.map((e) => e.file).filter((f) => f.startsWith(corpus));
    // The dashed name once more, relative and after `--`, as a user would type it.
    const run = await reeltag(env, ['ingest', '--library', lib, '--json', ...explicit, drop, '--', '-leading-dash.mp4'], { cwd: drop, timeoutMs: 240_000 });
    expect(run.code, run.stderr).toBe(1);
    const media = (JSON.parse(run.stdout) as { media: MediaJson[] }).media;
    expect(media.map((m) => m.path).sort()).toEqual(expected.map((e) => e.file).sort());
    console.log(`hostile corpus: ${media.length} files in ${(run.ms / 1000).toFixed(1)} s\n` +
      media.map((m) => `  ${path.relative(tmp, m.path)}: ${m.status === 'ok' ? `ok, ${m.clips} clip(s)` : m.error}`).join('\n'));

    const byPath = new Map(media.map((m) => [m.path, m]));
    const clips = (JSON.parse((await reeltag(env, ['clips', '--library', lib, '--json'])).stdout) as { clips: ClipJson[] }).clips;
    const db = new Database(path.join(lib, 'library.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      for (const e of expected) {
        const m = byPath.get(e.file)!;
        const own = clips.filter((c) => c.media === e.file);
        if (e.ok) {
          expect(m, e.file).toMatchObject({ status: 'ok' });
          expect(own.length, e.file).toBe(m.clips);
          expect(own.length, e.file).toBeGreaterThan(0);
          for (const c of own) expect(thumbOf(db, c.id), `${e.file} clip ${c.id} thumbnail`).not.toBeNull();
          e.ok(own, db);
        } else {
          expect(m, e.file).toMatchObject({ status: 'error', error: expect.stringMatching(e.error!) });
          expect(own, e.file).toEqual([]);
          // Stored: on the job, and on the media row wherever there is a file to hang it on.
          const job = db.prepare('SELECT status, error FROM jobs WHERE path = ?').get(e.file);
          expect(job, e.file).toEqual({ status: 'error', error: m.error });
          const row = db.prepare('SELECT status, error FROM media WHERE path = ?').get(e.file) as { status: string; error: string } | undefined;
          if (row) expect(row, e.file).toEqual({ status: 'error', error: m.error });
        }
      }
      expect(db.prepare(`SELECT count(*) FROM jobs WHERE status IN ('pending', 'running')`).pluck().get()).toBe(0);
    } finally {
      db.close();
    }

    // No name was ever given to a shell.
    for (const dir of [drop, corpus, tmp, root]) expect(fs.readdirSync(dir).filter((f) => f.startsWith('pwned'))).toEqual([]);
    const weird = path.join(drop, SHELL_BAIT);
    const one = JSON.parse((await reeltag(env, ['clips', '--library', lib, '--json', '--media', weird])).stdout) as { clips: ClipJson[] };
    expect(one.clips.map((c) => c.media)).toEqual([weird]);
  });

  it('ingests a folder of 200 tiny videos, each once', async () => {
    const folder = path.join(tmp, 'two hundred');
    fs.mkdirSync(folder);
    const base = fs.readFileSync(plainFile);
    for (let i = 0; i < 200; i++) distinctMp4Copy(base, path.join(folder, `clip-${String(i).padStart(3, '0')}.mp4`), 1000 + i);
    const lib = path.join(tmp, 'lib-200');

    const first = await reeltag(env, ['ingest', '--library', lib, '--json', folder], { timeoutMs: 900_000 });
    expect(first.code, first.stderr).toBe(0);
    const media = (JSON.parse(first.stdout) as { media: MediaJson[] }).media;
    expect(media).toHaveLength(200);
    expect(media.every((m) => m.status === 'ok' && m.clips === 1)).toBe(true);

    const again = await reeltag(env, ['ingest', '--library', lib, '--json', folder], { timeoutMs: 300_000 });
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { media: MediaJson[] }).media.every((m) => m.status === 'skipped')).toBe(true);

    const db = new Database(path.join(lib, 'library.sqlite'), { readonly: true });
    try {
      expect(db.prepare(`SELECT count(DISTINCT content_hash) FROM media WHERE status = 'ok'`).pluck().get()).toBe(200);
      expect(db.prepare('SELECT count(*) FROM clips').pluck().get()).toBe(200);
    } finally {
      db.close();
    }
    // Informational only: speed is judged by `reeltag bench`, never by a timed test.
    console.log(`200 tiny videos: ${(first.ms / 1000).toFixed(1)} s to ingest (${(first.ms / 200).toFixed(0)} ms/file), ` +
      `${(again.ms / 1000).toFixed(1)} s to skip again (${(again.ms / 200).toFixed(0)} ms/file)`);
  }, 1_200_000);
});
