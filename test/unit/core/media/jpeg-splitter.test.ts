import { describe, expect, it } from 'vitest';
import { MediaError } from '../../../../main/core/media/errors.js';
import { createJpegSplitter } from '../../../../main/core/media/jpeg-splitter.js';

const seg = (marker: number, payload: number[]): number[] => {
  const len = payload.length + 2;
  return [0xff, marker, len >> 8, len & 0xff, ...payload];
};

/**
 * A structurally complete JPEG that is hard to split by searching for FF D9: the bytes FF D9
 * inside an APP segment and a quantisation table, stuffed FF 00 and a restart marker in the scan
 * data, and fill bytes before EOI. `tag` makes each image distinct.
 */
function jpeg(tag: number): Buffer {
  return Buffer.from([
    0xff, 0xd8,
    ...seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9, tag]),
    ...seg(0xdb, [0x00, ...Array.from({ length: 62 }, (_, i) => (i % 2 ? 0xd9 : 0xff)), tag]),
    ...seg(0xc0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]),
    ...seg(0xda, [1, 1, 0, 0, 63, 0]),
    0x12, 0xff, 0x00, tag, 0x34, 0xff, 0xd0, 0x56, 0xff, 0x00, 0xff, 0x00, 0x78,
    0xff, 0xff, 0xd9,
  ]);
}

function split(chunks: Uint8Array[]): { images: Buffer[]; pending: number } {
  const s = createJpegSplitter();
  const images = chunks.flatMap((c) => s.push(c));
  return { images, pending: s.pending };
}

describe('createJpegSplitter', () => {
  const images = [jpeg(1), jpeg(2), jpeg(3)];
  const all = Buffer.concat(images);

  it('splits back-to-back JPEGs at their real EOI, not at FF D9 inside segments', () => {
    const out = split([all]);
    expect(out.images).toEqual(images);
    expect(out.pending).toBe(0);
  });

  it('gives the same images however the stream is cut into reads', () => {
    for (let a = 1; a < all.length; a++) {
      expect(split([all.subarray(0, a), all.subarray(a)]).images).toEqual(images);
    }
    const bytes = Array.from(all, (b) => Buffer.from([b]));
    expect(split(bytes).images).toEqual(images);
  });

  it('holds back an unfinished image', () => {
    const out = split([all.subarray(0, all.length - 1)]);
    expect(out.images).toEqual(images.slice(0, 2));
    expect(out.pending).toBe(images[2]!.length - 1);
  });

  it('hands out copies the caller may keep', () => {
    const src = Buffer.from(all);
    const out = split([src]);
    src.fill(0);
    expect(out.images).toEqual(images);
  });

  it('refuses a stream that is not JPEG', () => {
    expect(() => split([Buffer.from('hello world')])).toThrow(MediaError);
    expect(() => split([Buffer.from([0xff, 0xd8, 0x00, 0x01])])).toThrow(/expected a marker/);
    expect(() => split([Buffer.from([0xff, 0xd8, 0xff, 0xd8])])).toThrow(/SOI marker inside/);
  });
});
