import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTENT_HASH_WINDOW, contentHash } from '../../../../main/core/library/content-hash.js';
import { tempDir } from './helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function file(bytes: Buffer): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const p = path.join(t.dir, 'v.mp4');
  fs.writeFileSync(p, bytes);
  return p;
}

function sizeLe(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

const sha = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest('hex');

function pattern(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + (i >> 11)) & 0xff;
  return b;
}

describe('contentHash', () => {
  const W = CONTENT_HASH_WINDOW;

  it('hashes size + whole file when it is 3 MiB or less', async () => {
    const data = pattern(3 * W);
    expect(await contentHash(file(data))).toBe(sha(sizeLe(data.length), data));
    expect(await contentHash(file(Buffer.alloc(0)))).toBe(sha(sizeLe(0)));
  });

  it('hashes size + first, middle and last MiB of a larger file', async () => {
    const n = 5 * W + 12345;
    const data = pattern(n);
    const mid = Math.floor((n - W) / 2);
    const want = sha(sizeLe(n), data.subarray(0, W), data.subarray(mid, mid + W), data.subarray(n - W));
    expect(await contentHash(file(data))).toMatch(/^[0-9a-f]{64}$/);
    expect(await contentHash(file(data))).toBe(want);
  });

  it('sees changes in the sampled windows and in size, not elsewhere (documented trade-off)', async () => {
    const n = 5 * W;
    const base = await contentHash(file(pattern(n)));
    const inWindow = pattern(n);
    inWindow[n - 1]! ^= 1;
    expect(await contentHash(file(inWindow))).not.toBe(base);
    const outside = pattern(n);
    outside[W + 10]! ^= 1;
    expect(await contentHash(file(outside))).toBe(base);
    expect(await contentHash(file(pattern(n + 1)))).not.toBe(base);
  });

  it('rejects a missing file', async () => {
    await expect(contentHash('/nonexistent/reeltag.mp4')).rejects.toThrow(/ENOENT/);
  });
});
