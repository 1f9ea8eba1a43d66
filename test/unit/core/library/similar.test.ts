import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openLibrary, LIBRARY_FILE, type Library } from '../../../../main/core/library/db.js';
import { EMBEDDING_DIM, decodeEmbedding, encodeEmbedding } from '../../../../main/core/library/embedding-codec.js';
import { migrate } from '../../../../main/core/library/migrations.js';
import { nearestSketches, SimilarIndex } from '../../../../main/core/library/similar.js';
import { SKETCH_DIM, sketchOf } from '../../../../main/core/library/sketch.js';
import { createRng, type Rng } from '../../../../main/core/random.js';
import { clip, ingestInput, tempDir } from './helpers.js';

let dir: string;
let lib: Library;
let cleanup: () => void;
const others: Library[] = [];
beforeEach(() => {
  const t = tempDir();
  dir = t.dir;
  cleanup = t.cleanup;
  lib = openLibrary(dir);
});
afterEach(() => {
  for (const o of others.splice(0)) o.close();
  lib.close();
  cleanup();
});

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  return v.map((x) => x / n);
}

function gaussian(rng: Rng): Float32Array {
  const v = new Float32Array(EMBEDDING_DIM);
  for (let i = 0; i < v.length; i++) v[i] = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return unit(v);
}

/** `clusters` groups of `size` unit vectors around random centres: cosine ≈ 0.9 within a group, ≈ 0 across. */
function clustered(rng: Rng, clusters: number, size: number, spread = 0.33): Float32Array[] {
  const out: Float32Array[] = [];
  for (let c = 0; c < clusters; c++) {
    const centre = gaussian(rng);
    for (let i = 0; i < size; i++) {
      const noise = gaussian(rng);
      out.push(unit(centre.map((x, j) => x + spread * noise[j]!)));
    }
  }
  return out;
}

/** Stores the embeddings as clips of videos of `perVideo` clips; returns their clip ids in order. */
function ingest(target: Library, embeddings: Float32Array[], perVideo = 50, prefix = '/v/video'): number[] {
  const ids: number[] = [];
  for (let v = 0; v * perVideo < embeddings.length; v++) {
    const chunk = embeddings.slice(v * perVideo, (v + 1) * perVideo);
    const clips = chunk.map((e, i) => clip(i * 2, i * 2 + 2, [], { embedding: e }));
    ids.push(...target.storeIngest(ingestInput(`${prefix}-${v}.mp4`, clips)).clipIds);
  }
  return ids;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(aa * bb);
}

/** The right answer, by exact cosine over every embedding in the library. */
function exact(target: Library, clipId: number, limit: number): Array<{ clipId: number; score: number }> {
  const rows = target.db.prepare('SELECT clip_id AS id, vector FROM clip_embeddings').all() as Array<{ id: number; vector: Buffer }>;
  const q = decodeEmbedding(rows.find((r) => r.id === clipId)!.vector);
  return rows
    .filter((r) => r.id !== clipId)
    .map((r) => ({ clipId: r.id, score: cosine(q, decodeEmbedding(r.vector)) }))
    .sort((a, b) => b.score - a.score || a.clipId - b.clipId)
    .slice(0, limit);
}

const ids = (hits: Array<{ clipId: number }>) => hits.map((h) => h.clipId);
const sketchRows = (target: Library) => target.db.prepare('SELECT count(*) FROM clip_sketches').pluck().get() as number;

