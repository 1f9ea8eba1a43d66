import { describe, expect, it } from 'vitest';
import { FeatureTrack, OFF_BLEND, OFF_MOTION } from '../../../../main/core/ml/shots/features.js';

const W = 64;
const H = 36;

/** A deterministic textured frame, optionally shifted right by `dx` pixels. */
function texture(seed: number, dx = 0): Uint8Array {
  const out = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = (Math.sin((x - dx) * 0.7 + seed) * Math.cos(y * 0.9 + 2 * seed) * 0.5 + 0.5) * 255;
      out.set([v, 255 - v, (v * 3) % 255], (y * W + x) * 3);
    }
  }
  return out;
}

function mix(a: Uint8Array, b: Uint8Array, t: number): Uint8Array {
  return a.map((v, i) => Math.round((1 - t) * v + t * b[i]!));
}

describe('blend test feature', () => {
  it('is near zero inside a dissolve and large inside a pan of the same size', () => {
    const a = texture(1);
    const b = texture(5);
    const dissolve = new FeatureTrack();
    for (let i = 0; i <= 12; i++) dissolve.push(mix(a, b, i / 12), W, H);
    const pan = new FeatureTrack();
    for (let i = 0; i <= 12; i++) pan.push(texture(1, i), W, H);
    // Frame 6 is the middle of both; offset ±3 is the first pair (change, off).
    const d = dissolve.row(6);
    const p = pan.row(6);
    expect(d[OFF_BLEND]!).toBeGreaterThan(0.02);
    expect(p[OFF_BLEND]!).toBeGreaterThan(0.02);
    expect(d[OFF_BLEND + 1]!).toBeLessThan(0.01);
    expect(p[OFF_BLEND + 1]!).toBeGreaterThan(5 * d[OFF_BLEND + 1]!);
  });
});

describe('motion test feature', () => {
  it('block matching explains a pan but not a dissolve with the same change', () => {
    const a = texture(1);
    const b = texture(5);
    const dissolve = new FeatureTrack();
    for (let i = 0; i <= 6; i++) dissolve.push(mix(a, b, i / 6), W, H);
    const pan = new FeatureTrack();
    for (let i = 0; i <= 6; i++) pan.push(texture(1, 2 * i), W, H);
    // Offset 1 is the first pair (change, remainder): a 2-pixel step at 64×36 is one at 32×18.
    const d = dissolve.row(3);
    const p = pan.row(3);
    expect(d[OFF_MOTION]!).toBeGreaterThan(0.01);
    expect(p[OFF_MOTION]!).toBeGreaterThan(0.02);
    expect(d[OFF_MOTION + 1]! / d[OFF_MOTION]!).toBeGreaterThan(0.8);
    expect(p[OFF_MOTION + 1]! / p[OFF_MOTION]!).toBeLessThan(0.2);
  });

  it('is zero for the first frames, which have nothing to compare with', () => {
    const t = new FeatureTrack();
    t.push(texture(1), W, H);
    expect(t.row(0)[OFF_MOTION]).toBe(0);
    expect(t.row(0)[OFF_MOTION + 1]).toBe(0);
  });
});
