import { describe, expect, it } from 'vitest';
import { createFrameChunker } from '../../../../main/core/media/frame-chunker.js';

/** n frames of `size` bytes; every byte says which frame it belongs to. */
function stream(n: number, size: number): Uint8Array {
  const all = new Uint8Array(n * size);
  for (let f = 0; f < n; f++) all.fill(f + 1, f * size, (f + 1) * size);
  return all;
}

/** Cut `all` at the given offsets, as pipe reads would. */
function cut(all: Uint8Array, at: number[]): Buffer[] {
  const edges = [0, ...at, all.length];
  return edges.slice(1).map((end, i) => Buffer.from(all.subarray(edges[i], end)));
}

function run(size: number, chunks: Uint8Array[]): { frames: Uint8Array[]; pending: number } {
  const c = createFrameChunker(size);
  const frames = chunks.flatMap((ch) => c.push(ch));
  return { frames, pending: c.pending };
}

const check = (frames: Uint8Array[], n: number, size: number): void => {
  expect(frames).toHaveLength(n);
  frames.forEach((f, i) => {
    expect(f.length).toBe(size);
    expect(f.every((b) => b === i + 1)).toBe(true);
  });
};

describe('createFrameChunker', () => {
  const size = 12;
  const all = stream(5, size);

  it('returns nothing until a frame is complete', () => {
    const c = createFrameChunker(size);
    expect(c.push(all.subarray(0, 11))).toEqual([]);
    expect(c.pending).toBe(11);
    expect(c.push(all.subarray(11, 12))).toHaveLength(1);
    expect(c.pending).toBe(0);
  });

  it('copes with reads that split frames anywhere, or hold several frames', () => {
    check(run(size, cut(all, [5, 6, 30, 31, 59])).frames, 5, size);
    check(run(size, [all]).frames, 5, size);
    check(run(size, cut(all, Array.from({ length: 59 }, (_, i) => i + 1))).frames, 5, size);
    check(run(size, cut(all, [12, 24, 36, 48])).frames, 5, size);
  });

  it('agrees with every single cut point of a stream', () => {
    for (let a = 1; a < all.length; a++) {
      for (const b of [a + 1, a + 13, a + 25]) {
        if (b >= all.length) continue;
        check(run(size, cut(all, [a, b])).frames, 5, size);
      }
    }
  });

  it('holds back a trailing partial frame and reports it', () => {
    const { frames, pending } = run(size, [all.subarray(0, 50)]);
    check(frames, 4, size);
    expect(pending).toBe(2);
  });

  it('hands out fresh arrays that do not share memory with the reads or each other', () => {
    const chunks = cut(all, [18, 40]);
    const { frames } = run(size, chunks);
    for (const ch of chunks) ch.fill(0);
    check(frames, 5, size);
    const buffers = new Set(frames.map((f) => f.buffer));
    expect(buffers.size).toBe(5);
    for (const f of frames) {
      expect(f.byteOffset).toBe(0);
      expect(f.buffer.byteLength).toBe(size);
      expect(Buffer.isBuffer(f)).toBe(false);
    }
  });

  it('refuses a nonsense frame size', () => {
    expect(() => createFrameChunker(0)).toThrow(RangeError);
    expect(() => createFrameChunker(2.5)).toThrow(RangeError);
  });
});
