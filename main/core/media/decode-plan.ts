// What one decode produces: sizes and the sampling rate of its three streams.
import type { MediaInfo } from '../../../shared/types.js';

export interface DecodePlan {
  /** Every frame, for shot-boundary features. */
  shot: { width: number; height: number };
  /** Frames at `fps`, at the CNN's input size (squashed, not letterboxed). */
  sample: { width: number; height: number; fps: number };
  /** JPEG thumbnails at the sample times; height follows the display aspect ratio. */
  thumb: { width: number };
}

export const DEFAULT_SHOT_SIZE = Object.freeze({ width: 64, height: 36 });
export const DEFAULT_SAMPLE_SIZE = Object.freeze({ width: 512, height: 512 });
export const DEFAULT_THUMB_WIDTH = 320;
export const DEFAULT_MAX_SAMPLES = 600;

/**
 * One sample a second, fewer for long videos so at most `maxSamples` come out. The rate is
 * rounded down to thousandths so ffmpeg's fps filter gets it as an exact fraction (n/1000) and
 * the sample times computed here (index / fps) match the frames it picks.
 */
export function sampleFps(durationSec: number, maxSamples = DEFAULT_MAX_SAMPLES): number {
  if (!(maxSamples > 0)) throw new RangeError(`maxSamples must be positive, got ${maxSamples}`);
  // 0 or unknown duration: still sample, or a short clip would get no CNN frame at all.
  if (!(durationSec > 0) || !Number.isFinite(durationSec)) return 1;
  const raw = Math.min(1, maxSamples / durationSec);
  const thousandths = Math.floor(raw * 1000) / 1000;
  // Only for videos of days: fall back to a whole number of seconds between samples.
  return thousandths > 0 ? thousandths : 1 / Math.ceil(durationSec / maxSamples);
}

export function defaultPlan(info: MediaInfo, opts: { maxSamples?: number } = {}): DecodePlan {
  return {
    shot: { ...DEFAULT_SHOT_SIZE },
    sample: { ...DEFAULT_SAMPLE_SIZE, fps: sampleFps(info.durationSec, opts.maxSamples) },
    thumb: { width: DEFAULT_THUMB_WIDTH },
  };
}

/** Bytes of one rgb24 frame. */
export function rgbFrameBytes(size: { width: number; height: number }): number {
  return size.width * size.height * 3;
}
