// "More like this": the clips whose mean embeddings are closest (cosine) to one clip's.
//
// WHY THIS INDEX: TODO (measured figures).
import Database from 'better-sqlite3';
import { writeTx, type Db } from './context.js';
import { decodeEmbedding, EMBEDDING_DIM, encodeEmbedding } from './embedding-codec.js';
import { SKETCH_DIM, sketchOf } from './sketch.js';

export interface SimilarHit {
  clipId: number;
  /** Cosine similarity of the clips' mean embeddings, -1..1. */
  score: number;
}

export interface SimilarOptions {
  /**
   * How many sketch-nearest clips are re-ranked on their full embeddings for a query of `limit`:
   * max(candidatesPerResult × limit, minCandidates). Defaults 10 and 200.
   */
  candidatesPerResult?: number;
  minCandidates?: number;
}

/** The sketches of one generation of clip_sketches, as one block of memory. */
interface Snapshot {
  generation: number;
  /** Clip ids, ascending (binary search finds the query's row). */
  ids: Float64Array;
  /** ids.length × SKETCH_DIM, row i is the sketch of ids[i]. */
  sketches: Float32Array;
}

const SKETCH_BYTES = SKETCH_DIM * 4;
// The scan below takes four dimensions a step.
if (SKETCH_DIM % 4 !== 0) throw new Error(`similar: SKETCH_DIM ${SKETCH_DIM} is not a multiple of 4`);

export class SimilarIndex {
  private snapshot: Snapshot | undefined;
  /**
   * Sketches this index computed for clips whose row in clip_sketches is missing (libraries
   * written by version 1), so a read-only library (or a failed backfill) pays for them once, not
   * on every reload. Safe to keep across reloads: only a version-1 writer stores an embedding
   * without its sketch, and a version-1 Reeltag cannot open this library any more, so these
   * clips' embeddings never change.
   */
  private computed = new Map<number, Float32Array>();
  private readonly perResult: number;
  private readonly minCandidates: number;

  constructor(
    private readonly db: Db,
    opts: SimilarOptions = {},
  ) {
    this.perResult = opts.candidatesPerResult ?? 10;
    this.minCandidates = opts.minCandidates ?? 200;
  }

  /** Up to `limit` clips most similar to `clipId`, best first, never the clip itself; [] when it has no embedding. */
  query(clipId: number, limit: number): SimilarHit[] {
    const want = Math.floor(limit);
    if (!(want >= 1)) return [];
    const blob = this.db.prepare('SELECT vector FROM clip_embeddings WHERE clip_id = ?').pluck().get(clipId) as Buffer | undefined;
    if (!blob) return [];
    const q = decodeEmbedding(blob);
    const snap = this.current();
    const row = findRow(snap.ids, clipId);
    if (row < 0 && q.length !== EMBEDDING_DIM) return [];
    const qSketch = row >= 0 ? snap.sketches.subarray(row * SKETCH_DIM, (row + 1) * SKETCH_DIM) : sketchOf(q);
    const n = Math.max(want * this.perResult, this.minCandidates);
    const candidates = nearestSketches(snap, qSketch, row, n);
    return this.rerank(q, clipId, candidates, want);
  }

  /** The loaded snapshot, reloaded first when clip_sketches changed since (in any process). */
  private current(): Snapshot {
    const generation = this.generation();
    if (this.snapshot?.generation !== generation) {
      // Dropped first, so the old block can be collected while the new one is read.
      this.snapshot = undefined;
      this.snapshot = this.load();
    }
    return this.snapshot;
  }

  private generation(): number {
    return this.db.prepare('SELECT generation FROM sketch_generation WHERE id = 1').pluck().get() as number;
  }

