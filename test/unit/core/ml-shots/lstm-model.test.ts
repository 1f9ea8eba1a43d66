import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { averageModels, buildModel, CLASSES, decodeTransitions, DEFAULT_DECODE, LONGEST_GRADUAL, trimRun, windowStarts } from '../../../../main/core/ml/shots/lstm-model.js';
import { LSTM_FEATURES } from '../../../../main/core/ml/shots/lstm-features.js';

function probs(n: number, set: Record<number, Partial<Record<(typeof CLASSES)[number], number>>>): Float32Array {
  const p = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const s = set[i] ?? {};
    const cut = s.cut ?? 0;
    const dissolve = s.dissolve ?? 0;
    const fade = s.fade ?? 0;
    p.set([1 - cut - dissolve - fade, cut, dissolve, fade], i * 4);
  }
  return p;
}

describe('LSTM output decoding', () => {
  it('turns a cut peak into a cut between the frame and the one before', () => {
    const t = decodeTransitions(probs(100, { 40: { cut: 0.4 }, 41: { cut: 0.9 }, 42: { cut: 0.3 } }), 100);
    expect(t).toEqual([{ type: 'cut', startFrame: 40, endFrame: 41, confidence: 0.9 }]);
  });

  it('turns runs into dissolves and fades, bridging a one-frame dip, dropping blips', () => {
    const set: Record<number, { dissolve?: number; fade?: number }> = {};
    for (let i = 20; i <= 35; i++) set[i] = { dissolve: i === 27 ? 0.3 : 0.8 };
    for (let i = 60; i <= 61; i++) set[i] = { fade: 0.9 };
    for (let i = 80; i <= 90; i++) set[i] = { fade: 0.7 };
    const t = decodeTransitions(probs(120, set), 120);
    expect(t.map((x) => [x.type, x.startFrame, x.endFrame])).toEqual([
      ['dissolve', 20, 35],
      ['fade', 80, 90],
    ]);
  });

  it('covers every frame with windows, the last one aligned to the end', () => {
    expect(windowStarts(50)).toEqual([0]);
    const s = windowStarts(200);
    expect(s[0]).toBe(0);
    expect(s.at(-1)).toBe(200 - 64);
    for (let i = 1; i < s.length; i++) expect(s[i]! - s[i - 1]!).toBeLessThanOrEqual(48);
  });
});

describe('per-class decoding', () => {
  const run = (from: number, to: number, p: number) => {
    const set: Record<number, { dissolve: number }> = {};
    for (let i = from; i <= to; i++) set[i] = { dissolve: p };
    return set;
  };

  it('keeps the old behaviour with the defaults', () => {
    expect(decodeTransitions(probs(60, run(10, 20, 0.8)), 60)).toEqual(decodeTransitions(probs(60, run(10, 20, 0.8)), 60, DEFAULT_DECODE));
  });

  it('applies each class its own threshold, minimum run and minimum mean', () => {
    const lukewarm = probs(60, run(10, 30, 0.55));
    expect(decodeTransitions(lukewarm, 60)).toHaveLength(1);
    expect(decodeTransitions(lukewarm, 60, { ...DEFAULT_DECODE, dissolve: { threshold: 0.5, minRun: 4, minMean: 0.7 } })).toEqual([]);
    expect(decodeTransitions(lukewarm, 60, { ...DEFAULT_DECODE, dissolve: { threshold: 0.6, minRun: 4, minMean: 0 } })).toEqual([]);
    const short = probs(60, run(10, 12, 0.9));
    expect(decodeTransitions(short, 60)).toEqual([]);
    expect(decodeTransitions(short, 60, { ...DEFAULT_DECODE, dissolve: { threshold: 0.5, minRun: 3, minMean: 0 } })).toHaveLength(1);
    const cut = probs(60, { 30: { cut: 0.45 } });
    expect(decodeTransitions(cut, 60)).toEqual([]);
    expect(decodeTransitions(cut, 60, { ...DEFAULT_DECODE, cut: 0.4 })).toHaveLength(1);
  });

  it('trims a run longer than maxRun to its most confident part: camera motion running into a dissolve', () => {
    // 50 frames of motion at 0.8, then a 12-frame dissolve at 0.95: one 62-frame run.
    const set: Record<number, { dissolve?: number; cut?: number }> = { ...run(100, 149, 0.8), ...run(150, 161, 0.95) };
    set[120] = { cut: 0.9 };
    const t = decodeTransitions(probs(300, set), 300, { ...DEFAULT_DECODE, dissolve: { threshold: 0.5, minRun: 4, minMean: 0, maxRun: 40 } });
    // The cut inside the whole run stays covered by it, as before.
    expect(t).toEqual([{ type: 'dissolve', startFrame: 150, endFrame: 161, confidence: 0.95 }]);
    // Without maxRun the whole run is one dissolve whose centre lies in the motion.
    const whole = decodeTransitions(probs(300, set), 300, { ...DEFAULT_DECODE, dissolve: { threshold: 0.5, minRun: 4, minMean: 0 } });
    expect(whole.map((x) => [x.startFrame, x.endFrame])).toEqual([[100, 161]]);
    expect(DEFAULT_DECODE.dissolve.maxRun).toBe(LONGEST_GRADUAL);
  });

  it('leaves runs up to maxRun alone and keeps the middle of a flat long run', () => {
    expect(decodeTransitions(probs(100, run(10, 49, 0.8)), 100).map((x) => [x.startFrame, x.endFrame])).toEqual([[10, 49]]);
    const flat = probs(200, run(20, 119, 0.9));
    expect(trimRun(flat, 2, 20, 119, 4, 40)).toEqual([50, 89]);
    const t = decodeTransitions(flat, 200);
    expect(t.map((x) => [x.startFrame, x.endFrame])).toEqual([[50, 89]]);
  });
});

describe('seeded initialisation', () => {
  it('builds the same starting weights from the same seed and other ones from another', () => {
    const weights = (seed: number) => buildModel(8, seed).getWeights().map((w) => Array.from(w.dataSync()));
    const a = weights(5);
    expect(weights(5)).toEqual(a);
    expect(weights(6)).not.toEqual(a);
    tf.disposeVariables();
  });
});

describe('averaged models', () => {
  it('outputs the mean of its members\' probabilities', () => {
    const a = buildModel(8, 1);
    const b = buildModel(8, 2);
    const avg = averageModels([a, b], 8);
    const x = tf.randomNormal([2, 16, LSTM_FEATURES]);
    const want = tf.div(tf.add(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor), 2);
    const diff = tf.sub(avg.predict(x) as tf.Tensor, want).abs().max().dataSync()[0]!;
    expect(diff).toBeLessThan(1e-6);
    expect(avg.countParams()).toBe(a.countParams() + b.countParams());
    tf.disposeVariables();
  });
});
