import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { similarCommand } from '../../../main/cli/commands/similar.js';
import { parseSizes } from '../../../main/cli/commands/bench-similar.js';
import { UsageError } from '../../../main/cli/args.js';
import type { CliIO } from '../../../main/cli/io.js';
import { openLibrary } from '../../../main/core/library/db.js';
import { EMBEDDING_DIM } from '../../../main/core/library/embedding-codec.js';
import { clip, ingestInput, tempDir } from '../core/library/helpers.js';

let dir: string;
let cleanup: () => void;
let clipIds: number[];
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  const lib = openLibrary(dir);
  // Clip k points along axis 0, tilted by k/10 towards axis k of its own: the less tilted a clip,
  // the closer it is to every other, so any query ranks the others 1, 2, 3, 4.
  const along = (k: number) => {
    const v = new Float32Array(EMBEDDING_DIM);
    v[0] = 1;
    v[k] = k / 10;
    return v;
  };
  clipIds = lib.storeIngest(ingestInput('/v/a.mp4', [1, 2, 3, 4].map((k) => clip(k * 2, k * 2 + 2, [], { embedding: along(k) })))).clipIds;
  lib.storeIngest(ingestInput('/v/b.mp4', [clip(0, 1.5)]));
  lib.close();
});
afterEach(() => cleanup());

function io(): CliIO & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(`ERR ${l}`), env: {}, stderr: process.stderr };
}

describe('reeltag similar', () => {
  it('prints the clips most like one clip, best first, as JSON', async () => {
    const o = io();
    expect(await similarCommand([String(clipIds[0]), '--library', dir, '--limit', '2', '--json'], o)).toBe(0);
    const report = JSON.parse(o.lines.join('\n')) as { clip: number; similar: Array<{ id: number; media: string; start: number; end: number; score: number }> };
    expect(report.clip).toBe(clipIds[0]);
    expect(report.similar.map((s) => s.id)).toEqual([clipIds[1], clipIds[2]]);
    expect(report.similar[0]).toMatchObject({ media: '/v/a.mp4', start: 4, end: 6 });
    expect(report.similar[0]!.score).toBeGreaterThan(report.similar[1]!.score);
  });

  it('prints a line per clip: score, id, start–end, media file', async () => {
    const o = io();
    expect(await similarCommand([String(clipIds[3]), '--library', dir], o)).toBe(0);
    expect(o.lines[0]).toBe(`like #${clipIds[3]}  /v/a.mp4  0:08.00–0:10.00`);
    expect(o.lines).toHaveLength(4);
    expect(o.lines[1]).toMatch(new RegExp(`^  0\\.\\d{3}  #${clipIds[0]}\\s+0:02\\.00–0:04\\.00  /v/a\\.mp4$`));
    expect(o.lines[3]).toMatch(new RegExp(`^  0\\.\\d{3}  #${clipIds[2]}\\s+0:06\\.00–0:08\\.00  /v/a\\.mp4$`));
  });

  it('says so when the clip has no embedding, and refuses bad arguments', async () => {
    const lib = openLibrary(dir);
    const noEmbedding = lib.clips.list({ mediaPath: '/v/b.mp4' })[0]!.id;
    lib.close();
    const o = io();
    expect(await similarCommand([String(noEmbedding), '--library', dir], o)).toBe(0);
    expect(o.lines[1]).toMatch(/no similar clips/);
    await expect(similarCommand(['--library', dir], io())).rejects.toThrow(UsageError);
    await expect(similarCommand(['x1', '--library', dir], io())).rejects.toThrow(UsageError);
    await expect(similarCommand(['1', '--limit', '0', '--library', dir], io())).rejects.toThrow(UsageError);
    await expect(similarCommand(['1', '--limit', '201', '--library', dir], io())).rejects.toThrow(UsageError);
    await expect(similarCommand(['999', '--library', dir], io())).rejects.toThrow(/no clip with id 999/);
  });
});

describe('bench --similar-sizes', () => {
  it('takes a comma-separated list of clip counts', () => {
    expect(parseSizes(undefined)).toEqual([10_000, 100_000]);
    expect(parseSizes('10000, 100_000')).toEqual([10_000, 100_000]);
    expect(() => parseSizes('10000,lots')).toThrow(UsageError);
    expect(() => parseSizes('3')).toThrow(UsageError);
  });
});
