// Per-frame features for shot detection, computed from the small every-frame stream
// (64×36 rgb24 by default) as it is decoded, so no frame is kept after it is read.
//
// Layout of one feature row (FEATURE_DIMS floats):
//   [0, 48)   colour histogram, 16 bins for each of R, G, B; each channel sums to 1
//   48        mean luma (0..1)
//   49        luma standard deviation (0..1)
//   50        mean saturation (max−min of r,g,b, 0..1): low for black-and-white footage
//   [51, 99)  8×6 grid of mean luma: coarse layout, for motion and flashes
//   [99, 103) blend test at ±3 and ±6 frames (filled in K frames later, as decoding goes on):
//             the luma change across the window, and how far the middle frame is from the
//             pixel-wise average of the two ends. A dissolve is such an average (≈ 0); a pan
//             or a zoom moves pixels instead of mixing them (large).
//   [103, 107) motion test against the frames 1 and 3 back, at 32×18 luma: the mean change, and
//             the change left after each 6×6 block is matched within ±3 pixels. Camera or
//             subject motion is explained by the matching (small remainder); a dissolve, a fade
//             or a cut is not (the remainder stays near the change).
// Histograms ignore layout (robust to motion inside a shot); the grid ignores colour
// (catches cuts between shots of similar palette). Both are cheap enough to run on
// every frame at several hundred frames per second in JavaScript.

export const HIST_BINS = 16;
export const GRID_W = 8;
export const GRID_H = 6;
export const OFF_LUMA = 3 * HIST_BINS;
export const OFF_LUMA_STD = OFF_LUMA + 1;
export const OFF_SAT = OFF_LUMA + 2;
export const OFF_GRID = OFF_LUMA + 3;
export const OFF_BLEND = OFF_GRID + GRID_W * GRID_H;
export const BLEND_OFFSETS = [3, 6] as const;
export const OFF_MOTION = OFF_BLEND + 2 * BLEND_OFFSETS.length;
export const MOTION_OFFSETS = [1, 3] as const;
export const FEATURE_DIMS = OFF_MOTION + 2 * MOTION_OFFSETS.length;
const BLEND_W = 32;
const BLEND_H = 18;
const RING = 2 * BLEND_OFFSETS[BLEND_OFFSETS.length - 1]! + 1;
/** Block matching: 6×6 blocks over the 24×12 middle of the 32×18 luma, searched within ±3. */
const BLOCK = 6;
const SEARCH = 3;
const MATCH_X0 = 4;
const MATCH_Y0 = 3;
const BLOCKS_X = 4;
const BLOCKS_Y = 2;

/**
 * The mean absolute luma change from prev to cur over the matched area, and what remains of it
 * when every block of cur is compared with its best-matching position in prev (±SEARCH pixels).
 */
function motionChange(cur: Float32Array, prev: Float32Array): { change: number; remainder: number } {
  let change = 0;
  let remainder = 0;
  for (let by = 0; by < BLOCKS_Y; by++) {
    for (let bx = 0; bx < BLOCKS_X; bx++) {
      const x0 = MATCH_X0 + bx * BLOCK;
      const y0 = MATCH_Y0 + by * BLOCK;
      let best = Infinity;
      for (let dy = -SEARCH; dy <= SEARCH; dy++) {
        for (let dx = -SEARCH; dx <= SEARCH; dx++) {
          let sad = 0;
          for (let y = y0; y < y0 + BLOCK; y++) {
            const c = y * BLEND_W;
            const p = (y + dy) * BLEND_W + dx;
            for (let x = x0; x < x0 + BLOCK; x++) sad += Math.abs(cur[c + x]! - prev[p + x]!);
          }
          if (dx === 0 && dy === 0) change += sad;
          if (sad < best) best = sad;
        }
      }
      remainder += best;
    }
  }
  const n = BLOCKS_X * BLOCKS_Y * BLOCK * BLOCK;
  return { change: change / n, remainder: remainder / n };
}

