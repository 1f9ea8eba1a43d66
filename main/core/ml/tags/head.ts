// A custom tag's model: a small LSTM head over a clip's sequence of CNN embeddings.
//
//   [HEAD_STEPS × 1792] → dropout → dense 32 (relu, per step) → LSTM 16 → dense 1 (sigmoid)
//
// The dense layer shrinks each 1792-d embedding before the LSTM: the user gives 5 to 50 examples,
// so the head must be small (60 529 weights, 242 KB) and heavily regularised; the LSTM then sees
// how the clip develops (a title card that fades in, a goal that ends in a crowd) rather than only
// its average. Clips are resampled to a fixed HEAD_STEPS so batches need no masking.
import * as tf from '@tensorflow/tfjs';
import { copyBytes, ownArrayBuffer } from '../file-io-handler.js';

export const HEAD_STEPS = 8;
const DENSE_UNITS = 32;
const LSTM_UNITS = 16;
const DROPOUT = 0.3;
const L2 = 1e-3;

/** HEAD_STEPS steps of a clip (nearest sample at evenly spaced positions), flattened. */
export function toSteps(steps: readonly Float32Array[], dim: number): Float32Array {
  if (steps.length === 0) throw new Error('a clip sequence needs at least one step');
  const out = new Float32Array(HEAD_STEPS * dim);
  for (let t = 0; t < HEAD_STEPS; t++) {
    const src = steps[Math.min(steps.length - 1, Math.floor(((t + 0.5) * steps.length) / HEAD_STEPS))]!;
    if (src.length !== dim) throw new Error(`sequence step has ${src.length} values, not ${dim}`);
    out.set(src, t * dim);
  }
  return out;
}

export function buildHead(dim: number, seed: number): tf.LayersModel {
  const input = tf.input({ shape: [HEAD_STEPS, dim] });
  const dropped = tf.layers.dropout({ rate: DROPOUT, seed }).apply(input) as tf.SymbolicTensor;
  const dense = tf.layers
    .dense({
      units: DENSE_UNITS,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      kernelRegularizer: tf.regularizers.l2({ l2: L2 }),
    })
    .apply(dropped) as tf.SymbolicTensor;
  const lstm = tf.layers
    .lstm({
      units: LSTM_UNITS,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      recurrentInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
    })
    .apply(dense) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }) })
    .apply(lstm) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Scores (0..1) of clips given as flattened HEAD_STEPS × dim arrays, in batches. */
export function scoreHead(model: tf.LayersModel, inputs: readonly Float32Array[], dim: number, batch = 256): Float32Array {
  const out = new Float32Array(inputs.length);
  for (let b = 0; b < inputs.length; b += batch) {
    const part = inputs.slice(b, b + batch);
    const flat = new Float32Array(part.length * HEAD_STEPS * dim);
    part.forEach((x, i) => flat.set(x, i * HEAD_STEPS * dim));
    const scores = tf.tidy(() => (model.predict(tf.tensor3d(flat, [part.length, HEAD_STEPS, dim])) as tf.Tensor).dataSync());
    out.set(scores, b);
  }
  return out;
}

/** The head as what the library stores: topology + weight specs (JSON) and the weight bytes. */
export async function headArtifacts(model: tf.LayersModel): Promise<{ modelJson: string; weights: Buffer }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved?.weightData || !saved.weightSpecs) throw new Error('tfjs saved no weights for the tag model');
  const data = saved.weightData;
  const bytes = Array.isArray(data) ? Buffer.concat(data.map((d) => Buffer.from(d))) : Buffer.from(data);
  return { modelJson: JSON.stringify({ modelTopology: saved.modelTopology, weightSpecs: saved.weightSpecs }), weights: bytes };
}

export async function loadHead(modelJson: string, weights: Uint8Array): Promise<tf.LayersModel> {
  const parsed = JSON.parse(modelJson) as { modelTopology: tf.io.ModelArtifacts['modelTopology']; weightSpecs: tf.io.WeightsManifestEntry[] };
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: parsed.modelTopology,
      weightSpecs: parsed.weightSpecs,
      weightData: ownArrayBuffer(copyBytes(weights)),
    }),
  );
}
