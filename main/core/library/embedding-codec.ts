// Embeddings are stored as raw float32 little-endian bytes: compact (7 KB for 1792-d), and a
// Float32Array view over them on the (little-endian) platforms Reeltag ships for.

/** Dimension of the per-clip embedding (MobileNetV2 feature vector). */
export const EMBEDDING_DIM = 1792;

const PLATFORM_IS_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodeEmbedding(v: Float32Array): Buffer {
  if (PLATFORM_IS_LE) return Buffer.from(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  const out = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => out.writeFloatLE(x, i * 4));
  return out;
}

export function decodeEmbedding(buf: Buffer): Float32Array {
  if (buf.length % 4 !== 0) throw new Error(`embedding blob of ${buf.length} bytes is not float32`);
  // Copy: the blob's Buffer may sit at an offset that is not 4-aligned.
  const out = new Float32Array(buf.length / 4);
  if (PLATFORM_IS_LE) new Uint8Array(out.buffer).set(buf);
  else for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}
