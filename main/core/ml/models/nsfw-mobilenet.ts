// nsfwjs 4.4.0 MobileNetV2Mid: one forward pass gives both the 5-class NSFW softmax and the
// 1792-d ImageNet feature vector of the MobileNetV2-1.4 trunk underneath it.
import * as tf from '@tensorflow/tfjs';
import { fileIOHandler } from '../file-io-handler.js';
import { ensureNsfwModelCache, type CachedModel, type NsfwModelSource } from '../model-cache.js';

export const NSFW_INPUT_SIZE = 224;
export const EMBEDDING_SIZE = 1792;
/** The graph's softmax output. */
const PROBS_NODE = 'Identity';
/** The trunk's pooled features; the full name is a long StatefulPartitionedCall path. */
const FEATURES_SUFFIX = 'predict/feature_vector/SpatialSqueeze';

export interface NsfwMobileNet {
  /** Where the weights were read from and whether this load built the cache. */
  readonly cache: CachedModel;
  /**
   * @param batch [n, 224, 224, 3] float32 in 0..1.
   * @returns probs [n, 5] (nsfwjs class order) and features [n, 1792], not normalised.
   */
  run(batch: tf.Tensor4D): { probs: tf.Tensor2D; features: tf.Tensor2D };
  dispose(): void;
}

function featuresNode(topology: unknown): string {
  const nodes = (topology as { node?: { name: string }[] }).node ?? [];
  const node = nodes.find((n) => n.name.endsWith(FEATURES_SUFFIX));
  if (!node) throw new Error(`MobileNetV2Mid has no node ending in ${FEATURES_SUFFIX}`);
  return node.name;
}

export async function loadNsfwMobileNet(opts: { cacheDir: string; source?: NsfwModelSource }): Promise<NsfwMobileNet> {
  const cache = await ensureNsfwModelCache(opts);
  // Load the artifacts ourselves: the features node name is only in the topology.
  const artifacts = await fileIOHandler(cache.modelJsonPath).load();
  const features = featuresNode(artifacts.modelTopology);
  const model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
  return {
    cache,
    run(batch) {
      // Both outputs in one execute: the trunk runs once.
      const [probs, feats] = model.execute(batch, [PROBS_NODE, features]) as tf.Tensor[];
      return { probs: probs as tf.Tensor2D, features: feats as tf.Tensor2D };
    },
    dispose: () => model.dispose(),
  };
}

/** Frames [n, h, w, 3] 0..255 → the network's input, [n, 224, 224, 3] in 0..1. */
export function nsfwInput(frames: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const sized = frames.shape[1] === NSFW_INPUT_SIZE && frames.shape[2] === NSFW_INPUT_SIZE
      ? frames
      : tf.image.resizeBilinear(frames, [NSFW_INPUT_SIZE, NSFW_INPUT_SIZE]);
    return tf.div(sized, 255);
  });
}
