// A clip's per-sample embeddings, as the custom-tag heads read them. int8 with one float32 scale
// per step (max |x| / 127): 1 796 bytes a step for 1792-d instead of 7 168. The heads are trained
// and run on the decoded values, so the rounding (< 0.4 % of a step's largest component) is part
// of what they learn from.

/** Steps kept per clip: enough for an LSTM to see how a clip develops, bounded for long clips. */
export const SEQUENCE_MAX_STEPS = 16;

export function encodeSequence(steps: readonly Float32Array[]): Buffer {
  if (steps.length === 0) throw new Error('a sequence needs at least one step');
  const dim = steps[0]!.length;
  const stride = 4 + dim;
  const out = Buffer.alloc(steps.length * stride);
  steps.forEach((v, s) => {
    if (v.length !== dim) throw new Error(`sequence step ${s} has ${v.length} values, not ${dim}`);
    let max = 0;
    for (let i = 0; i < dim; i++) max = Math.max(max, Math.abs(v[i]!));
    const scale = max > 0 ? max / 127 : 1;
    const at = s * stride;
    out.writeFloatLE(scale, at);
    for (let i = 0; i < dim; i++) out.writeInt8(Math.round(v[i]! / scale), at + 4 + i);
  });
  return out;
}

export function decodeSequence(buf: Buffer, steps: number): Float32Array[] {
  if (steps <= 0 || buf.length % steps !== 0 || buf.length / steps <= 4) {
    throw new Error(`sequence blob of ${buf.length} bytes does not hold ${steps} steps`);
  }
  const stride = buf.length / steps;
  const dim = stride - 4;
  const out: Float32Array[] = [];
  for (let s = 0; s < steps; s++) {
    const at = s * stride;
    const scale = buf.readFloatLE(at);
    const q = new Int8Array(buf.buffer, buf.byteOffset + at + 4, dim);
    const v = new Float32Array(dim);
    for (let i = 0; i < dim; i++) v[i] = q[i]! * scale;
    out.push(v);
  }
  return out;
}

/** Up to `max` items spread evenly over the list, first and last included. */
export function spread<T>(items: readonly T[], max: number = SEQUENCE_MAX_STEPS): T[] {
  if (items.length <= max) return [...items];
  if (max === 1) return [items[Math.floor(items.length / 2)]!];
  return Array.from({ length: max }, (_, i) => items[Math.round((i * (items.length - 1)) / (max - 1))]!);
}
