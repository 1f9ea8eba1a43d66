// Running the built `reeltag` CLI from integration tests, and tiny generated videos for them.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { distinctMp4 } from '../../../main/core/sample-video.js';
import { createRng } from '../../../main/core/ml/shots/training/recipe.js';

export const root = path.resolve(import.meta.dirname, '../../..');
export const bin = path.join(root, 'bin/reeltag.js');

/**
 * The CLI's environment for a test: its own default library, the shared model cache, and the
 * histogram shot detector while the trained shot model has not landed in assets/ yet.
 */
export function cliEnv(tmp: string): NodeJS.ProcessEnv {
  const lstm = fs.existsSync(path.join(root, 'assets/models/shots/model.json'));
  return {
    ...process.env,
    REELTAG_CACHE: path.join(root, '.cache/reeltag-cache'),
    REELTAG_LIBRARY: path.join(tmp, 'default-lib'),
    ...(lstm ? {} : { REELTAG_SHOTS: 'histogram' }),
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `reeltag …args`; a run past `timeoutMs` is killed and fails the test (code -1). */
export function reeltag(env: NodeJS.ProcessEnv, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env, cwd: opts.cwd, maxBuffer: 64 << 20, timeout: opts.timeoutMs ?? 300_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - started });
      },
    );
  });
}

export function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-nostdin', ...args], { stdio: 'pipe' });
}

/** `frames` frames of a lavfi source at `size` (e.g. "64x36"), 25 fps, H.264 unless `codec` says otherwise. */
export function tinyVideo(out: string, o: { size?: string; frames?: number; source?: string; codec?: string[]; extra?: string[] } = {}): string {
  const src = `${o.source ?? 'testsrc2'}=size=${o.size ?? '64x36'}:rate=25`;
  const codec = o.codec ?? ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
  ffmpeg(['-f', 'lavfi', '-i', src, '-frames:v', String(o.frames ?? 25), ...codec, ...(o.extra ?? []), out]);
  return out;
}

/** Top-level MP4 boxes: type, offset and size. */
export function mp4Boxes(bytes: Buffer): { type: string; offset: number; size: number }[] {
  const boxes: { type: string; offset: number; size: number }[] = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    const size = bytes.readUInt32BE(at);
    boxes.push({ type: bytes.toString('latin1', at + 4, at + 8), offset: at, size });
    if (size < 8) break;
    at += size;
  }
  return boxes;
}

/**
 * A copy of an MP4 with different bytes, hence a different content hash, and the same video (see
 * distinctMp4 in main/core/sample-video.ts, which `reeltag bench --load` uses too).
 */
export function distinctMp4Copy(src: Buffer, out: string, n: number): string {
  fs.writeFileSync(out, distinctMp4(src, n));
  return out;
}

/** Width and height of a baseline or progressive JPEG. */
export function jpegSize(jpeg: Buffer): { width: number; height: number } | null {
  for (let pos = 2; pos + 9 <= jpeg.length && jpeg[pos] === 0xff; pos += 2 + jpeg.readUInt16BE(pos + 2)) {
    const marker = jpeg[pos + 1]!;
    if (marker >= 0xc0 && marker <= 0xc2) return { height: jpeg.readUInt16BE(pos + 5), width: jpeg.readUInt16BE(pos + 7) };
  }
  return null;
}

/** Deterministic pseudo-random numbers in [0, 1): the data recipe's mulberry32. */
export const seededRandom = createRng;
