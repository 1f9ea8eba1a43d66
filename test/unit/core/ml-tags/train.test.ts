// The custom-tag head and its training, on small synthetic data (tiny dimension, cpu backend):
// what it learns, how it is measured, and that it can be stored and loaded bit for bit.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { cosine, likeness, pickBackground, reliableCutoff } from '../../../../main/core/ml/tags/examples.js';
import { headArtifacts, HEAD_STEPS, loadHead, scoreHead, toSteps } from '../../../../main/core/ml/tags/head.js';
import { bestThreshold, crossValidate, DEFAULT_SETTINGS, exampleWeights, fitHead, type Example } from '../../../../main/core/ml/tags/train.js';
import { createRng } from '../../../../main/core/random.js';

const DIM = 12;
const rng = createRng(42);
/** A unit vector near `center` (noise σ). */
function near(center: number[], noise = 0.15): Float32Array {
  const v = Float32Array.from(center, (c) => c + (rng() - 0.5) * 2 * noise);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}
const A = Array.from({ length: DIM }, (_v, i) => (i < 4 ? 1 : 0));
const B = Array.from({ length: DIM }, (_v, i) => (i >= 4 && i < 8 ? 1 : 0));
const C = Array.from({ length: DIM }, (_v, i) => (i >= 8 ? 1 : 0));
const seq = (center: number[], steps = 3) => Array.from({ length: steps }, () => near(center));
const example = (clipId: number, role: Example['role'], center: number[]): Example => ({ clipId, role, x: toSteps(seq(center), DIM) });

describe('toSteps', () => {
  it('resamples any number of steps to HEAD_STEPS, in order', () => {
    const steps = [0, 1, 2].map((k) => new Float32Array(DIM).fill(k));
    const x = toSteps(steps, DIM);
    expect(x.length).toBe(HEAD_STEPS * DIM);
    const firsts = Array.from({ length: HEAD_STEPS }, (_v, t) => x[t * DIM]);
    expect(firsts).toEqual([...firsts].sort()); // never goes back in time
    expect(new Set(firsts)).toEqual(new Set([0, 1, 2]));
    expect(() => toSteps([], DIM)).toThrow(/at least one step/);
  });
});

describe('background negatives', () => {
  it('are the unlabelled clips less like the positives than the positives are like each other', () => {
    const positives = [near(A), near(A), near(A), near(A), near(A)];
    const candidates = [
      // More of the tag, unlabelled: as close to some positive as the positives are to each other.
      ...Array.from({ length: 6 }, (_v, i) => ({ clipId: 100 + i, mean: near(Array.from(positives[i % 5]!), 0.02) })),
      ...Array.from({ length: 6 }, (_v, i) => ({ clipId: 200 + i, mean: near(B) })),
      ...Array.from({ length: 6 }, (_v, i) => ({ clipId: 300 + i, mean: near(C) })),
    ];
    const cutoff = reliableCutoff(positives);
    expect(cutoff).toBeGreaterThan(0.8);
    expect(likeness(candidates[0]!.mean, positives)).toBeGreaterThan(cutoff);
    const picked = pickBackground(positives, candidates, 100, 1);
    expect(picked.clipIds.every((id) => id >= 200)).toBe(true);
    expect(picked.clipIds).toHaveLength(12);
    expect(pickBackground(positives, candidates, 5, 1).clipIds).toHaveLength(5);
    expect(pickBackground(positives, candidates, 5, 1)).toEqual(pickBackground(positives, candidates, 5, 1)); // seeded
    expect(cosine(new Float32Array(3), new Float32Array([1, 0, 0]))).toBe(0);
  });

  it('one odd example (a clip that opens on black) does not make every clip look like the tag', () => {
    const positives = [near(A), near(A), near(A), near(A), near(C, 0)];
    const cutoff = reliableCutoff(positives);
    expect(cutoff).toBeCloseTo(reliableCutoff(positives.slice(0, 4)), 1);
    const candidates = Array.from({ length: 6 }, (_v, i) => ({ clipId: 200 + i, mean: near(B) }));
    expect(pickBackground(positives, candidates, 100, 1).clipIds).toHaveLength(6);
  });
});

describe('training', () => {
  it('weighs positives and negatives equally in total, background less than explicit negatives', () => {
    const ex = [example(1, 'positive', A), example(2, 'negative', B), example(3, 'background', C), example(4, 'background', C)];
    const w = exampleWeights(ex, { backgroundWeight: 0.5 });
    expect(w[0]).toBeCloseTo(w[1]! + w[2]! + w[3]!, 5);
    expect(w[2]).toBeCloseTo(w[1]! / 2, 5);
  });

  it('learns a tag from 6 examples, cross-validates it, and scores the same after a store and load', async () => {
    await tf.setBackend('cpu');
    const examples = [
      ...Array.from({ length: 6 }, (_v, i) => example(i, 'positive', A)),
      ...Array.from({ length: 8 }, (_v, i) => example(10 + i, 'background', i % 2 ? B : C)),
      example(30, 'negative', B),
    ];
    const settings = { ...DEFAULT_SETTINGS, epochs: 30, folds: 3 };
    const cv = await crossValidate(examples, DIM, settings);
    expect(cv.folds).toBe(3);
    expect(cv.heldOut).toHaveLength(examples.length);
    const t = bestThreshold(cv.heldOut);
    expect(t).toBeGreaterThanOrEqual(0.2);
    expect(t).toBeLessThanOrEqual(0.8);

    const model = await fitHead(examples, DIM, settings);
    const fresh = [toSteps(seq(A), DIM), toSteps(seq(B), DIM), toSteps(seq(C), DIM)];
    const scores = scoreHead(model, fresh, DIM);
    expect(scores[0]).toBeGreaterThan(0.7);
    expect(scores[1]).toBeLessThan(0.3);
    expect(scores[2]).toBeLessThan(0.3);

    const stored = await headArtifacts(model);
    expect(JSON.parse(stored.modelJson)).toHaveProperty('weightSpecs');
    const loaded = await loadHead(stored.modelJson, stored.weights);
    expect(Array.from(scoreHead(loaded, fresh, DIM))).toEqual(Array.from(scores));
    // Same examples, same seed: the same model.
    const again = await fitHead(examples, DIM, settings);
    expect(Array.from(scoreHead(again, fresh, DIM))).toEqual(Array.from(scores));
    for (const m of [model, loaded, again]) m.dispose();
  }, 60_000);

  it('stops at the next batch when cancelled, and refuses one-sided data', async () => {
    await tf.setBackend('cpu');
    const examples = [example(1, 'positive', A), example(2, 'background', B)];
    const abort = new AbortController();
    abort.abort(new Error('cancelled by the user'));
    await expect(fitHead(examples, DIM, DEFAULT_SETTINGS, { signal: abort.signal })).rejects.toThrow(/cancelled by the user/);
    await expect(fitHead([examples[0]!], DIM, DEFAULT_SETTINGS)).rejects.toThrow(/positive and negative/);
    expect(bestThreshold([])).toBe(0.5);
  });
});
