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
}

/** Decoding settings; the shipped ones are tuned per class and stored next to the weights (decode.json). */
export interface DecodeParams {
  /** A cut is a local maximum of the cut probability at or above this. */
  cut: number;
  dissolve: GradualDecode;
  fade: GradualDecode;
}

export const DEFAULT_DECODE: DecodeParams = {
  cut: 0.5,
  dissolve: { threshold: 0.5, minRun: 4, minMean: 0 },
  fade: { threshold: 0.5, minRun: 4, minMean: 0 },
};

export function buildModel(units = 48): tf.LayersModel {
  const input = tf.input({ shape: [null, LSTM_FEATURES] });
  const dense = tf.layers.dense({ units: 24, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const lstm = tf.layers
    .bidirectional({ layer: tf.layers.lstm({ units, returnSequences: true }) as tf.RNN, mergeMode: 'concat' })
    .apply(dense) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: CLASSES.length, activation: 'softmax' }).apply(lstm) as tf.SymbolicTensor;
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
 * minRun frames long and with a mean probability of at least minMean.
 */
export function decodeTransitions(probs: Float32Array, n: number, params: DecodeParams = DEFAULT_DECODE): Transition[] {
  const p = (i: number, c: number) => probs[i * CLASSES.length + c]!;
  const out: Transition[] = [];
  for (const [c, type] of [[2, 'dissolve'], [3, 'fade']] as [number, 'dissolve' | 'fade'][]) {
    const { threshold, minRun, minMean } = params[type];
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
      if (end - i + 1 >= minRun && mean >= minMean) out.push({ type, startFrame: i, endFrame: end, confidence: round3(mean) });
      i = end + 1;
    }
  }
  const gradual = [...out];
  for (let i = 1; i < n; i++) {
    const q = p(i, 1);
    if (q < params.cut) continue;
    if ((i > 1 && p(i - 1, 1) > q) || (i + 1 < n && p(i + 1, 1) >= q)) continue;
    // A gradual transition already covers this change.
    if (gradual.some((g) => i >= g.startFrame - 1 && i <= g.endFrame + 1)) continue;
    out.push({ type: 'cut', startFrame: i - 1, endFrame: i, confidence: round3(q) });
  }
  return out.sort((a, b) => a.startFrame - b.startFrame);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
