// Real photos (darknet's, from Debian) as the rgb24 frames the decode stage produces.
import { execFileSync } from 'node:child_process';
import type { RgbFrame } from '../../../main/core/ml/frame-tensors.js';

/** Decodes `file` through ffmpeg into one rgb24 frame; `filter` must end at the given size. */
export function photoFrame(file: string, opts: { time?: number; filter?: string; width?: number; height?: number } = {}): RgbFrame {
  const width = opts.width ?? 512;
  const height = opts.height ?? 512;
  const filter = opts.filter ?? `scale=${width}:${height}`;
  const ffmpeg = process.env.REELTAG_FFMPEG ?? 'ffmpeg';
  const out = execFileSync(ffmpeg, ['-v', 'error', '-i', file, '-vf', filter, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 64 << 20,
  });
  return { rgb: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), width, height, time: opts.time ?? 0 };
}

/** A copy with its own buffer (the pool moves buffers away from the caller). */
export const cloneFrame = (f: RgbFrame): RgbFrame => ({ ...f, rgb: new Uint8Array(f.rgb) });

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}
