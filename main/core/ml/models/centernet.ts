// @vladmandic/human 3.3.6 CenterNet (MobileNetV3 trunk, COCO-80). Its graph is fixed to batch 1
// at 512×512, float input in 0..255, so frames go through one at a time.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fileIOHandler } from '../file-io-handler.js';
import { packageRoot } from '../package-root.js';

export const CENTERNET_INPUT_SIZE = 512;
const DETECTIONS_NODE = 'tower_0/detections';

export interface CenterNet {
  /** @param frame [1, 512, 512, 3] float32 0..255 → [1, 100, 6] rows (x1, y1, x2, y2, score, class). */
  detect(frame: tf.Tensor4D): tf.Tensor3D;
  dispose(): void;
}

/** model.json shipped inside @vladmandic/human (plain JSON + .bin, no decoding needed). */
export function centernetModelPath(fromUrl: string = import.meta.url): string {
  return path.join(packageRoot('@vladmandic/human', fromUrl).dir, 'models', 'centernet.json');
}

export async function loadCenterNet(opts: { modelJsonPath?: string } = {}): Promise<CenterNet> {
  const model = await tf.loadGraphModel(fileIOHandler(opts.modelJsonPath ?? centernetModelPath()));
  return {
    detect: (frame) => model.execute(frame, DETECTIONS_NODE) as tf.Tensor3D,
    dispose: () => model.dispose(),
  };
}
