// What the shot LSTM sees of each frame: distances to earlier frames at several offsets
// (a cut is one big step, a dissolve or fade a run of small ones that add up over 4–8 frames)
// and the frame's own brightness, contrast and colourfulness (fades pass through black), the blend
// test (is the frame a mix of its neighbours?) and the motion test (does block matching explain
// the change?).
// All from the every-frame features of the single decode.
import { BLEND_OFFSETS, FeatureTrack, MOTION_OFFSETS, OFF_BLEND, OFF_LUMA, OFF_LUMA_STD, OFF_MOTION, OFF_SAT, gridDistance, histDistance } from './features.js';

export const OFFSETS = [1, 2, 4, 8, 16] as const;
export const LSTM_FEATURES = 2 * OFFSETS.length + 4 + 3 * BLEND_OFFSETS.length + 3 * MOTION_OFFSETS.length;

/** [frames × LSTM_FEATURES] row-major, scaled to roughly unit range. */
export function lstmFeatures(track: FeatureTrack): Float32Array {
  const n = track.count;
  const out = new Float32Array(n * LSTM_FEATURES);
  for (let i = 0; i < n; i++) {
    const row = track.row(i);
    const o = i * LSTM_FEATURES;
    for (const [k, off] of OFFSETS.entries()) {
      const prev = track.row(Math.max(0, i - off));
      out[o + k] = 3 * histDistance(row, prev);
      out[o + OFFSETS.length + k] = 6 * gridDistance(row, prev);
    }
    const base = o + 2 * OFFSETS.length;
    out[base] = row[OFF_LUMA]!;
    out[base + 1] = 3 * row[OFF_LUMA_STD]!;
    out[base + 2] = 3 * row[OFF_SAT]!;
    out[base + 3] = 5 * (row[OFF_LUMA]! - track.row(Math.max(0, i - 1))[OFF_LUMA]!);
    // Blend test: change across the window, distance from a pixel-wise mix, and their ratio.
    for (const [j] of BLEND_OFFSETS.entries()) {
      const change = row[OFF_BLEND + 2 * j]!;
      const off = row[OFF_BLEND + 2 * j + 1]!;
      out[base + 4 + 3 * j] = 5 * change;
      out[base + 5 + 3 * j] = 10 * off;
      out[base + 6 + 3 * j] = Math.min(2, off / (change + 0.01));
    }
    // Motion test: the change, what block matching leaves of it, and their ratio (≈ 1 when
    // nothing moved the pixels: a dissolve, a fade, noise; well under 1 for a pan or a subject).
    const mBase = base + 4 + 3 * BLEND_OFFSETS.length;
    for (const [j] of MOTION_OFFSETS.entries()) {
      const change = row[OFF_MOTION + 2 * j]!;
      const remainder = row[OFF_MOTION + 2 * j + 1]!;
      out[mBase + 3 * j] = 10 * change;
      out[mBase + 3 * j + 1] = 10 * remainder;
      out[mBase + 3 * j + 2] = remainder / (change + 0.004);
    }
  }
  return out;
}
