// A tfjs IOHandler over plain files (model.json + weight shards). tfjs's own `file://` handler
// lives in tfjs-node, which does not install here, and loading nsfwjs's base64-in-JS bundles
// takes seconds; reading two files from disk takes milliseconds.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Bytes per element of each weight dtype as stored on disk (quantized dtypes included). */
const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * Bytes the weight specs need, or null when that cannot be known (string weights). Checked on
 * load so a truncated file fails with a clear message rather than inside tfjs's decoder.
 */
export function expectedWeightBytes(specs: readonly tf.io.WeightsManifestEntry[]): number | null {
  let total = 0;
  for (const spec of specs) {
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const bytes = DTYPE_BYTES[dtype];
    if (bytes === undefined) return null;
    total += spec.shape.reduce((n, d) => n * d, 1) * bytes;
  }
  return total;
}

/** The ArrayBuffer behind a Buffer, without copying when the Buffer owns all of it. */
export function ownArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const buffer = bytes.buffer;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return buffer;
  return copyBytes(bytes).buffer;
}

/** A copy with its own buffer. Not `bytes.slice()`: on a Node Buffer that is a view, not a copy. */
export function copyBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

/** Writes a file so readers see the old content or the new one, never half of it. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

function shardPath(dir: string, shard: string): string {
  // A model.json must not make us read outside its folder.
  const resolved = path.resolve(dir, shard);
  if (path.isAbsolute(shard) || !resolved.startsWith(dir + path.sep)) {
    throw new Error(`weight path "${shard}" leaves the model folder ${dir}`);
  }
  return resolved;
}

/** Name of the single weights file that `save()` writes next to model.json. */
export const WEIGHTS_FILE = 'weights.bin';

/** An IOHandler whose load and save are both there (tfjs types both as optional). */
export interface FileIOHandler extends tf.io.IOHandler {
  load(): Promise<tf.io.ModelArtifacts>;
  save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult>;
}

/**
 * IOHandler for `<dir>/model.json`. `load()` reads the JSON and its weight shards;
 * `save()` writes model.json plus one weights.bin (weights first, then the JSON that points at
 * them, each through temp + rename).
 */
export function fileIOHandler(modelJsonPath: string): FileIOHandler {
  const dir = path.dirname(path.resolve(modelJsonPath));
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = JSON.parse(await fs.readFile(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = tf.io.getWeightSpecs(manifest);
        const shards = await Promise.all(manifest.flatMap((group) => group.paths).map((p) => fs.readFile(shardPath(dir, p))));
        const bytes = shards.length === 1 && shards[0] ? shards[0] : Buffer.concat(shards);
        const expected = expectedWeightBytes(specs);
        if (expected !== null && expected !== bytes.byteLength) {
          throw new Error(`${modelJsonPath}: weights hold ${bytes.byteLength} bytes, the manifest needs ${expected}`);
        }
        return [specs, ownArrayBuffer(bytes)];
      });
    },

    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const topology = artifacts.modelTopology;
      if (topology === undefined || topology instanceof ArrayBuffer) throw new Error('fileIOHandler saves JSON topologies only');
      await fs.mkdir(dir, { recursive: true });
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      await writeFileAtomic(path.join(dir, WEIGHTS_FILE), new Uint8Array(weightData));
      const json: tf.io.ModelJSON = {
        modelTopology: topology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.format !== undefined && { format: artifacts.format }),
        ...(artifacts.generatedBy !== undefined && { generatedBy: artifacts.generatedBy }),
        ...(artifacts.convertedBy !== undefined && { convertedBy: artifacts.convertedBy }),
        ...(artifacts.signature !== undefined && { signature: artifacts.signature }),
        ...(artifacts.userDefinedMetadata !== undefined && { userDefinedMetadata: artifacts.userDefinedMetadata }),
        ...(artifacts.modelInitializer !== undefined && { modelInitializer: artifacts.modelInitializer }),
        ...(artifacts.initializerSignature !== undefined && { initializerSignature: artifacts.initializerSignature }),
        ...(artifacts.trainingConfig !== undefined && { trainingConfig: artifacts.trainingConfig }),
      };
      await writeFileAtomic(modelJsonPath, JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON({ ...artifacts, weightData }) };
    },
  };
}