export function frameFeatures(rgb: Uint8Array, width: number, height: number, out: Float32Array = new Float32Array(FEATURE_DIMS)): Float32Array {
  out.fill(0);
  const pixels = width * height;
  const shift = 8 - Math.log2(HIST_BINS);
  let lumaSum = 0;
  let lumaSq = 0;
  let satSum = 0;
  const cellCounts = new Float32Array(GRID_W * GRID_H);
  for (let y = 0; y < height; y++) {
    const gy = Math.min(GRID_H - 1, Math.floor((y * GRID_H) / height));
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const r = rgb[i]!;
      const g = rgb[i + 1]!;
      const b = rgb[i + 2]!;
      out[r >> shift]! += 1;
      out[HIST_BINS + (g >> shift)]! += 1;
      out[2 * HIST_BINS + (b >> shift)]! += 1;
      const luma = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
      lumaSum += luma;
      lumaSq += luma * luma;
      satSum += (Math.max(r, g, b) - Math.min(r, g, b)) / 255;
      const cell = gy * GRID_W + Math.min(GRID_W - 1, Math.floor((x * GRID_W) / width));
      out[OFF_GRID + cell]! += luma;
      cellCounts[cell]! += 1;
    }
  }
  for (let i = 0; i < 3 * HIST_BINS; i++) out[i]! /= pixels;
  const mean = lumaSum / pixels;
  out[OFF_LUMA] = mean;
  out[OFF_LUMA_STD] = Math.sqrt(Math.max(0, lumaSq / pixels - mean * mean));
  out[OFF_SAT] = satSum / pixels;
  for (let c = 0; c < GRID_W * GRID_H; c++) out[OFF_GRID + c]! /= Math.max(1, cellCounts[c]!);
  return out;
}

/** Growable store of feature rows: one Float32Array for the whole video, not one object per frame. */
/** Luma at 32×18 (2×2 box of the 64×36 stream), 0..1. */
function smallLuma(rgb: Uint8Array, width: number, height: number, out: Float32Array): void {
  for (let y = 0; y < BLEND_H; y++) {
    for (let x = 0; x < BLEND_W; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / BLEND_W));
      const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / BLEND_H));
      const i = (sy * width + sx) * 3;
      out[y * BLEND_W + x] = (0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!) / 255;
    }
  }
}

export class FeatureTrack {
  private data: Float32Array;
  /** The last RING frames' small luma, for the blend test. */
  private readonly ring = new Float32Array(RING * BLEND_W * BLEND_H);
  count = 0;

  constructor(initialFrames = 1024) {
    this.data = new Float32Array(initialFrames * FEATURE_DIMS);
  }

  private luma(i: number): Float32Array {
    const n = BLEND_W * BLEND_H;
    return this.ring.subarray((i % RING) * n, (i % RING + 1) * n);
  }

  /** Frame `last` just arrived: fill in the blend test of frames `last − k` for every offset k. */
  private blend(last: number): void {
    for (const [j, k] of BLEND_OFFSETS.entries()) {
      const c = last - k;
      if (c - k < 0) continue;
      const a = this.luma(c - k);
      const m = this.luma(c);
      const b = this.luma(last);
      let change = 0;
      let off = 0;
      for (let p = 0; p < a.length; p++) {
        change += Math.abs(b[p]! - a[p]!);
        off += Math.abs(m[p]! - (a[p]! + b[p]!) / 2);
      }
      const row = this.row(c);
      row[OFF_BLEND + 2 * j] = change / a.length;
      row[OFF_BLEND + 2 * j + 1] = off / a.length;
    }
  }

  push(rgb: Uint8Array, width: number, height: number): void {
    if ((this.count + 1) * FEATURE_DIMS > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    frameFeatures(rgb, width, height, this.data.subarray(this.count * FEATURE_DIMS, (this.count + 1) * FEATURE_DIMS));
    smallLuma(rgb, width, height, this.luma(this.count));
    this.count++;
    this.blend(this.count - 1);
    this.motion(this.count - 1);
  }

  /** Frame `last` just arrived: its motion test against the frames MOTION_OFFSETS back. */
  private motion(last: number): void {
    const row = this.row(last);
    for (const [j, d] of MOTION_OFFSETS.entries()) {
      if (last - d < 0) continue;
      const m = motionChange(this.luma(last), this.luma(last - d));
      row[OFF_MOTION + 2 * j] = m.change;
      row[OFF_MOTION + 2 * j + 1] = m.remainder;
    }
  }

  row(i: number): Float32Array {
    return this.data.subarray(i * FEATURE_DIMS, (i + 1) * FEATURE_DIMS);
  }
}

/** Histogram distance in 0..1: half the L1 distance, averaged over the three channels. */
export function histDistance(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < 3 * HIST_BINS; i++) d += Math.abs(a[i]! - b[i]!);
  return d / 6;
}

/** Mean absolute difference of the luma grids, 0..1. */
export function gridDistance(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = OFF_GRID; i < OFF_GRID + GRID_W * GRID_H; i++) d += Math.abs(a[i]! - b[i]!);
  return d / (GRID_W * GRID_H);
}

/** The change between two frames as the detectors see it (0..1). */
export function frameDistance(a: Float32Array, b: Float32Array): number {
  return 0.5 * histDistance(a, b) + 0.5 * Math.min(1, 2 * gridDistance(a, b));
}
