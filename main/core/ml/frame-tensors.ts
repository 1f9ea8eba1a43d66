// Raw rgb24 frames (what ffmpeg writes to a pipe) to model input tensors.
import * as tf from '@tensorflow/tfjs';

/** One decoded frame: rgb24, row-major, no padding. */
export interface RgbFrame {
  rgb: Uint8Array;
  width: number;
  height: number;
  /** Seconds from the start of the video. */
  time: number;
  /** Run the object detector on this frame (default true). It costs 4× the embedding. */
  objects?: boolean;
}

/** Throws a message naming the bad frame, before any model work starts. */
export function assertFrame(frame: RgbFrame, index: number): void {
  const { width, height, rgb } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`frame ${index}: bad size ${width}×${height}`);
  }
  if (!(rgb instanceof Uint8Array)) throw new Error(`frame ${index}: rgb must be a Uint8Array`);
  if (rgb.length !== width * height * 3) {
    // A transferred (detached) buffer reads as length 0: say so, it is the likely cause.
    const hint = rgb.length === 0 ? ' (its buffer was detached: was it already sent to a worker?)' : '';
    throw new Error(`frame ${index}: rgb holds ${rgb.length} bytes, ${width}×${height} rgb24 needs ${width * height * 3}${hint}`);
  }
}

/** [1, size, size, 3] float32 in 0..255, resized (bilinear) only when the frame is another size. */
export function frameTensor(frame: RgbFrame, size: number): tf.Tensor4D {
  return tf.tidy(() => {
    const x = tf.tensor4d(frame.rgb, [1, frame.height, frame.width, 3], 'float32');
    return frame.width === size && frame.height === size ? x : tf.image.resizeBilinear(x, [size, size]);
  });
}
