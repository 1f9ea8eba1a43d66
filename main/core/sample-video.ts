// Generated footage for `npm run demo`, `reeltag bench` and the tests: shots of distinct lavfi
// sources joined at known frames, encoded as H.264 like most real libraries.
import fs from 'node:fs/promises';
import path from 'node:path';
import { runTool } from './media/index.js';

/** A lavfi source without size/rate (e.g. "testsrc2", "color=c=0x336699"), its length, extra filters. */
export interface ShotSpec {
  source: string;
  frames: number;
  /** e.g. "fade=t=out:start_frame=50:nb_frames=25" */
  filter?: string;
}

export interface SampleVideo {
  path: string;
  fps: number;
  frames: number;
  /** First frame of every shot after the first (a hard cut lies between n−1 and n). */
  cuts: number[];
}

/** Visually distinct sources: static bars and colours next to moving patterns. */
export const SAMPLE_SOURCES = ['testsrc2', 'smptebars', 'mandelbrot', 'rgbtestsrc', 'color=c=0x2a4d69', 'pal100bars', 'yuvtestsrc', 'color=c=0xc0392b'];

export const H264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'];

/** ffmpeg arguments that trim each source to an exact frame count and concatenate them. */
export function shotsVideoArgs(out: string, shots: ShotSpec[], o: { width: number; height: number; fps: number; codec?: string[] }): string[] {
  const inputs = shots.flatMap((s) => ['-f', 'lavfi', '-i', `${s.source}${s.source.includes('=') ? ':' : '='}size=${o.width}x${o.height}:rate=${o.fps}`]);
  const chains = shots.map((s, i) => `[${i}:v]trim=end_frame=${s.frames},setpts=PTS-STARTPTS,${s.filter ? `${s.filter},` : ''}format=yuv420p[v${i}]`);
  const graph = `${chains.join(';')};${shots.map((_, i) => `[v${i}]`).join('')}concat=n=${shots.length}:v=1:a=0[out]`;
  return ['-v', 'error', '-y', ...inputs, '-filter_complex', graph, '-map', '[out]', ...(o.codec ?? H264), out];
}

export function cutsOf(shots: ShotSpec[]): { frames: number; cuts: number[] } {
  const cuts: number[] = [];
  let frames = 0;
  for (const [i, s] of shots.entries()) {
    if (i > 0) cuts.push(frames);
    frames += s.frames;
  }
  return { frames, cuts };
}

/** Shots of the given lengths in seconds, cycling through SAMPLE_SOURCES. */
export function shotsOfSeconds(seconds: number[], fps: number): ShotSpec[] {
  return seconds.map((s, i) => ({ source: SAMPLE_SOURCES[i % SAMPLE_SOURCES.length]!, frames: Math.round(s * fps) }));
}

export async function makeSampleVideo(
  ffmpeg: string,
  out: string,
  o: { width?: number; height?: number; fps?: number; shotSeconds?: number[] } = {},
): Promise<SampleVideo> {
  const fps = o.fps ?? 25;
  const shots = shotsOfSeconds(o.shotSeconds ?? [3, 2.5, 4, 2, 3.5], fps);
  await fs.mkdir(path.dirname(out), { recursive: true });
  const tmp = `${out}.part${path.extname(out)}`;
  await runTool(ffmpeg, shotsVideoArgs(tmp, shots, { width: o.width ?? 640, height: o.height ?? 360, fps }), { timeoutMs: 600_000 });
  await fs.rename(tmp, out);
  return { path: out, fps, ...cutsOf(shots) };
}

/**
 * The bytes of an MP4 with a top-level `free` box (which every reader skips) holding `n`
 * appended: the same video under a different content hash, so the library takes each copy as a
 * new file. No ffmpeg run per copy.
 */
export function distinctMp4(src: Uint8Array, n: number): Buffer {
  const free = Buffer.alloc(16);
  free.writeUInt32BE(16, 0);
  free.write('free', 4, 'latin1');
  free.writeBigUInt64BE(BigInt(n), 8);
  return Buffer.concat([src, free]);
}

/** One second of a small lavfi pattern (25 frames at 64×36, H.264): the tiniest real video. */
export async function makeTinyVideo(ffmpeg: string, out: string): Promise<string> {
  await fs.mkdir(path.dirname(out), { recursive: true });
  const args = ['-v', 'error', '-y', '-nostdin', '-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=25', '-frames:v', '25', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', out];
  await runTool(ffmpeg, args, { timeoutMs: 60_000 });
  return out;
}

/** `count` distinct copies of one tiny video in `dir` (clip-000.mp4 …), for load tests and benches. */
export async function makeDistinctTinyVideos(ffmpeg: string, dir: string, count: number): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const base = await fs.readFile(await makeTinyVideo(ffmpeg, path.join(dir, '.base.mp4')));
  await fs.rm(path.join(dir, '.base.mp4'));
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `clip-${String(i).padStart(3, '0')}.mp4`);
    await fs.writeFile(file, distinctMp4(base, i));
    files.push(file);
  }
  return files;
}
