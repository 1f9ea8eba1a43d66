// Decode a video exactly once: one ffmpeg process, one decode, the frames split by the filter
// graph into three raw streams that ffmpeg writes to extra pipes (fds 3, 4, 5). No temp files.
//
// Pipes beyond stdio are inherited fds on Linux and macOS, which ffmpeg's `pipe:N` writes to.
// Windows has no such fds for a mingw/MSVC ffmpeg: it would need named pipes (\\.\pipe\…) passed
// as output URLs. That is not implemented; decodeOnce says so instead of failing obscurely.
import type { Readable } from 'node:stream';
import { rgbFrameBytes, type DecodePlan } from './decode-plan.js';
import { explainDecodeFailure } from './decode-failure.js';
import { MediaError, ToolFailedError, ToolTimeoutError } from './errors.js';
import { decodeArgs } from './ffmpeg-args.js';
import { createFrameChunker } from './frame-chunker.js';
import { createJpegSplitter } from './jpeg-splitter.js';
import { startTool } from './spawn.js';
import { createStallWatchdog } from './stall-watchdog.js';

export { defaultPlan, type DecodePlan } from './decode-plan.js';

export interface DecodeHandlers {
  /** Every decoded frame in decode order, plan.shot size, rgb24. Synchronous and cheap. */
  onShotFrame(rgb: Uint8Array, index: number): void;
  /**
   * A sampled frame at plan.sample size, rgb24, on screen `timeSec` after the first frame.
   * While the returned promise is pending ffmpeg is held (backpressure). The promise must
   * settle without waiting for more frames of this same decode (e.g. resolve when a batch slot
   * is free, not when the batch is full), or the decode can never go on.
   */
  onSample(rgb: Uint8Array, index: number, timeSec: number): void | Promise<void>;
  /**
   * A JPEG of the same frame as sample `index`, plan.thumb.width wide (narrower only for a picture
   * more than THUMB_MAX_TALL times taller than wide).
   */
  onThumbnail(jpeg: Buffer, index: number, timeSec: number): void;
}

export interface DecodeOptions {
  ffmpeg: string;
  input: string;
  plan: DecodePlan;
  signal?: AbortSignal;
  /** No bytes on any output pipe for this long (while none is held by onSample) → kill. Default 60 s. */
  stallTimeoutMs?: number;
  /** For tests of the Windows refusal; defaults to process.platform. */
  platform?: NodeJS.Platform;
}

export interface DecodeResult {
  shotFrames: number;
  samples: number;
  thumbnails: number;
  decodeMs: number;
}

export const DEFAULT_STALL_TIMEOUT_MS = 60_000;

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

/**
 * Resolves when ffmpeg exits 0 and every frame has been handed out. A truncated or partly
 * damaged file usually resolves too: ffmpeg decodes what it can, logs the damage and exits 0, so
 * the counts are simply lower than MediaInfo.frameCount. Rejects with ToolAbortedError (signal),
 * ToolTimeoutError (stall), ToolFailedError (non-zero exit, with ffmpeg's stderr tail),
 * CorruptMediaError (exit before the first frame, see decode-failure.ts) or the error a handler
 * threw; ffmpeg is killed in every one of those cases.
 */
export async function decodeOnce(opts: DecodeOptions, handlers: DecodeHandlers): Promise<DecodeResult> {
  if ((opts.platform ?? process.platform) === 'win32') {
    throw new MediaError(
      'decoding needs ffmpeg to write to pipe fds 3–5, which Windows does not pass to child processes; named-pipe support is not implemented yet',
    );
  }
  const { plan } = opts;
  const args = decodeArgs(opts.input, plan);
  const started = performance.now();
  const proc = startTool(opts.ffmpeg, args, { signal: opts.signal, extraPipes: 3 });
  const [shotPipe, samplePipe, thumbPipe] = proc.pipes as [Readable, Readable, Readable];
  const stallMs = opts.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const watchdog = createStallWatchdog(stallMs, () =>
    proc.fail(new ToolTimeoutError(proc.tool, stallMs, 'stalled', proc.stderrTail())),
  );
  proc.stdout.resume(); // ffmpeg writes nothing there; drained so that can never block it

  let shotFrames = 0;
  let samples = 0;
  let thumbnails = 0;
  const sampleTime = (i: number): number => i / plan.sample.fps;

  const readShots = async (): Promise<void> => {
    const chunker = createFrameChunker(rgbFrameBytes(plan.shot));
    for await (const chunk of shotPipe as AsyncIterable<Buffer>) {
      watchdog.kick();
      for (const frame of chunker.push(chunk)) handlers.onShotFrame(frame, shotFrames++);
    }
  };

  // Backpressure: while onSample's promise is pending this loop does not pull, the stream's
  // buffer fills, Node stops reading the socket, and ffmpeg blocks writing fd 4, which stalls the
  // whole ffmpeg process (it writes its outputs from one loop). That cannot deadlock, because the
  // other two loops keep reading whatever is already in flight on fds 3 and 5, and the pending
  // promise depends on the consumer only (see DecodeHandlers.onSample), never on ffmpeg.
  const readSamples = async (): Promise<void> => {
    const chunker = createFrameChunker(rgbFrameBytes(plan.sample));
    for await (const chunk of samplePipe as AsyncIterable<Buffer>) {
      watchdog.kick();
      for (const frame of chunker.push(chunk)) {
        const index = samples++;
        const pending = handlers.onSample(frame, index, sampleTime(index));
        if (isThenable(pending)) {
          watchdog.hold(); // ffmpeg is waiting on us now, not stalled
          try {
            await pending;
          } finally {
            watchdog.release();
          }
        }
      }
    }
  };

  const readThumbs = async (): Promise<void> => {
    const splitter = createJpegSplitter();
    for await (const chunk of thumbPipe as AsyncIterable<Buffer>) {
      watchdog.kick();
      for (const jpeg of splitter.push(chunk)) {
        const index = thumbnails++;
        handlers.onThumbnail(jpeg, index, sampleTime(index));
      }
    }
  };

  // A failing handler kills ffmpeg at once; proc.done then rejects with that handler's error.
  const readers = Promise.allSettled(
    [readShots(), readSamples(), readThumbs()].map((p) =>
      p.catch((err: unknown) => {
        proc.fail(err instanceof Error ? err : new Error(String(err)));
        throw err;
      }),
    ),
  );
  try {
    // Settles only after every pipe has closed. On failure, reject at once rather than wait for
    // a reader that may sit in a consumer's promise.
    await proc.done.catch((err: unknown) => {
      throw err instanceof ToolFailedError ? explainDecodeFailure(err, shotFrames) : err;
    });
    for (const r of await readers) if (r.status === 'rejected') throw r.reason;
  } finally {
    watchdog.stop();
  }
  // Any bytes left in a chunker are a frame ffmpeg did not finish writing; it is dropped.
  return { shotFrames, samples, thumbnails, decodeMs: performance.now() - started };
}
