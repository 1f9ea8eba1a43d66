// The shot tagger: a bidirectional LSTM over windows of per-frame features that labels each
// frame none / cut / dissolve / fade, and the decoding of those labels into transitions.
import * as tf from '@tensorflow/tfjs';
import type { Transition } from '../../../../shared/types.js';
import { LSTM_FEATURES } from './lstm-features.js';

export const CLASSES = ['none', 'cut', 'dissolve', 'fade'] as const;
export const WINDOW = 64;
/** Windows overlap by WINDOW − STRIDE frames; each frame is read from where it sits most central. */
export const STRIDE = 48;
/** A gradual transition may dip below its threshold for this many frames and go on. */
const MAX_GAP = 4;

/** How one gradual class's per-frame probabilities become runs. */
export interface GradualDecode {
  /** A frame belongs to a run when the class probability reaches this. */
  threshold: number;
  /** Shorter runs are noise. */
  minRun: number;
  /** The run's mean probability must reach this (a long, lukewarm run is a pan, not a dissolve). */
  minMean: number;
  /**
   * A longer run is more than one transition (camera motion running into a dissolve): it is
   * trimmed to its most confident part of at most this many frames (trimRun). Absent: no limit.
   */
  maxRun?: number;
}

/** The recipe's longest dissolve and fade (frames): no true gradual transition is longer. */
export const LONGEST_GRADUAL = 40;

/** Decoding settings; the shipped ones are tuned per class and stored next to the weights (decode.json). */
export interface DecodeParams {
  /** A cut is a local maximum of the cut probability at or above this. */
  cut: number;
  dissolve: GradualDecode;
  fade: GradualDecode;
}

export const DEFAULT_DECODE: DecodeParams = {
  cut: 0.5,
  dissolve: { threshold: 0.5, minRun: 4, minMean: 0, maxRun: LONGEST_GRADUAL },
  fade: { threshold: 0.5, minRun: 4, minMean: 0, maxRun: LONGEST_GRADUAL },
};

/**
 * The network. With a seed every initialiser is seeded (the same seed, the same starting
 * weights); without one tfjs draws them from Math.random.
 */
export function buildModel(units = 48, seed?: number): tf.LayersModel {
  const glorot = (k: number) => (seed === undefined ? 'glorotUniform' : tf.initializers.glorotUniform({ seed: seed * 10 + k }));
  const orthogonal = (k: number) => (seed === undefined ? 'orthogonal' : tf.initializers.orthogonal({ gain: 1, seed: seed * 10 + k }));
  const input = tf.input({ shape: [null, LSTM_FEATURES] });
  const dense = tf.layers.dense({ units: 24, activation: 'relu', kernelInitializer: glorot(1) }).apply(input) as tf.SymbolicTensor;
  const lstm = tf.layers
    .bidirectional({
      layer: tf.layers.lstm({ units, returnSequences: true, kernelInitializer: glorot(2), recurrentInitializer: orthogonal(3) }) as tf.RNN,
      mergeMode: 'concat',
    })
    .apply(dense) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: CLASSES.length, activation: 'softmax', kernelInitializer: glorot(4) }).apply(lstm) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/**
 * One model whose output is the mean of the members' per-frame probabilities (same input, same
 * window handling, one model.json). The members are copied into fresh, uniquely named layers.
 */
export function averageModels(members: tf.LayersModel[], units = 48): tf.LayersModel {
  const input = tf.input({ shape: [null, LSTM_FEATURES] });
  const outputs = members.map((m, k) => {
    const copy = buildModel(units, k + 1);
    copy.setWeights(m.getWeights());
    return copy.apply(input) as tf.SymbolicTensor;
  });
  const out = outputs.length === 1 ? outputs[0]! : (tf.layers.average().apply(outputs) as tf.SymbolicTensor);
  return tf.model({ inputs: input, outputs: out });
}

/** Start frames of the windows covering n frames (the last one aligned to the end). */
export function windowStarts(n: number, window = WINDOW, stride = STRIDE): number[] {
  if (n <= window) return [0];
  const starts: number[] = [];
  for (let s = 0; s + window < n; s += stride) starts.push(s);
  starts.push(n - window);
  return starts;
}