  /**
   * Reads every sketch in one read transaction (one consistent generation), then fills in the
   * clips that have an embedding but no sketch, writing those rows back when the library is
   * writable so the next load (and other processes) find them.
   */
  private load(): Snapshot {
    const read = this.db
      .transaction(() => {
        const generation = this.generation();
        const total = this.db.prepare('SELECT count(*) FROM clip_sketches').pluck().get() as number;
        const ids = new Float64Array(total);
        const sketches = new Float32Array(total * SKETCH_DIM);
        const bytes = new Uint8Array(sketches.buffer);
        const bad: number[] = [];
        let n = 0;
        for (const [id, vector] of this.db.prepare('SELECT clip_id, vector FROM clip_sketches ORDER BY clip_id').raw().iterate() as Iterable<[number, Buffer]>) {
          if (vector.length !== SKETCH_BYTES) {
            bad.push(id);
            continue;
          }
          // Sketches are float32 LE, as embedding-codec writes them; a byte copy is a decode here.
          bytes.set(vector, n * SKETCH_BYTES);
          ids[n++] = id;
        }
        // Scans the small clips table and probes clip_sketches by key; never touches the 7 KB
        // embedding rows of clips that have a sketch.
        const missing = this.db
          .prepare('SELECT c.id FROM clips c WHERE NOT EXISTS (SELECT 1 FROM clip_sketches s WHERE s.clip_id = c.id)')
          .pluck()
          .all() as number[];
        missing.push(...bad);
        return { generation, ids: ids.subarray(0, n), sketches: sketches.subarray(0, n * SKETCH_DIM), ...this.sketchesFor(missing) };
      })
      .deferred();

    // From here on the cache holds the sketches that are still missing from the table.
    this.computed = read.extra;
    let generation = read.generation;
    if (read.fresh.length > 0 && !this.db.readonly) {
      const written = this.backfill(read.fresh, read.generation);
      if (written !== undefined) generation = written;
    }
    if (read.extra.size === 0) return { generation, ids: read.ids, sketches: read.sketches };
    return { generation, ...merge(read.ids, read.sketches, read.extra) };
  }

  /**
   * Sketches for clips that lack one (clips without an embedding have none): from the cache, else
   * computed from the embedding. `fresh` are the ones computed now, the ones worth writing.
   */
  private sketchesFor(missing: number[]): { extra: Map<number, Float32Array>; fresh: Array<[number, Float32Array]> } {
    const extra = new Map<number, Float32Array>();
    const todo: number[] = [];
    for (const id of missing) {
      const known = this.computed.get(id);
      if (known) extra.set(id, known);
      else todo.push(id);
    }
    const fresh: Array<[number, Float32Array]> = [];
    const read = this.db.prepare('SELECT clip_id, vector FROM clip_embeddings WHERE clip_id IN (SELECT value FROM json_each(?))').raw();
    // Chunks keep the id list and the blobs of one statement small.
    for (let i = 0; i < todo.length; i += 1000) {
      for (const [id, vector] of read.iterate(JSON.stringify(todo.slice(i, i + 1000))) as Iterable<[number, Buffer]>) {
        if (vector.length !== EMBEDDING_DIM * 4) continue; // not an embedding this Reeltag can sketch
        const sketch = sketchOf(decodeEmbedding(vector));
        extra.set(id, sketch);
        fresh.push([id, sketch]);
      }
    }
    return { extra, fresh };
  }

  /**
   * Writes computed sketches in one write transaction. Returns the generation the snapshot now
   * matches, or undefined when it cannot tell (another writer got in first: the next query
   * reloads) or the write was refused (busy or read-only: the sketches stay in memory).
   */
  private backfill(fresh: Array<[number, Float32Array]>, readGeneration: number): number | undefined {
    try {
      return writeTx(this.db, () => {
        const before = this.generation();
        // EXISTS: the clip may have been deleted since the read; a bad-length row is replaced.
        const upsert = this.db.prepare(
          `INSERT INTO clip_sketches (clip_id, vector) SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM clip_embeddings WHERE clip_id = ?1)
           ON CONFLICT (clip_id) DO UPDATE SET vector = excluded.vector WHERE length(vector) != ${SKETCH_BYTES}`,
        );
        for (const [id, sketch] of fresh) {
          if (upsert.run(id, encodeEmbedding(sketch)).changes > 0) this.computed.delete(id);
        }
        return before === readGeneration ? this.generation() : undefined;
      });
    } catch (e) {
      // A cache write, not the user's: when another process holds the lock past busy_timeout, or
      // the file turns out read-only, the query still answers from the sketches in memory.
      if (e instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED|READONLY)/.test(e.code)) return undefined;
      throw e;
    }
  }

  /** Exact cosine on the full embeddings of the candidates; the best `limit`, best first. */
  private rerank(q: Float32Array, clipId: number, candidates: number[], limit: number): SimilarHit[] {
    if (candidates.length === 0) return [];
    let qq = 0;
    for (let i = 0; i < q.length; i++) qq += q[i]! * q[i]!;
    const hits: SimilarHit[] = [];
    const rows = this.db
      .prepare('SELECT clip_id, vector FROM clip_embeddings WHERE clip_id IN (SELECT value FROM json_each(?))')
      .raw()
      .iterate(JSON.stringify(candidates)) as Iterable<[number, Buffer]>;
    for (const [id, blob] of rows) {
      if (id === clipId) continue;
      const v = decodeEmbedding(blob);
      if (v.length !== q.length) continue;
      let dot = 0;
      let vv = 0;
      for (let i = 0; i < v.length; i++) {
        dot += v[i]! * q[i]!;
        vv += v[i]! * v[i]!;
      }
      const norm = Math.sqrt(qq * vv);
      hits.push({ clipId: id, score: norm > 0 ? dot / norm : 0 });
    }
    return hits.sort((a, b) => b.score - a.score || a.clipId - b.clipId).slice(0, limit);
  }
}

