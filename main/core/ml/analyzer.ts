// The per-frame CNN stage: rating + embedding (MobileNetV2Mid, batched) and objects (CenterNet,
// one frame at a time). Runs on whatever tfjs backend is current: call selectBackend() first.
// Every tensor is made inside tf.tidy or disposed in a finally, so memory stays flat over a
// whole library of frames.
import * as tf from '@tensorflow/tfjs';
import type { FrameAnalysis } from '../../../shared/types.js';
import { decodeDetections } from './detections.js';
import { assertFrame, frameTensor, type RgbFrame } from './frame-tensors.js';
import { CENTERNET_INPUT_SIZE, loadCenterNet, type CenterNet } from './models/centernet.js';
import { EMBEDDING_SIZE, loadNsfwMobileNet, NSFW_INPUT_SIZE, nsfwInput, type NsfwMobileNet } from './models/nsfw-mobilenet.js';
import type { CachedModel } from './model-cache.js';
import { ratingFromNsfw } from './rating.js';

/**
 * MobileNet frames per forward pass. Bigger batches amortise per-op overhead on wasm; 8 frames at
 * 224² keep the activations small while a sampled clip usually has more than 8 frames anyway.
 */
export const MAX_EMBED_BATCH = 8;

// A type alias, not an interface, so it also fits a Record<string, number> (reports, JSON).
export type AnalyzerTimings = {
  /** Mean wall time per frame spent on the MobileNet pass (resize, forward, download). */
  embedMsPerFrame: number;
  /** Mean wall time per frame spent on CenterNet (over the frames it ran on). */
  objectsMsPerFrame: number;
  /** Frames analysed so far. */
  frames: number;
  /** Frames the object detector ran on. */
  objectFrames: number;
};

export interface Analyzer {
  /** tfjs backend the models run on. */
  readonly backend: string;
  /** How the nsfwjs weights were found: decoded into the cache now, or read from it. */
  readonly nsfwCache: CachedModel;
  /** Calls run one after another (tfjs backends are not re-entrant in a useful way). */
  analyze(frames: RgbFrame[]): Promise<FrameAnalysis[]>;
  timings(): AnalyzerTimings;
  dispose(): void;
}

export interface LoadAnalyzerOptions {
  cacheDir: string;
  /** Clock for timings; injectable for tests. */
  now?: () => number;
}

/** Scales each row of a [n, d] matrix to unit length (a zero row stays zero). */
export function l2NormalizeRows(data: Float32Array, rows: number, dim: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const row = data.slice(r * dim, (r + 1) * dim);
    let sum = 0;
    for (const v of row) sum += v * v;
    const norm = Math.sqrt(sum);
    if (norm > 0) for (let i = 0; i < dim; i++) row[i] = (row[i] ?? 0) / norm;
    out.push(row);
  }
  return out;
}

async function embedBatch(mobilenet: NsfwMobileNet, frames: RgbFrame[]): Promise<Pick<FrameAnalysis, 'embedding' | 'rating'>[]> {
  const { probs, features } = tf.tidy(() => {
    const batch = tf.concat(frames.map((f) => frameTensor(f, NSFW_INPUT_SIZE))) as tf.Tensor4D;
    return mobilenet.run(nsfwInput(batch));
  });
  try {
    const [p, e] = await Promise.all([probs.data<'float32'>(), features.data<'float32'>()]);
    const embeddings = l2NormalizeRows(e, frames.length, EMBEDDING_SIZE);
    return frames.map((_, i) => ({
      embedding: embeddings[i] ?? new Float32Array(EMBEDDING_SIZE),
      rating: ratingFromNsfw(p.subarray(i * 5, (i + 1) * 5)),
    }));
  } finally {
    tf.dispose([probs, features]);
  }
}

async function detectObjects(centernet: CenterNet, frame: RgbFrame): Promise<FrameAnalysis['objects']> {
  const rows = tf.tidy(() => centernet.detect(frameTensor(frame, CENTERNET_INPUT_SIZE)));
  try {
    return decodeDetections(await rows.data(), CENTERNET_INPUT_SIZE);
  } finally {
    rows.dispose();
  }
}

export async function loadAnalyzer(opts: LoadAnalyzerOptions): Promise<Analyzer> {
  const now = opts.now ?? (() => performance.now());
  await tf.ready();
  const mobilenet = await loadNsfwMobileNet({ cacheDir: opts.cacheDir });
  let centernet: CenterNet;
  try {
    centernet = await loadCenterNet();
  } catch (error) {
    mobilenet.dispose();
    throw error;
  }
  const totals = { embedMs: 0, objectsMs: 0, frames: 0, objectFrames: 0 };
  let disposed = false;
  let queue: Promise<unknown> = Promise.resolve();

  async function run(frames: RgbFrame[]): Promise<FrameAnalysis[]> {
    if (disposed) throw new Error('analyzer was disposed');
    frames.forEach(assertFrame);
    const results: FrameAnalysis[] = [];
    for (let start = 0; start < frames.length; start += MAX_EMBED_BATCH) {
      const chunk = frames.slice(start, start + MAX_EMBED_BATCH);
      const t0 = now();
      const embedded = await embedBatch(mobilenet, chunk);
      const t1 = now();
      for (const [i, frame] of chunk.entries()) {
        const detect = frame.objects !== false;
        const objects = detect ? await detectObjects(centernet, frame) : [];
        if (detect) totals.objectFrames++;
        const head = embedded[i];
        if (!head) throw new Error('MobileNet returned fewer rows than frames');
        results.push({ time: frame.time, embedding: head.embedding, rating: head.rating, objects });
      }
      totals.embedMs += t1 - t0;
      totals.objectsMs += now() - t1;
      totals.frames += chunk.length;
    }
    return results;
  }

  return {
    backend: tf.getBackend(),
    nsfwCache: mobilenet.cache,
    analyze(frames) {
      const result = queue.then(() => run(frames));
      queue = result.catch(() => undefined);
      return result;
    },
    timings: () => ({
      embedMsPerFrame: totals.frames ? totals.embedMs / totals.frames : 0,
      objectsMsPerFrame: totals.objectFrames ? totals.objectsMs / totals.objectFrames : 0,
      frames: totals.frames,
      objectFrames: totals.objectFrames,
    }),
    dispose() {
      if (disposed) return;
      disposed = true;
      mobilenet.dispose();
      centernet.dispose();
    },
  };
}