/** Per-frame class probabilities [n × 4] for a whole video, batched over its windows. */
export function predictFrames(model: tf.LayersModel, features: Float32Array, n: number): Float32Array {
  const probs = new Float32Array(n * CLASSES.length);
  if (n === 0) return probs;
  const len = Math.min(WINDOW, n);
  const starts = windowStarts(n);
  const batch = new Float32Array(starts.length * len * LSTM_FEATURES);
  for (const [b, s] of starts.entries()) batch.set(features.subarray(s * LSTM_FEATURES, (s + len) * LSTM_FEATURES), b * len * LSTM_FEATURES);
  const out = tf.tidy(() => (model.predict(tf.tensor3d(batch, [starts.length, len, LSTM_FEATURES])) as tf.Tensor).dataSync() as Float32Array);
  // Weight each window's opinion by how far the frame is from the window's edges.
  const weight = new Float32Array(n);
  for (const [b, s] of starts.entries()) {
    for (let t = 0; t < len; t++) {
      const w = Math.min(t + 1, len - t);
      const i = s + t;
      weight[i]! += w;
      for (let c = 0; c < CLASSES.length; c++) probs[i * CLASSES.length + c]! += w * out[(b * len + t) * CLASSES.length + c]!;
    }
  }
  for (let i = 0; i < n; i++) for (let c = 0; c < CLASSES.length; c++) probs[i * CLASSES.length + c]! /= weight[i]!;
  return probs;
}

/**
 * Per-frame probabilities → transitions. A cut is a frame whose cut probability is a local
 * maximum at or above its threshold (the first frame of the new shot). A dissolve or fade is a run
 * of frames at or above that class's threshold (bridging dips of up to MAX_GAP frames), at least
 * minRun frames long and with a mean probability of at least minMean; a run longer than maxRun
 * is reported as its most confident part (trimRun). Cuts inside a whole run are not reported.
 */
export function decodeTransitions(probs: Float32Array, n: number, params: DecodeParams = DEFAULT_DECODE): Transition[] {
  const p = (i: number, c: number) => probs[i * CLASSES.length + c]!;
  const out: Transition[] = [];
  const covered: [number, number][] = [];
  for (const [c, type] of [[2, 'dissolve'], [3, 'fade']] as [number, 'dissolve' | 'fade'][]) {
    const { threshold, minRun, minMean, maxRun } = params[type];
    let i = 0;
    while (i < n) {
      if (!(p(i, c) >= threshold)) {
        i++;
        continue;
      }
      let end = i;
      let gap = 0;
      for (let k = i; k < n; k++) {
        if (p(k, c) >= threshold) {
          end = k;
          gap = 0;
        } else if (++gap > MAX_GAP) break;
      }
      let sum = 0;
      for (let j = i; j <= end; j++) sum += p(j, c);
      const mean = sum / (end - i + 1);
      if (end - i + 1 >= minRun && mean >= minMean) {
        covered.push([i, end]);
        const [a, b] = maxRun !== undefined && end - i + 1 > maxRun ? trimRun(probs, c, i, end, Math.min(minRun, maxRun), maxRun) : [i, end];
        let part = 0;
        for (let j = a; j <= b; j++) part += p(j, c);
        out.push({ type, startFrame: a, endFrame: b, confidence: round3(part / (b - a + 1)) });
      }
      i = end + 1;
    }
  }
  for (let i = 1; i < n; i++) {
    const q = p(i, 1);
    if (q < params.cut) continue;
    if ((i > 1 && p(i - 1, 1) > q) || (i + 1 < n && p(i + 1, 1) >= q)) continue;
    // A gradual transition already covers this change.
    if (covered.some(([a, b]) => i >= a - 1 && i <= b + 1)) continue;
    out.push({ type: 'cut', startFrame: i - 1, endFrame: i, confidence: round3(q) });
  }
  return out.sort((a, b) => a.startFrame - b.startFrame);
}

/**
 * The part of the run [start, end] of class c, minLen…maxLen frames long, that stands highest
 * above the run's own mean: the largest sum of (p − mean) over its frames (ties: the shorter, then
 * the earlier). Camera motion that runs into a dissolve scores a little lower than the dissolve,
 * so the part is the dissolve. A flat run keeps its middle maxLen frames.
 */
export function trimRun(probs: Float32Array, c: number, start: number, end: number, minLen: number, maxLen: number): [number, number] {
  const len = end - start + 1;
  const prefix = new Float64Array(len + 1);
  for (let j = 0; j < len; j++) prefix[j + 1] = prefix[j]! + probs[(start + j) * CLASSES.length + c]!;
  const mean = prefix[len]! / len;
  let best: [number, number] | undefined;
  let bestSum = 1e-6;
  for (let l = minLen; l <= maxLen; l++) {
    for (let a = 0; a + l <= len; a++) {
      const sum = prefix[a + l]! - prefix[a]! - l * mean;
      if (sum > bestSum + 1e-9) {
        bestSum = sum;
        best = [start + a, start + a + l - 1];
      }
    }
  }
  if (best) return best;
  const a = start + Math.floor((len - maxLen) / 2);
  return [a, a + maxLen - 1];
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
