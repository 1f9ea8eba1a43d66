import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateBinaries } from '../../../main/core/media/binaries.js';
import { decodeOnce, type DecodeHandlers } from '../../../main/core/media/decode.js';
import { defaultPlan, type DecodePlan } from '../../../main/core/media/decode-plan.js';
import { MediaError, MediaToolMissingError, ToolAbortedError, ToolFailedError, ToolTimeoutError } from '../../../main/core/media/errors.js';
import { probe } from '../../../main/core/media/probe.js';
import { makeVideo, multiShotVideo, type GeneratedVideo } from '../../fixtures/generate.js';
import { faststartCopy, jpegSize, lateVideoStart, meanRgb, pixel, processesMentioning, rotatedCornerVideo, truncatedCopy, vfrVideo } from './helpers.js';

const { ffmpeg, ffprobe } = locateBinaries({ PATH: process.env.PATH });
let video: GeneratedVideo;
let plan: DecodePlan;
let dir: string;

beforeAll(async () => {
  video = multiShotVideo('media-decode'); // 355 frames, 25 fps, six shots; its own file, so no other test's ffmpeg mentions it
  plan = defaultPlan(await probe(ffprobe, video.path));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-decode-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Collected {
  shots: Uint8Array[];
  samples: { rgb: Uint8Array; index: number; time: number }[];
  thumbs: { jpeg: Buffer; index: number; time: number }[];
}

function collector(): { got: Collected; handlers: DecodeHandlers } {
  const got: Collected = { shots: [], samples: [], thumbs: [] };
  return {
    got,
    handlers: {
      onShotFrame: (rgb, index) => {
        expect(index).toBe(got.shots.length);
        got.shots.push(rgb);
      },
      onSample: (rgb, index, time) => {
        got.samples.push({ rgb, index, time });
      },
      onThumbnail: (jpeg, index, time) => {
        got.thumbs.push({ jpeg, index, time });
      },
    },
  };
}

async function decodeError(p: Promise<unknown>): Promise<MediaError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(MediaError);
    return err as MediaError;
  }
  throw new Error('decodeOnce resolved');
}

const shotOf = (frame: number): number => video.cuts.filter((c) => c <= frame).length;

describe('decodeOnce on a 355-frame H.264 video', () => {
  let got: Collected;
  let result: Awaited<ReturnType<typeof decodeOnce>>;

  beforeAll(async () => {
    expect([video.frames, video.fps]).toEqual([355, 25]); // the numbers below assume this video
    const c = collector();
    got = c.got;
    result = await decodeOnce({ ffmpeg, input: video.path, plan }, c.handlers);
  });

  it('hands out every frame exactly once, 64×36 rgb24, as separate arrays', () => {
    expect(result.shotFrames).toBe(355);
    expect(got.shots).toHaveLength(355);
    expect(got.shots.every((f) => f.length === 64 * 36 * 3 && f.buffer.byteLength === f.length)).toBe(true);
    expect(new Set(got.shots.map((f) => f.buffer)).size).toBe(355);
  });

  it('frame n of the shot stream is decoded frame n: every cut falls exactly where it was made', () => {
    const meanDiff = (a: Uint8Array, b: Uint8Array): number => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
      return s / a.length;
    };
    const diffs = got.shots.slice(1).map((f, i) => ({ frame: i + 1, d: meanDiff(got.shots[i]!, f) }));
    const biggest = [...diffs].sort((a, b) => b.d - a.d).slice(0, video.cuts.length).map((x) => x.frame).sort((a, b) => a - b);
    expect(biggest).toEqual(video.cuts);
  });

  it('samples once a second from the first frame: sample i is frame 25·i', () => {
    // 14.2 s: frames at 0 s … 14 s.
    expect(result.samples).toBe(15);
    expect(got.samples.map((s) => s.index)).toEqual([...Array(15).keys()]);
    expect(got.samples.map((s) => s.time)).toEqual([...Array(15).keys()]);
    for (const s of got.samples) {
      expect(s.rgb.length).toBe(512 * 512 * 3);
      const frame = 25 * s.index;
      const want = meanRgb(got.shots[frame]!);
      const have = meanRgb(s.rgb);
      have.forEach((v, ch) => expect(Math.abs(v - want[ch]!)).toBeLessThan(4));
      // The shot frame that looks most like the sample lies in the same shot as frame 25·i.
      const closest = got.shots
        .map((f, i) => ({ i, d: meanRgb(f).reduce((acc, v, ch) => acc + Math.abs(v - have[ch]!), 0) }))
        .sort((a, b) => a.d - b.d)[0]!.i;
      expect(shotOf(closest)).toBe(shotOf(frame));
    }
  });

  it('makes one valid 320×180 JPEG thumbnail per sample, at the same times', () => {
    expect(result.thumbnails).toBe(15);
    expect(got.thumbs.map((t) => [t.index, t.time])).toEqual(got.samples.map((s) => [s.index, s.time]));
    for (const t of got.thumbs) {
      expect(t.jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(t.jpeg.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
      expect(jpegSize(t.jpeg)).toEqual({ width: 320, height: 180 });
    }
    // ffmpeg itself reads one back as a 320×180 image.
    const file = path.join(dir, 'thumb.jpg');
    fs.writeFileSync(file, got.thumbs[7]!.jpeg);
    const dims = execFileSync(ffprobe, ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file]).toString().trim();
    expect(dims).toBe('320,180');
  });

  it('reports how long the decode took', () => {
    expect(result.decodeMs).toBeGreaterThan(0);
  });
});