describe('SimilarIndex', () => {
  it('returns the exact nearest neighbours, best first, with their cosine', () => {
    const clipIds = ingest(lib, clustered(createRng(1), 6, 20));
    for (const q of [clipIds[0]!, clipIds[37]!, clipIds[119]!]) {
      const hits = lib.similar(q, 10);
      const truth = exact(lib, q, 10);
      expect(ids(hits)).toEqual(ids(truth));
      hits.forEach((h, i) => expect(h.score).toBeCloseTo(truth[i]!.score, 5));
      // Its own cluster of 20 (ids are consecutive per cluster here).
      const cluster = Math.floor(clipIds.indexOf(q) / 20);
      for (const h of hits) expect(Math.floor(clipIds.indexOf(h.clipId) / 20)).toBe(cluster);
    }
  });

  it('finds them through the sketches: few candidates, a library larger than one load chunk', () => {
    // 1100 sketches load in two chunks; 30 candidates out of 1099 must come from the sketch scan
    // to contain the query's cluster.
    const clipIds = ingest(lib, clustered(createRng(2), 55, 20), 100);
    const index = new SimilarIndex(lib.db, { candidatesPerResult: 3, minCandidates: 30 });
    for (const q of [clipIds[0]!, clipIds[555]!, clipIds[1099]!]) {
      expect(ids(index.query(q, 10))).toEqual(ids(exact(lib, q, 10)));
    }
  });

  it('never returns the clip itself, not even when another clip is its exact copy', () => {
    const rng = createRng(3);
    const e = gaussian(rng);
    const clipIds = ingest(lib, [e, e, gaussian(rng), gaussian(rng)]);
    const hits = lib.similar(clipIds[0]!, 10);
    expect(ids(hits)).not.toContain(clipIds[0]);
    expect(hits[0]).toEqual({ clipId: clipIds[1], score: expect.closeTo(1, 5) as number });
    expect(hits).toHaveLength(3);
  });

  it('respects the limit', () => {
    const clipIds = ingest(lib, clustered(createRng(4), 3, 10));
    expect(lib.similar(clipIds[5]!, 3)).toHaveLength(3);
    expect(lib.similar(clipIds[5]!, 1)).toEqual(exact(lib, clipIds[5]!, 1).map((h) => ({ clipId: h.clipId, score: expect.closeTo(h.score, 5) as number })));
    expect(lib.similar(clipIds[5]!, 500)).toHaveLength(29);
    expect(lib.similar(clipIds[5]!, 0)).toEqual([]);
    expect(lib.similar(clipIds[5]!, -4)).toEqual([]);
  });

  it('returns [] for a clip without an embedding and for one that does not exist', () => {
    const rng = createRng(5);
    const { clipIds } = lib.storeIngest(ingestInput('/v/a.mp4', [
      clip(0, 2, [], { embedding: gaussian(rng) }),
      clip(2, 4),
      clip(4, 6, [], { embedding: gaussian(rng) }),
    ]));
    expect(lib.similar(clipIds[1]!, 10)).toEqual([]);
    expect(lib.similar(9999, 10)).toEqual([]);
    // The clip without an embedding is never a result either.
    expect(ids(lib.similar(clipIds[0]!, 10))).toEqual([clipIds[2]]);
  });

  it('sees clips added and deleted after the first query', () => {
    const rng = createRng(6);
    const vectors = clustered(rng, 4, 10);
    const clipIds = ingest(lib, vectors, 10);
    const q = clipIds[3]!;
    const before = lib.similar(q, 5);
    expect(ids(before)).not.toContain(undefined);

    // A near copy of the query arrives in a new video: it must come first.
    const twin = unit(vectors[3]!.map((x, i) => x + 0.01 * Math.sin(i)));
    const [twinId] = lib.storeIngest(ingestInput('/v/new.mp4', [clip(0, 2, [], { embedding: twin })])).clipIds;
    expect(lib.similar(q, 5)[0]!.clipId).toBe(twinId);

    // Its video fails on a re-ingest and loses its clips: the twin must be gone.
    lib.markMediaError({ path: '/v/new.mp4', fileName: 'new.mp4', sizeBytes: 1, mtimeMs: 1, contentHash: null, error: 'gone' });
    expect(ids(lib.similar(q, 5))).toEqual(ids(before));
  });

  it('sees a re-ingest that gives new vectors to the same clip ids', () => {
    // Deleting the newest clips and inserting new ones reuses their rowids: a check by ids alone
    // would keep the old vectors.
    const rng = createRng(7);
    const vectors = clustered(rng, 2, 10);
    const clipIds = ingest(lib, vectors, 10, '/v/r');
    const q = clipIds[0]!;
    const last = clipIds.slice(10);
    expect(ids(lib.similar(q, 5)).every((id) => !last.includes(id))).toBe(true);

    const nudge = gaussian(rng);
    const lastVideo = Array.from({ length: 10 }, (_v, i) => (i === 0 ? unit(vectors[0]!.map((x, j) => x + 0.05 * nudge[j]!)) : gaussian(rng)));
    const again = lib.storeIngest(ingestInput('/v/r-1.mp4', lastVideo.map((e, i) => clip(i * 2, i * 2 + 2, [], { embedding: e })))).clipIds;
    expect(again).toEqual(last);
    const hits = lib.similar(q, 5);
    expect(hits[0]!.clipId).toBe(again[0]);
    expect(ids(hits)).toEqual(ids(exact(lib, q, 5)));
  });

  it('sees writes made through a second connection to the same library', () => {
    const rng = createRng(8);
    const vectors = clustered(rng, 3, 10);
    const clipIds = ingest(lib, vectors, 10);
    const reader = openLibrary(dir, { readonly: true });
    const writer = openLibrary(dir);
    others.push(reader, writer);
    const q = clipIds[12]!;
    expect(ids(reader.similar(q, 5))).toEqual(ids(exact(lib, q, 5)));
    expect(ids(lib.similar(q, 5))).toEqual(ids(exact(lib, q, 5)));

    const twin = unit(vectors[12]!.map((x, i) => x + 0.01 * Math.cos(i)));
    const [twinId] = writer.storeIngest(ingestInput('/v/elsewhere.mp4', [clip(0, 2, [], { embedding: twin })])).clipIds;
    expect(reader.similar(q, 5)[0]!.clipId).toBe(twinId);
    expect(lib.similar(q, 5)[0]!.clipId).toBe(twinId);

    writer.markMediaError({ path: '/v/elsewhere.mp4', fileName: 'elsewhere.mp4', sizeBytes: 1, mtimeMs: 1, contentHash: null, error: 'gone' });
    expect(ids(reader.similar(q, 5))).not.toContain(twinId);
    expect(ids(lib.similar(q, 5))).not.toContain(twinId);
  });

  it('backfills the sketches of clips that have none, in the table when it can write', () => {
    const clipIds = ingest(lib, clustered(createRng(9), 5, 10), 10);
    const stored = lib.db.prepare('SELECT clip_id, vector FROM clip_sketches ORDER BY clip_id').all();
    lib.db.exec('DELETE FROM clip_sketches WHERE clip_id % 3 != 0');
    // A sketch of the wrong size (a bug, or a future dimension) is recomputed, not trusted.
    lib.db.prepare('UPDATE clip_sketches SET vector = ? WHERE clip_id = ?').run(Buffer.alloc(16), clipIds[2]);
    expect(sketchRows(lib)).toBeLessThan(clipIds.length);

    // A fresh index, as after opening the library.
    const index = new SimilarIndex(lib.db, { minCandidates: 10, candidatesPerResult: 1 });
    for (const q of [clipIds[0]!, clipIds[1]!, clipIds[2]!, clipIds[44]!]) expect(ids(index.query(q, 8))).toEqual(ids(exact(lib, q, 8)));
    expect(lib.db.prepare('SELECT clip_id, vector FROM clip_sketches ORDER BY clip_id').all()).toEqual(stored);
  });

  it('backfills in memory only when the library is read-only, and still answers exactly', () => {
    const clipIds = ingest(lib, clustered(createRng(10), 5, 10), 10);
    lib.db.exec('DELETE FROM clip_sketches');
    const reader = openLibrary(dir, { readonly: true });
    others.push(reader);
    const index = new SimilarIndex(reader.db, { minCandidates: 10, candidatesPerResult: 1 });
    for (const q of [clipIds[0]!, clipIds[27]!]) expect(ids(index.query(q, 8))).toEqual(ids(exact(lib, q, 8)));
    expect(sketchRows(lib)).toBe(0);

    // A reload (another process wrote a sketch) keeps the computed ones and sees the new clip.
    const twin = unit(decodeEmbedding(lib.db.prepare('SELECT vector FROM clip_embeddings WHERE clip_id = ?').pluck().get(clipIds[27]) as Buffer).map((x, i) => x + 0.01 * Math.sin(i)));
    const [twinId] = lib.storeIngest(ingestInput('/v/late.mp4', [clip(0, 2, [], { embedding: twin })])).clipIds;
    expect(sketchRows(lib)).toBe(1);
    expect(index.query(clipIds[27]!, 8)[0]!.clipId).toBe(twinId);
    expect(ids(index.query(clipIds[0]!, 8))).toEqual(ids(exact(lib, clipIds[0]!, 8)));
  });

  it('backfills a library written by version 1 on its first query after the upgrade', () => {
    lib.close();
    cleanup();
    const t = tempDir();
    dir = t.dir;
    cleanup = t.cleanup;
    const v1 = new Database(path.join(dir, LIBRARY_FILE));
    migrate(v1, 1);
    v1.prepare(`INSERT INTO media (id, path, file_name, size_bytes, mtime_ms, status, added_at, updated_at) VALUES (1, '/v/old.mp4', 'old.mp4', 1, 1, 'ok', 1, 1)`).run();
    const vectors = clustered(createRng(11), 3, 8);
    vectors.forEach((e, i) => {
      v1.prepare('INSERT INTO clips (id, media_id, idx, start_sec, end_sec, start_frame, end_frame) VALUES (?, 1, ?, ?, ?, ?, ?)').run(i + 1, i, i, i + 1, i * 25, i * 25 + 24);
      v1.prepare('INSERT INTO clip_embeddings (clip_id, vector) VALUES (?, ?)').run(i + 1, encodeEmbedding(e));
    });
    v1.close();

    lib = openLibrary(dir);
    expect(sketchRows(lib)).toBe(0);
    expect(ids(lib.similar(9, 5))).toEqual(ids(exact(lib, 9, 5)));
    expect(sketchRows(lib)).toBe(24);
    const row = lib.db.prepare('SELECT vector FROM clip_sketches WHERE clip_id = 9').pluck().get() as Buffer;
    expect(row.length).toBe(SKETCH_DIM * 4);
    expect(decodeEmbedding(row)).toEqual(sketchOf(vectors[8]!));
    // The backfill's own writes do not make the next query reload the sketches.
    const prepare = vi.spyOn(lib.db, 'prepare');
    expect(ids(lib.similar(1, 5))).toEqual(ids(exact(lib, 1, 5)));
    expect(prepare.mock.calls.filter(([sql]) => sql.includes('FROM clip_sketches'))).toEqual([]);
    prepare.mockRestore();
  });
});

