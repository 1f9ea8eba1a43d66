// nsfwjs ships its weights as base64 strings inside UMD JavaScript modules. Decoding them on
// every start costs time and ~3× the weights in memory, so the first start writes a plain
// model.json + weights.bin under the cache folder and later starts read those (milliseconds).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expectedWeightBytes, fileIOHandler, WEIGHTS_FILE } from './file-io-handler.js';
import { packageRoot } from './package-root.js';

export interface NsfwModelSource {
  /** Folder of the bundled model: model.min.js + group1-shard*.min.js. */
  dir: string;
  /** nsfwjs version: it keys the cache folder, so an upgrade never reads stale weights. */
  version: string;
  /** Model folder name inside nsfwjs, e.g. "mobilenet_v2_mid". */
  model: string;
}

export interface CachedModel {
  modelJsonPath: string;
  /** True when this call decoded the bundle and wrote the cache. */
  created: boolean;
  /** Time this call spent checking or building the cache. */
  ms: number;
}

/** Where the installed nsfwjs keeps a bundled model (its `exports` map hides these files). */
export function locateNsfwModel(model = 'mobilenet_v2_mid', fromUrl: string = import.meta.url): NsfwModelSource {
  const root = packageRoot('nsfwjs', fromUrl);
  return { dir: path.join(root.dir, 'dist', 'models', model), version: root.version, model };
}

export function nsfwCacheDir(cacheDir: string, source: NsfwModelSource): string {
  return path.join(cacheDir, 'models', `nsfwjs-${source.version}-${source.model}`);
}

/** Reads the bundle's model.json object and its weight bytes (shards concatenated in order). */
export function decodeNsfwBundle(source: NsfwModelSource): tf.io.ModelArtifacts {
  const require = createRequire(import.meta.url);
  const load = (file: string): unknown => {
    const resolved = require.resolve(path.join(source.dir, file));
    try {
      return require(resolved);
    } finally {
      // Read once per cache miss: keep the megabytes of base64 out of require's cache.
      delete require.cache[resolved];
    }
  };
  const json = load('model.min.js') as tf.io.ModelJSON;
  const paths = json.weightsManifest.flatMap((group) => group.paths);
  const shards = paths.map((p) => {
    const base64 = load(`${p}.min.js`);
    if (typeof base64 !== 'string') throw new Error(`nsfwjs shard ${p} is not a base64 string`);
    return Buffer.from(base64, 'base64');
  });
  const weights = Buffer.concat(shards);
  return {
    modelTopology: json.modelTopology,
    weightSpecs: tf.io.getWeightSpecs(json.weightsManifest),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    ...(json.format !== undefined && { format: json.format }),
    ...(json.generatedBy !== undefined && { generatedBy: json.generatedBy }),
    ...(json.convertedBy !== undefined && { convertedBy: json.convertedBy }),
    ...(json.userDefinedMetadata !== undefined && { userDefinedMetadata: json.userDefinedMetadata }),
  };
}

/** True when `dir` holds a model.json whose weights file has exactly the bytes it declares. */
async function isComplete(dir: string): Promise<boolean> {
  try {
    const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    const expected = expectedWeightBytes(tf.io.getWeightSpecs(json.weightsManifest));
    const stat = await fs.stat(path.join(dir, WEIGHTS_FILE));
    return expected === stat.size;
  } catch {
    return false;
  }
}

/**
 * Makes sure `<cacheDir>/models/nsfwjs-<version>-<model>/` holds the decoded model. The folder is
 * built under a temporary name and renamed into place, so it exists complete or not at all,
 * even if the process dies half way or two workers build it at once.
 */
export async function ensureNsfwModelCache(opts: { cacheDir: string; source?: NsfwModelSource }): Promise<CachedModel> {
  const started = performance.now();
  const source = opts.source ?? locateNsfwModel();
  const dir = nsfwCacheDir(opts.cacheDir, source);
  const modelJsonPath = path.join(dir, 'model.json');
  const result = (created: boolean): CachedModel => ({ modelJsonPath, created, ms: performance.now() - started });
  if (await isComplete(dir)) return result(false);

  await fs.mkdir(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    await fileIOHandler(path.join(tmp, 'model.json')).save(decodeNsfwBundle(source));
    // Another worker may have finished while we decoded; keep its copy rather than swap under it.
    if (await isComplete(dir)) return result(false);
    // A folder left broken by something else (a user's copy, a full disk) would block the rename.
    await fs.rm(dir, { recursive: true, force: true });
    try {
      await fs.rename(tmp, dir);
    } catch (error) {
      // Another worker won the race: its copy is as good as ours.
      if (await isComplete(dir)) return result(false);
      throw error;
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return result(true);
}