describe('decodeOnce on a variable-frame-rate video', () => {
  it('neither drops nor duplicates frames where the frame rate changes', async () => {
    const vfr = vfrVideo();
    const info = await probe(ffprobe, vfr.path);
    expect(info.frameCount).toBe(vfr.frames);
    const result = await decodeOnce({ ffmpeg, input: vfr.path, plan: defaultPlan(info) }, collector().handlers);
    expect(result.shotFrames).toBe(vfr.frames);
    expect(result.thumbnails).toBe(result.samples);
  });
});

describe('decodeOnce on a video that starts after its audio', () => {
  it('takes sample 0 from the first video frame, and times samples from there', async () => {
    const late = lateVideoStart();
    const info = await probe(ffprobe, late.path);
    const plan = defaultPlan(info);
    const c = collector();
    const result = await decodeOnce({ ffmpeg, input: late.path, plan: { ...plan, sample: { ...plan.sample, fps: 0.3 } } }, c.handlers);
    expect(result.shotFrames).toBe(late.frames);
    // 2 s of video at 0.3 samples a second: one sample, at 0 s, from the red first second.
    expect(result.samples).toBe(1);
    const [r, g, b] = meanRgb(c.got.samples[0]!.rgb);
    expect(r).toBeGreaterThan(200);
    expect(g + b).toBeLessThan(60);
  });
});

describe('decodeOnce on a rotated video', () => {
  it('hands out upright frames: the coded top-left box ends up bottom-left, thumbnails portrait', async () => {
    const file = rotatedCornerVideo();
    const info = await probe(ffprobe, file);
    const c = collector();
    await decodeOnce({ ffmpeg, input: file, plan: defaultPlan(info) }, c.handlers);
    const red = ([r, g, b]: number[]): boolean => r! > 180 && g! < 60 && b! < 60;
    const black = ([r, g, b]: number[]): boolean => r! < 40 && g! < 40 && b! < 40;
    // Upright the picture is 180×320 with the box at x 0–40, y 280–320; squashed to each size.
    const shot = c.got.shots[10]!;
    expect(red(pixel(shot, 64, 5, 34))).toBe(true);
    for (const [x, y] of [[5, 2], [58, 2], [58, 34]] as const) expect(black(pixel(shot, 64, x, y))).toBe(true);
    const sample = c.got.samples[0]!.rgb;
    expect(red(pixel(sample, 512, 30, 490))).toBe(true);
    for (const [x, y] of [[30, 20], [480, 20], [480, 490]] as const) expect(black(pixel(sample, 512, x, y))).toBe(true);
    expect(jpegSize(c.got.thumbs[0]!.jpeg)).toEqual({ width: 320, height: 568 });
  });
});

describe('decodeOnce with a slow consumer (backpressure)', () => {
  it('holds ffmpeg while onSample is pending, without tripping the stall timeout, and loses nothing', async () => {
    const c = collector();
    let pending = 0;
    let maxPending = 0;
    const shotsAtRelease: number[] = [];
    const result = await decodeOnce(
      { ffmpeg, input: video.path, plan, stallTimeoutMs: 1500 },
      {
        ...c.handlers,
        onSample: async (rgb, index, time) => {
          c.handlers.onSample(rgb, index, time);
          maxPending = Math.max(maxPending, ++pending);
          // The first two are far longer than the stall timeout: time the consumer holds ffmpeg
          // is not a stall. (The timeout itself leaves room for a loaded CI machine.)
          await new Promise((r) => setTimeout(r, index < 2 ? 2000 : 250));
          shotsAtRelease.push(c.got.shots.length);
          pending--;
        },
      },
    );
    expect(result).toMatchObject({ shotFrames: 355, samples: 15, thumbnails: 15 });
    expect(maxPending).toBe(1);
    // While sample i was held ffmpeg stayed within a few samples of it (here: 25·(i+2) frames,
    // one more sample sits in the pipe buffers) instead of racing to the end of the video.
    shotsAtRelease.slice(0, 10).forEach((shots, i) => expect(shots).toBeLessThanOrEqual(25 * (i + 4)));
  });
});

