// The shot detector Reeltag ships: the trained LSTM (assets/models/shots) behind the same
// ShotDetector interface as the histogram detector it replaced. It runs in the pipeline's own
// process (off the UI thread already) on the backend the core picks; the model is tiny.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Transition } from '../../../../shared/types.js';
import { assetPath } from '../../app-root.js';
import { selectBackend, type BackendName } from '../backend.js';
import { fileIOHandler } from '../file-io-handler.js';
import type { ShotDetector } from './detector.js';
import type { FeatureTrack } from './features.js';
import { lstmFeatures } from './lstm-features.js';
import { decodeTransitions, predictFrames } from './lstm-model.js';

export const SHOT_MODEL_DIR = () => assetPath('models', 'shots');

export interface LstmDetector extends ShotDetector {
  /** Per-frame probabilities of the last video, for evaluation tools. */
  probabilities(track: FeatureTrack): Promise<Float32Array>;
}

/**
 * The loaded weights replace whatever the initialisers make, but building the LSTM first runs its
 * orthogonal initialiser (slow, and it prints a warning): build with zeros instead.
 */
function withoutOrthogonalInit(artifacts: tf.io.ModelArtifacts): tf.io.ModelArtifacts {
  const topology = JSON.stringify(artifacts.modelTopology).replaceAll('{"class_name":"Orthogonal","config":{"gain":1,"seed":null}}', '{"class_name":"Zeros","config":{}}');
  return { ...artifacts, modelTopology: JSON.parse(topology) as tf.io.ModelArtifacts['modelTopology'] };
}

export function createLstmDetector(opts: { modelDir?: string; backend?: BackendName; threshold?: number } = {}): LstmDetector {
  let model: Promise<tf.LayersModel> | undefined;
  const load = () =>
    (model ??= (async () => {
      // In a process that has not chosen a backend yet (the CLI, the pipeline worker), choose now.
      if (!tf.findBackend('wasm') && !tf.findBackend('tensorflow')) await selectBackend({ prefer: opts.backend });
      const files = fileIOHandler(path.join(opts.modelDir ?? SHOT_MODEL_DIR(), 'model.json'));
      return tf.loadLayersModel({ load: async () => withoutOrthogonalInit(await files.load()) });
    })());
  const probabilities = async (track: FeatureTrack) => predictFrames(await load(), lstmFeatures(track), track.count);
  return {
    name: 'lstm',
    probabilities,
    async detect(track: FeatureTrack): Promise<Transition[]> {
      return decodeTransitions(await probabilities(track), track.count, opts.threshold);
    },
  };
}
