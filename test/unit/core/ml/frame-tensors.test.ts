import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { l2NormalizeRows } from '../../../../main/core/ml/analyzer.js';
import { assertFrame, frameTensor } from '../../../../main/core/ml/frame-tensors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('assertFrame', () => {
  it('accepts rgb24 of the stated size and names the frame otherwise', () => {
    expect(() => assertFrame({ rgb: new Uint8Array(12), width: 2, height: 2, time: 0 }, 0)).not.toThrow();
    expect(() => assertFrame({ rgb: new Uint8Array(11), width: 2, height: 2, time: 0 }, 3)).toThrow(/frame 3: rgb holds 11 bytes, 2×2 rgb24 needs 12/);
    expect(() => assertFrame({ rgb: new Uint8Array(0), width: 2, height: 2, time: 0 }, 0)).toThrow(/detached/);
    expect(() => assertFrame({ rgb: new Uint8Array(0), width: 0, height: 2, time: 0 }, 1)).toThrow(/frame 1: bad size/);
  });
});

describe('frameTensor', () => {
  it('keeps 0..255 floats, resizing only frames of another size', async () => {
    const rgb = new Uint8Array(4 * 4 * 3).fill(200);
    const same = frameTensor({ rgb, width: 4, height: 4, time: 0 }, 4);
    const resized = frameTensor({ rgb, width: 4, height: 4, time: 0 }, 2);
    expect(same.shape).toEqual([1, 4, 4, 3]);
    expect(same.dtype).toBe('float32');
    expect(resized.shape).toEqual([1, 2, 2, 3]);
    expect(Array.from(await resized.data()).every((v) => Math.abs(v - 200) < 1e-3)).toBe(true);
    tf.dispose([same, resized]);
  });
});

describe('l2NormalizeRows', () => {
  it('gives unit rows with their own buffers, and leaves a zero row at zero', () => {
    const rows = l2NormalizeRows(new Float32Array([3, 4, 0, 0]), 2, 2);
    expect(Array.from(rows[0] ?? [])).toEqual([expect.closeTo(0.6), expect.closeTo(0.8)]);
    expect(Array.from(rows[1] ?? [])).toEqual([0, 0]);
    expect(rows[0]?.buffer).not.toBe(rows[1]?.buffer);
    expect(rows[0]?.byteLength).toBe(rows[0]?.buffer.byteLength);
  });
});