describe('decodeOnce failures', () => {
  it('stops ffmpeg and rejects when the signal aborts', async () => {
    const long = makeVideo('media-long-30s', [{ source: 'testsrc2', frames: 750 }]);
    const ac = new AbortController();
    const c = collector();
    const err = await decodeError(
      decodeOnce({ ffmpeg, input: long.path, plan: defaultPlan(await probe(ffprobe, long.path)), signal: ac.signal }, {
        ...c.handlers,
        onSample: (rgb, index, time) => {
          c.handlers.onSample(rgb, index, time);
          ac.abort();
        },
      }),
    );
    expect(err).toBeInstanceOf(ToolAbortedError);
    expect(err.message).toBe('ffmpeg was cancelled and has been stopped');
    expect(c.got.shots.length).toBeLessThan(750);
    expect(processesMentioning(long.path)).toEqual([]);
  });

  it('does not start with an already aborted signal', async () => {
    const err = await decodeError(decodeOnce({ ffmpeg, input: video.path, plan, signal: AbortSignal.abort() }, collector().handlers));
    expect(err).toBeInstanceOf(ToolAbortedError);
  });

  it('kills ffmpeg and rejects with the error a handler throws', async () => {
    const c = collector();
    const err = await decodeOnce({ ffmpeg, input: video.path, plan }, {
      ...c.handlers,
      onShotFrame: (_rgb, index) => {
        if (index === 10) throw new Error('consumer broke');
      },
    }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('consumer broke');
    expect(processesMentioning(video.path)).toEqual([]);
  });

  it('times out on a FIFO nobody writes to', async () => {
    const fifo = path.join(dir, 'stuck-decode.mp4');
    execFileSync('mkfifo', [fifo]);
    const err = await decodeError(decodeOnce({ ffmpeg, input: fifo, plan, stallTimeoutMs: 500 }, collector().handlers));
    expect(err).toBeInstanceOf(ToolTimeoutError);
    expect(err.message).toMatch(/^ffmpeg produced no output for 0.5 s .* and was stopped$/);
    expect(processesMentioning(fifo)).toEqual([]);
  });

  it('rejects with ffmpeg stderr when it exits non-zero', async () => {
    const file = path.join(dir, 'notes.mp4');
    fs.writeFileSync(file, 'not a video\n');
    const err = await decodeError(decodeOnce({ ffmpeg, input: file, plan }, collector().handlers));
    expect(err).toBeInstanceOf(ToolFailedError);
    expect(err.message).toMatch(/^ffmpeg exited with code 1: .*Invalid data found when processing input$/);
  });

  it('resolves with the frames ffmpeg got from a truncated file it can partly read', async () => {
    const cut = truncatedCopy(faststartCopy(video.path), 0.3, path.join(dir, 'cut-faststart.mp4'));
    const info = await probe(ffprobe, cut); // the index is intact, so it still probes as 355 frames
    expect(info.frameCount).toBe(355);
    const c = collector();
    const result = await decodeOnce({ ffmpeg, input: cut, plan: defaultPlan(info) }, c.handlers);
    expect(result.shotFrames).toBeGreaterThan(0);
    expect(result.shotFrames).toBeLessThan(355);
    expect(result.samples).toBe(Math.floor((result.shotFrames - 1) / 25) + 1);
    expect(result.thumbnails).toBe(result.samples);
  });

  it('rejects with MediaToolMissingError when the ffmpeg binary is not there', async () => {
    const err = await decodeError(decodeOnce({ ffmpeg: path.join(dir, 'no-ffmpeg'), input: video.path, plan }, collector().handlers));
    expect(err).toBeInstanceOf(MediaToolMissingError);
    expect(err.message).toMatch(/apt-get install ffmpeg/);
  });

  it('refuses Windows with a clear message instead of failing obscurely', async () => {
    const err = await decodeError(decodeOnce({ ffmpeg, input: video.path, plan, platform: 'win32' }, collector().handlers));
    expect(err.message).toMatch(/Windows/);
  });
});
