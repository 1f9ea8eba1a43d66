// Training a custom tag's head on the user's examples, and measuring it by cross-validation.
// A plain loop over tf's optimizer (not model.fit) so that examples carry weights, the loop can be
// cancelled between batches, and every step is seeded: the same examples give the same model.
import * as tf from '@tensorflow/tfjs';
import { qualityAt } from '../../../../shared/tag-quality.js';
import { createRng, shuffle } from '../../random.js';
import { buildHead, HEAD_STEPS, scoreHead } from './head.js';

export interface Example {
  clipId: number;
  /** HEAD_STEPS × dim, flattened (see toSteps). */
  x: Float32Array;
  /** 'positive': the user's yes; 'negative': the user's "not this"; 'background': an untagged clip unlike the positives. */
  role: 'positive' | 'negative' | 'background';
}

export interface TrainSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Most folds of the cross-validation (fewer when there are fewer positives). */
  folds: number;
  /** A background example counts this much of an explicit negative. */
  backgroundWeight: number;
}

export const DEFAULT_SETTINGS: TrainSettings = { epochs: 40, batchSize: 32, learningRate: 3e-3, seed: 7, folds: 5, backgroundWeight: 0.5 };

export interface TrainHooks {
  signal?: AbortSignal;
  /** After each epoch of this fit. */
  onEpoch?: (epoch: number, epochs: number) => void;
}

/** Out-of-fold score of one example: what a model that never saw it says. */
export interface HeldOut {
  score: number;
  label: 0 | 1;
  role: Example['role'];
}

/** Per-example weights: explicit negatives 1, background less; then positives and negatives weigh the same in total. */
export function exampleWeights(examples: readonly Example[], settings: Pick<TrainSettings, 'backgroundWeight'>): Float32Array {
  const raw = examples.map((e) => (e.role === 'background' ? settings.backgroundWeight : 1));
  const pos = raw.reduce((s, w, i) => s + (examples[i]!.role === 'positive' ? w : 0), 0);
  const neg = raw.reduce((s, w, i) => s + (examples[i]!.role === 'positive' ? 0 : w), 0);
  const total = pos + neg;
  return Float32Array.from(raw, (w, i) => {
    const side = examples[i]!.role === 'positive' ? pos : neg;
    return side > 0 ? (w * total) / (2 * side) : w;
  });
}

/** Trains a fresh head on all of `examples`. */
export async function fitHead(examples: readonly Example[], dim: number, settings: TrainSettings, hooks: TrainHooks = {}): Promise<tf.LayersModel> {
  if (!examples.some((e) => e.role === 'positive') || examples.every((e) => e.role === 'positive')) {
    throw new Error('training needs positive and negative examples');
  }
  const model = buildHead(dim, settings.seed);
  const optimizer = tf.train.adam(settings.learningRate);
  const weights = exampleWeights(examples, settings);
  const random = createRng(settings.seed);
  const order = examples.map((_e, i) => i);
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      shuffle(order, random);
      for (let b = 0; b < order.length; b += settings.batchSize) {
        hooks.signal?.throwIfAborted();
        const idx = order.slice(b, b + settings.batchSize);
        const flat = new Float32Array(idx.length * HEAD_STEPS * dim);
        idx.forEach((k, i) => flat.set(examples[k]!.x, i * HEAD_STEPS * dim));
        const y = Float32Array.from(idx, (k) => (examples[k]!.role === 'positive' ? 1 : 0));
        const w = Float32Array.from(idx, (k) => weights[k]!);
        tf.tidy(() => {
          const xs = tf.tensor3d(flat, [idx.length, HEAD_STEPS, dim]);
          const ys = tf.tensor2d(y, [idx.length, 1]);
          const ws = tf.tensor2d(w, [idx.length, 1]);
          optimizer.minimize(() => {
            const p = (model.apply(xs, { training: true }) as tf.Tensor).clipByValue(1e-6, 1 - 1e-6);
            const bce = tf.neg(tf.add(tf.mul(ys, tf.log(p)), tf.mul(tf.sub(1, ys), tf.log(tf.sub(1, p)))));
            const reg = model.losses.length > 0 ? tf.addN(model.losses.map((l) => (typeof l === 'function' ? l() : l) as tf.Scalar)) : tf.scalar(0);
            return tf.add(tf.div(tf.sum(tf.mul(bce, ws)), tf.sum(ws)), reg) as tf.Scalar;
          });
        });
      }
      hooks.onEpoch?.(epoch + 1, settings.epochs);
      // Lets a cancel message (and progress posts) through between epochs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
  return model;
}

/**
 * Stratified k-fold cross-validation: each example is scored by a head trained without its fold.
 * k = min(settings.folds, positives, negatives + background); fewer than 2 positives → no folds.
 */
export async function crossValidate(
  examples: readonly Example[],
  dim: number,
  settings: TrainSettings,
  hooks: TrainHooks & { onFold?: (fold: number, folds: number) => void } = {},
): Promise<{ folds: number; heldOut: HeldOut[] }> {
  const positives = examples.filter((e) => e.role === 'positive').length;
  const folds = Math.min(settings.folds, positives, examples.length - positives);
  if (folds < 2) return { folds: 0, heldOut: [] };
  // Round-robin within each role (in a seeded order), so every fold gets its share of each.
  const foldOf = new Int32Array(examples.length);
  const random = createRng(settings.seed ^ 0x9e3779b9);
  for (const role of ['positive', 'negative', 'background'] as const) {
    const idx = examples.flatMap((e, i) => (e.role === role ? [i] : []));
    shuffle(idx, random);
    idx.forEach((k, j) => (foldOf[k] = j % folds));
  }
  const heldOut: HeldOut[] = new Array<HeldOut>(examples.length);
  for (let f = 0; f < folds; f++) {
    const train = examples.filter((_e, i) => foldOf[i] !== f);
    const test = examples.flatMap((e, i) => (foldOf[i] === f ? [{ e, i }] : []));
    const model = await fitHead(train, dim, { ...settings, seed: settings.seed + 101 * (f + 1) }, { signal: hooks.signal, onEpoch: hooks.onEpoch });
    try {
      const scores = scoreHead(model, test.map((t) => t.e.x), dim);
      test.forEach((t, j) => (heldOut[t.i] = { score: scores[j]!, label: t.e.role === 'positive' ? 1 : 0, role: t.e.role }));
    } finally {
      model.dispose();
    }
    hooks.onFold?.(f + 1, folds);
  }
  return { folds, heldOut };
}

/**
 * The threshold with the best held-out F1, kept within [0.2, 0.8] (a few examples must not push
 * it to an extreme); ties go to the one nearest 0.5. 0.5 when there is nothing held out.
 */
export function bestThreshold(heldOut: readonly HeldOut[]): number {
  if (heldOut.length === 0) return 0.5;
  let best = { t: 0.5, f1: -1 };
  for (let t = 0.2; t <= 0.8 + 1e-9; t += 0.05) {
    const f1 = qualityAt(heldOut.map((h) => [h.score, h.label] as const), t, 0).f1;
    if (f1 > best.f1 + 1e-9 || (Math.abs(f1 - best.f1) <= 1e-9 && Math.abs(t - 0.5) < Math.abs(best.t - 0.5))) best = { t, f1 };
  }
  return round3(best.t);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