describe('nearestSketches', () => {
  it('returns exactly the rows with the largest dot products', () => {
    const rng = createRng(12);
    const n = 3000;
    const sketches = new Float32Array(n * SKETCH_DIM).map(() => rng() - 0.5);
    // Ids unrelated to row numbers, as after a backfill appends rows.
    const rowIds = Float64Array.from({ length: n }, (_v, i) => (i * 7919) % 100_003);
    const q = new Float32Array(SKETCH_DIM).map(() => rng() - 0.5);
    const dot = (row: number) => sketches.subarray(row * SKETCH_DIM, (row + 1) * SKETCH_DIM).reduce((s, x, i) => s + x * q[i]!, 0);
    const byScore = Array.from({ length: n }, (_v, r) => r).sort((a, b) => dot(b) - dot(a)).map((r) => rowIds[r]!);
    for (const k of [1, 7, 240, n]) {
      expect(nearestSketches(rowIds, sketches, q, k).sort((a, b) => a - b)).toEqual(byScore.slice(0, k).sort((a, b) => a - b));
    }
    expect(nearestSketches(rowIds, sketches, q, n + 10)).toHaveLength(n);
    expect(nearestSketches(rowIds.subarray(0, 0), sketches.subarray(0, 0), q, 5)).toEqual([]);
  });
});
