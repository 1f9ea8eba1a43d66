// The shot detector Reeltag ships: the trained LSTM (assets/models/shots) behind the same
// ShotDetector interface as the histogram detector it replaced. It runs in the pipeline's own
// process (off the UI thread already) on the backend the core picks; the model is tiny.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Transition } from '../../../../shared/types.js';
import { assetPath } from '../../app-root.js';
import { ensureBackend, type BackendName } from '../backend.js';
import { fileIOHandler } from '../file-io-handler.js';
import type { ShotDetector } from './detector.js';
import type { FeatureTrack } from './features.js';
import { lstmFeatures } from './lstm-features.js';
import { DEFAULT_DECODE, decodeTransitions, predictFrames, type DecodeParams, type GradualDecode } from './lstm-model.js';

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
  const topology = JSON.stringify(artifacts.modelTopology).replaceAll(/\{"class_name":"Orthogonal","config":\{"gain":1,"seed":(?:null|\d+)\}\}/g, '{"class_name":"Zeros","config":{}}');
  return { ...artifacts, modelTopology: JSON.parse(topology) as tf.io.ModelArtifacts['modelTopology'] };
}

/** Loads the model in modelDir (model.json + weights) on the backend already chosen. */
export async function loadLstmModel(modelDir: string): Promise<tf.LayersModel> {
  const files = fileIOHandler(path.join(modelDir, 'model.json'));
  return tf.loadLayersModel({ load: async () => withoutOrthogonalInit(await files.load()) });
}

/** The decoding tuned with the weights (decode.json next to model.json); the defaults when there is none. */
export async function loadDecodeParams(modelDir: string): Promise<DecodeParams> {
  let text: string;
  try {
    text = await fs.readFile(path.join(modelDir, 'decode.json'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_DECODE;
    throw e;
  }
  return parseDecodeParams(JSON.parse(text) as unknown);
}

export function parseDecodeParams(raw: unknown): DecodeParams {
  const r = raw as Partial<Record<keyof DecodeParams, unknown>> | null;
  const prob = (x: unknown, what: string) => {
    if (typeof x !== 'number' || !(x >= 0 && x <= 1)) throw new Error(`decode.json: ${what} must be a number in [0, 1]`);
    return x;
  };
  const gradual = (g: unknown, what: string) => {
    const o = g as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null) throw new Error(`decode.json: ${what} is missing`);
    if (typeof o.minRun !== 'number' || !Number.isInteger(o.minRun) || o.minRun < 1) throw new Error(`decode.json: ${what}.minRun must be a positive integer`);
    const out: GradualDecode = { threshold: prob(o.threshold, `${what}.threshold`), minRun: o.minRun, minMean: prob(o.minMean, `${what}.minMean`) };
    // Absent in decode.json files written before the rule existed: runs of any length, as then.
    if (o.maxRun !== undefined) {
      if (typeof o.maxRun !== 'number' || !Number.isInteger(o.maxRun) || o.maxRun < o.minRun) throw new Error(`decode.json: ${what}.maxRun must be an integer ≥ minRun`);
      out.maxRun = o.maxRun;
    }
    return out;
  };
  if (typeof r !== 'object' || r === null) throw new Error('decode.json: not an object');
  return { cut: prob(r.cut, 'cut'), dissolve: gradual(r.dissolve, 'dissolve'), fade: gradual(r.fade, 'fade') };
}

export function createLstmDetector(opts: { modelDir?: string; backend?: BackendName; decode?: DecodeParams } = {}): LstmDetector {
  const modelDir = opts.modelDir ?? SHOT_MODEL_DIR();
  let model: Promise<tf.LayersModel> | undefined;
  let decode: Promise<DecodeParams> | undefined;
  const load = () =>
    (model ??= (async () => {
      // In a process that has not chosen a backend yet (the CLI, the pipeline worker), choose now.
      await ensureBackend(opts.backend);
      return loadLstmModel(modelDir);
    })());
  const probabilities = async (track: FeatureTrack) => predictFrames(await load(), lstmFeatures(track), track.count);
  return {
    name: 'lstm',
    probabilities,
    async detect(track: FeatureTrack): Promise<Transition[]> {
      const params = await (decode ??= opts.decode ? Promise.resolve(opts.decode) : loadDecodeParams(modelDir));
      return decodeTransitions(await probabilities(track), track.count, params);
    },
  };
}
