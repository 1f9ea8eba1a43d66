// The CNN stage on real photos, in process, on the backend selectBackend picks (wasm here).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrameAnalysis } from '../../../shared/types.js';
import { photos } from '../../fixtures/debian.js';
import { loadAnalyzer, type Analyzer } from '../../../main/core/ml/analyzer.js';
import { selectBackend } from '../../../main/core/ml/backend.js';
import { dominantRating } from '../../../main/core/ml/rating.js';
import { testCacheDir } from './dist-check.js';
import { cosine, photoFrame } from './photo-frames.js';

let analyzer: Analyzer;
let dog: FrameAnalysis;
let person: FrameAnalysis;
let eagle: FrameAnalysis;

beforeAll(async () => {
  await selectBackend();
  analyzer = await loadAnalyzer({ cacheDir: testCacheDir });
  [dog, person, eagle] = (await analyzer.analyze([
    photoFrame(photos.dog(), { time: 0 }),
    photoFrame(photos.person(), { time: 1 }),
    photoFrame(photos.eagle(), { time: 2.5 }),
  ])) as [FrameAnalysis, FrameAnalysis, FrameAnalysis];
});
afterAll(() => analyzer?.dispose());

const labels = (a: FrameAnalysis): string[] => a.objects.map((o) => o.label);

describe('analyzer on real photos', () => {
  it('keeps frame times and order', () => {
    expect([dog.time, person.time, eagle.time]).toEqual([0, 1, 2.5]);
  });

  it('CenterNet finds the dog, the person and the bird', () => {
    expect(labels(dog)).toContain('dog');
    expect(labels(person)).toContain('person');
    expect(labels(eagle)).toContain('bird');
    // dog.jpg: the dog sits bottom left, below the bicycle.
    const box = dog.objects.find((o) => o.label === 'dog')?.box ?? [1, 1, 1, 1];
    expect(box[0]).toBeLessThan(0.3);
    expect(box[3]).toBeGreaterThan(0.8);
    for (const o of [...dog.objects, ...person.objects, ...eagle.objects]) {
      expect(o.score).toBeGreaterThanOrEqual(0.3);
      expect(o.box.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(o.box[2]).toBeGreaterThan(o.box[0]);
      expect(o.box[3]).toBeGreaterThan(o.box[1]);
    }
  });

  it('ratings sum to 1; the dog and the person photos are neutral', () => {
    for (const a of [dog, person, eagle]) {
      expect(Object.values(a.rating).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4);
      expect(a.rating.explicit).toBeLessThan(0.1);
    }
    expect(dominantRating(dog.rating)).toBe('neutral');
    expect(dominantRating(person.rating)).toBe('neutral');
    // eagle.jpg comes out 'drawing'-dominant (≈0.74): the head is a weak signal off people.
  });

  it('embeddings are 1792-d unit vectors: same photo ~identical, dog and eagle apart', async () => {
    for (const a of [dog, person, eagle]) {
      expect(a.embedding).toHaveLength(1792);
      expect(cosine(a.embedding, a.embedding)).toBeCloseTo(1, 5);
      expect(Math.hypot(...a.embedding)).toBeCloseTo(1, 4);
    }
    const [alone, otherScaler] = await analyzer.analyze([
      photoFrame(photos.dog()),
      photoFrame(photos.dog(), { filter: 'scale=512:512:flags=bilinear' }),
    ]);
    if (!alone || !otherScaler) throw new Error('missing results');
    expect(cosine(alone.embedding, dog.embedding)).toBeGreaterThan(0.999); // other batch, same pixels
    expect(cosine(otherScaler.embedding, dog.embedding)).toBeGreaterThan(0.99); // resampled differently
    expect(cosine(dog.embedding, eagle.embedding)).toBeLessThan(0.8);
  });

  it('takes frames of other sizes (resized inside) with the same findings', async () => {
    const [wide] = await analyzer.analyze([photoFrame(photos.dog(), { width: 640, height: 360 })]);
    expect(labels(wide as FrameAnalysis)).toContain('dog');
    expect(cosine((wide as FrameAnalysis).embedding, dog.embedding)).toBeGreaterThan(0.9);
  });

  it('memory stays flat over 20 frames (batches of 8, 8 and 4)', async () => {
    const frame = photoFrame(photos.person());
    await analyzer.analyze([frame]);
    const before = tf.memory();
    const frames = Array.from({ length: 20 }, (_, i) => ({ ...frame, time: i }));
    const framesBefore = analyzer.timings().frames;
    const results = await analyzer.analyze(frames);
    expect(results).toHaveLength(20);
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    const timings = analyzer.timings();
    expect(timings.frames).toBe(framesBefore + 20);
    expect(timings.embedMsPerFrame).toBeGreaterThan(0);
    expect(timings.objectsMsPerFrame).toBeGreaterThan(0);
  });

  it('rejects a bad frame with a message naming it, and keeps working', async () => {
    await expect(analyzer.analyze([{ rgb: new Uint8Array(10), width: 512, height: 512, time: 0 }])).rejects.toThrow(/frame 0: rgb holds 10 bytes/);
    await expect(analyzer.analyze([])).resolves.toEqual([]);
  });
});
