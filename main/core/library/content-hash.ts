// Identity of a video file's content, so that a video already in the library (same content hash)
// is not ingested twice, even after it was moved or renamed.
//
// Hashing whole multi-GB files would take longer than decoding them, so the hash is sampled:
//   sha-256( size as 8-byte little-endian unsigned integer
//            || first 1 MiB || middle 1 MiB (starting at floor((size - 1 MiB) / 2)) || last 1 MiB )
// A file of 3 MiB or less is hashed whole after the size: sha-256(size || whole file).
// Result: 64 lower-case hex digits.
//
// Trade-off, on purpose: two files of the same size that differ only outside the three sampled
// windows get the same hash. Real edits of a video (re-encode, trim, remux) change the size or the
// container header at the start, so this does not happen in practice.
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

export const CONTENT_HASH_WINDOW = 1024 * 1024;

async function readFully(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    // The file shrank under us: hash what is there rather than spin.
    if (bytesRead === 0) return buf.subarray(0, done);
    done += bytesRead;
  }
  return buf;
}

export async function contentHash(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const hash = createHash('sha256');
    const sizeLe = Buffer.alloc(8);
    sizeLe.writeBigUInt64LE(BigInt(size));
    hash.update(sizeLe);
    const w = CONTENT_HASH_WINDOW;
    const offsets = size <= 3 * w ? [0] : [0, Math.floor((size - w) / 2), size - w];
    const length = size <= 3 * w ? size : w;
    for (const offset of offsets) hash.update(await readFully(fh, offset, length));
    return hash.digest('hex');
  } finally {
    await fh.close();
  }
}
