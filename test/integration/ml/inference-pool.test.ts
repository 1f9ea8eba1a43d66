// The pool with real workers (compiled worker entry in dist/) must give what the in-process
// analyzer gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameAnalysis } from '../../../shared/types.js';
import { photos } from '../../fixtures/debian.js';
import { loadAnalyzer } from '../../../main/core/ml/analyzer.js';
import { selectBackend } from '../../../main/core/ml/backend.js';
import type { RgbFrame } from '../../../main/core/ml/frame-tensors.js';
import { createInferencePool, type InferencePool } from '../../../main/core/ml/inference-pool.js';
import { distUrl, testCacheDir } from './dist-check.js';
import { cloneFrame, photoFrame } from './photo-frames.js';

let frames: RgbFrame[];
let expected: FrameAnalysis[];
let workerUrl: URL;
const pools: InferencePool[] = [];

beforeAll(async () => {
  workerUrl = distUrl('inference-worker');
  frames = [photos.dog(), photos.person(), photos.eagle()].map((file, i) => photoFrame(file, { time: i }));
  await selectBackend();
  const analyzer = await loadAnalyzer({ cacheDir: testCacheDir });
  expected = await analyzer.analyze(frames);
  analyzer.dispose();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

function expectSame(actual: FrameAnalysis[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i] as FrameAnalysis;
    expect(a.time).toBe(e.time);
    expect(a.embedding).toBeInstanceOf(Float32Array);
    const diff = a.embedding.reduce((m, v, j) => Math.max(m, Math.abs(v - (e.embedding[j] ?? 0))), 0);
    expect(diff).toBeLessThan(1e-5);
    for (const k of Object.keys(e.rating) as (keyof typeof e.rating)[]) expect(a.rating[k]).toBeCloseTo(e.rating[k], 5);
    expect(a.objects.map((o) => o.label)).toEqual(e.objects.map((o) => o.label));
    a.objects.forEach((o, j) => expect(o.score).toBeCloseTo(e.objects[j]?.score ?? -1, 5));
  });
}

describe('inference pool', () => {
  it('one worker gives the in-process results and reports its backend', async () => {
    const pool = await createInferencePool({ cacheDir: testCacheDir, workerUrl });
    pools.push(pool);
    expect(pool.backend.name).toBe('wasm');
    const sent = frames.map(cloneFrame);
    expectSame(await pool.analyze(sent));
    expect(sent[0]?.rgb.length).toBe(0); // the buffer moved to the worker
    expect(pool.timings().frames).toBe(3);
  });

  it('two workers share concurrent calls and give the same results', async () => {
    const pool = await createInferencePool({ cacheDir: testCacheDir, workerUrl, workers: 2 });
    pools.push(pool);
    const [a, b] = await Promise.all([pool.analyze(frames.map(cloneFrame)), pool.analyze(frames.map(cloneFrame))]);
    expectSame(a ?? []);
    expectSame(b ?? []);
    expect(pool.timings().frames).toBe(6);
  });
});