/** Row of `id` in ascending `ids`, or -1. */
function findRow(ids: Float64Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid]!;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Clip ids of the `count` sketches with the largest dot product with `q`, skipping row `skip`.
 * One pass over the block with a min-heap of the best so far: after the first few thousand rows
 * almost every row loses to the heap's root in one comparison.
 */
function nearestSketches(snap: Snapshot, q: Float32Array, skip: number, count: number): number[] {
  const { ids, sketches } = snap;
  const n = ids.length;
  const k = Math.min(count, n - (skip >= 0 ? 1 : 0));
  if (k <= 0) return [];
  const heapScore = new Float64Array(k);
  const heapRow = new Int32Array(k);
  let size = 0;
  const d = SKETCH_DIM;
  for (let r = 0, o = 0; r < n; r++, o += d) {
    if (r === skip) continue;
    // Four accumulators: measured ~1.6× faster than one (V8 does not vectorise; this breaks the
    // dependency chain between the multiply-adds).
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < d; i += 4) {
      s0 += sketches[o + i]! * q[i]!;
      s1 += sketches[o + i + 1]! * q[i + 1]!;
      s2 += sketches[o + i + 2]! * q[i + 2]!;
      s3 += sketches[o + i + 3]! * q[i + 3]!;
    }
    const s = s0 + s1 + s2 + s3;
    if (size < k) {
      siftUp(heapScore, heapRow, size++, s, r);
    } else if (s > heapScore[0]!) {
      siftDown(heapScore, heapRow, size, s, r);
    }
  }
  const out: number[] = new Array<number>(size);
  for (let i = 0; i < size; i++) out[i] = ids[heapRow[i]!]!;
  return out;
}

/** Inserts (s, r) at slot `at` of a min-heap and restores the order upwards. */
function siftUp(score: Float64Array, row: Int32Array, at: number, s: number, r: number): void {
  let i = at;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (score[parent]! <= s) break;
    score[i] = score[parent]!;
    row[i] = row[parent]!;
    i = parent;
  }
  score[i] = s;
  row[i] = r;
}

/** Replaces the root of a min-heap of `size` with (s, r) and restores the order downwards. */
function siftDown(score: Float64Array, row: Int32Array, size: number, s: number, r: number): void {
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && score[child + 1]! < score[child]!) child++;
    if (score[child]! >= s) break;
    score[i] = score[child]!;
    row[i] = row[child]!;
    i = child;
  }
  score[i] = s;
  row[i] = r;
}

/** The stored sketches plus the computed ones, in one block ordered by clip id. */
function merge(ids: Float64Array, sketches: Float32Array, extra: Map<number, Float32Array>): { ids: Float64Array; sketches: Float32Array } {
  const more = [...extra.keys()].filter((id) => findRow(ids, id) < 0).sort((a, b) => a - b);
  const total = ids.length + more.length;
  const outIds = new Float64Array(total);
  const out = new Float32Array(total * SKETCH_DIM);
  let a = 0;
  let b = 0;
  for (let w = 0; w < total; w++) {
    if (b >= more.length || (a < ids.length && ids[a]! < more[b]!)) {
      outIds[w] = ids[a]!;
      out.set(sketches.subarray(a * SKETCH_DIM, (a + 1) * SKETCH_DIM), w * SKETCH_DIM);
      a++;
    } else {
      outIds[w] = more[b]!;
      out.set(extra.get(more[b]!)!, w * SKETCH_DIM);
      b++;
    }
  }
  return { ids: outIds, sketches: out };
}
