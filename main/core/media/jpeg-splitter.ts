// Splits ffmpeg's image2pipe stream (JPEGs back to back, no container) into single images.
// It walks the marker segments instead of searching for the EOI bytes FF D9: those bytes may
// occur inside a segment's payload (a quantisation table, an APP block), and only inside the
// entropy-coded scan data is an FF always followed by 00, a restart marker or a real marker.
import { MediaError } from './errors.js';

export interface JpegSplitter {
  /** Feed the next bytes; returns the images they complete, each a fresh Buffer the caller may keep. */
  push(chunk: Uint8Array): Buffer[];
  /** Bytes of an unfinished image held back (non-zero at the end means a cut stream). */
  readonly pending: number;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const TEM = 0x01;
const isRst = (m: number): boolean => m >= 0xd0 && m <= 0xd7;

export function createJpegSplitter(): JpegSplitter {
  let buf: Buffer = Buffer.alloc(0);
  let pos = 0; // next byte to look at in buf; buf[0] is the current image's SOI
  let inImage = false;
  let inScan = false;

  const bad = (what: string): never => {
    throw new MediaError(`thumbnail stream from ffmpeg is not a sequence of JPEG images (${what})`);
  };

  return {
    push(chunk) {
      buf = buf.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : Buffer.concat([buf, chunk]);
      const images: Buffer[] = [];
      for (;;) {
        if (!inImage) {
          if (buf.length - pos < 2) break;
          if (buf[pos] !== 0xff || buf[pos + 1] !== SOI) bad(`expected an SOI marker at byte ${pos}`);
          pos += 2;
          inImage = true;
          continue;
        }
        if (inScan) {
          let i = buf.indexOf(0xff, pos);
          let marker = -1;
          while (i >= 0 && i + 1 < buf.length) {
            const next = buf[i + 1]!;
            if (next === 0x00 || isRst(next)) i = buf.indexOf(0xff, i + 2);
            else if (next === 0xff) i += 1; // fill byte before a marker
            else {
              marker = i;
              break;
            }
          }
          if (marker < 0) {
            // Resume at a trailing FF (its partner byte is in the next chunk) or past everything.
            pos = i >= 0 ? i : buf.length;
            break;
          }
          pos = marker;
          inScan = false;
          continue;
        }
        if (buf.length - pos < 2) break;
        if (buf[pos] !== 0xff) bad(`expected a marker at byte ${pos}`);
        const m = buf[pos + 1]!;
        if (m === 0xff) {
          pos += 1;
        } else if (m === EOI) {
          const end = pos + 2;
          images.push(Buffer.from(buf.subarray(0, end)));
          buf = buf.subarray(end);
          pos = 0;
          inImage = false;
        } else if (m === SOI) {
          bad(`an SOI marker inside an image at byte ${pos}`);
        } else if (m === TEM || isRst(m)) {
          pos += 2;
        } else {
          if (buf.length - pos < 4) break;
          const len = (buf[pos + 2]! << 8) | buf[pos + 3]!;
          if (len < 2) bad(`segment length ${len} at byte ${pos}`);
          if (buf.length - pos < 2 + len) break;
          pos += 2 + len;
          if (m === SOS) inScan = true;
        }
      }
      return images;
    },
    get pending() {
      return buf.length;
    },
  };
}
