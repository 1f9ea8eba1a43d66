// Cut and fade detection from frame-to-frame feature distances with an adaptive threshold.
//
// A cut is a frame whose distance to the previous one is (1) a local peak, (2) well above the
// activity of the surrounding second — so steady motion raises the bar instead of producing
// cuts — and (3) not undone a few frames later: a camera flash or a one-frame glitch returns
// to the old picture, a cut does not. Fades are runs of near-black frames with a luma ramp
// on either side. Dissolves are left to the LSTM tagger.
import type { Transition } from '../../../../shared/types.js';
import type { ShotDetector } from './detector.js';
import { FeatureTrack, OFF_LUMA, OFF_LUMA_STD, frameDistance } from './features.js';

export interface HistogramDetectorOptions {
  /** No cut below this distance, however quiet the neighbourhood (0..1). */
  minScore?: number;
  /** How many standard deviations above the local activity a cut must stand. */
  sigmas?: number;
  /** How many frames later a flash may have returned to the old picture. */
  flashFrames?: number;
}

const BLACK_LUMA = 0.06;
const BLACK_STD = 0.04;

export function createHistogramDetector(opts: HistogramDetectorOptions = {}): ShotDetector {
  const minScore = opts.minScore ?? 0.15;
  const sigmas = opts.sigmas ?? 4;
  const flashFrames = opts.flashFrames ?? 3;

  return {
    name: 'histogram',
    async detect(track: FeatureTrack, fps: number): Promise<Transition[]> {
      const n = track.count;
      const score = new Float32Array(n);
      for (let i = 1; i < n; i++) score[i] = frameDistance(track.row(i - 1), track.row(i));
      const radius = Math.max(5, Math.round(fps || 25));

      const fades = detectFades(track, fps);
      const inFade = (i: number) => fades.some((f) => i >= f.startFrame && i <= f.endFrame + 1);

      const cuts: Transition[] = [];
      for (let i = 1; i < n; i++) {
        const s = score[i]!;
        if (s < minScore) continue;
        // A cut towers over its neighbours; fast motion raises a plateau of high scores instead.
        if (neighbourMax(score, i, 2) * 2 > s) continue;
        const { mean, std } = neighbourhood(score, i, radius);
        const threshold = Math.max(minScore, mean + sigmas * std, 3 * mean);
        if (s < threshold) continue;
        if (isFlash(track, i, s, flashFrames)) continue;
        if (inFade(i)) continue;
        const confidence = Math.min(1, 0.5 + (0.5 * (s - threshold)) / threshold);
        cuts.push({ type: 'cut', startFrame: i - 1, endFrame: i, confidence: round3(confidence) });
      }
      return [...cuts, ...fades].sort((a, b) => a.startFrame - b.startFrame);
    },
  };
}

function neighbourMax(score: Float32Array, i: number, r: number): number {
  let max = 0;
  for (let j = Math.max(1, i - r); j <= Math.min(score.length - 1, i + r); j++) if (j !== i) max = Math.max(max, score[j]!);
  return max;
}

/** Mean and standard deviation of the scores within ±radius, leaving out the candidate itself. */
function neighbourhood(score: Float32Array, i: number, radius: number): { mean: number; std: number } {
  let sum = 0;
  let sq = 0;
  let k = 0;
  for (let j = Math.max(1, i - radius); j <= Math.min(score.length - 1, i + radius); j++) {
    if (Math.abs(j - i) <= 1) continue;
    sum += score[j]!;
    sq += score[j]! * score[j]!;
    k++;
  }
  if (k === 0) return { mean: 0, std: 0 };
  const mean = sum / k;
  return { mean, std: Math.sqrt(Math.max(0, sq / k - mean * mean)) };
}

/**
 * True when the change at i is undone within a few frames: the picture before i comes back
 * soon after (entering a flash), or the picture at i was already there just before (leaving one).
 */
function isFlash(track: FeatureTrack, i: number, s: number, frames: number): boolean {
  const before = track.row(i - 1);
  const after = track.row(i);
  for (let k = 1; k <= frames; k++) {
    if (i + k < track.count && frameDistance(before, track.row(i + k)) < 0.35 * s) return true;
    if (i - 1 - k >= 0 && frameDistance(after, track.row(i - 1 - k)) < 0.35 * s) return true;
  }
  return false;
}

function isBlack(track: FeatureTrack, i: number): boolean {
  const row = track.row(i);
  return row[OFF_LUMA]! < BLACK_LUMA && row[OFF_LUMA_STD]! < BLACK_STD;
}

/** Runs of black frames with a falling luma ramp before and/or a rising one after. */
function detectFades(track: FeatureTrack, fps: number): Transition[] {
  const n = track.count;
  const maxRamp = Math.max(3, Math.round(2 * (fps || 25)));
  const luma = (i: number) => track.row(i)[OFF_LUMA]!;
  const fades: Transition[] = [];
  let i = 0;
  while (i < n) {
    if (!isBlack(track, i)) {
      i++;
      continue;
    }
    let end = i;
    while (end + 1 < n && isBlack(track, end + 1)) end++;
    let left = i;
    while (left > 0 && i - left < maxRamp && luma(left - 1) > luma(left) + 0.002) left--;
    let right = end;
    while (right + 1 < n && right - end < maxRamp && luma(right + 1) > luma(right) + 0.002) right++;
    const ramps = i - left + (right - end);
    // A fade sits between two shots: one touching the first or last frame opens or closes the video.
    if (ramps >= 3 && left > 0 && right < n - 1) {
      fades.push({ type: 'fade', startFrame: left, endFrame: right, confidence: round3(Math.min(1, 0.5 + ramps / (2 * maxRamp))) });
    }
    i = end + 1;
  }
  return fades;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
