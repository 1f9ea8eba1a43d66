// "More like this": the clips whose mean embeddings are closest (cosine) to one clip's.
//
// How: every clip's 128-d sketch (sketch.ts) sits in memory as one Float32Array, read on the first
// query and read again whenever sketch_generation moved (any process's write). A query scans all
// sketches for the best C = max(10 × limit, 384) by dot product, then re-ranks those candidates
// on their full 1792-d embeddings (one keyed read) by exact cosine. Brute force, no ANN graph: at
// 100 000 clips the scan is ~7 ms and the re-rank ~2-4 ms, so there is nothing to win that would
// pay for an index that must be built, persisted and kept in step with every ingest.
//
// Why, measured with `reeltag bench --similar` (synthetic 100k library) on the 2-core dev machine:
// - This index: p50 ~12 ms, p95 ~20 ms with the cores otherwise lightly used (load average 4),
//   p50 34 / p95 99 ms at load average 8.5 (other engineers' training and browser tests). The
//   first query reads the 51 MB block in ~180 ms; the first after a write reloads in ~70 ms.
// - The ceiling, exact brute force over the full embeddings already in memory: p50 ~110-160 ms
//   and 684 MB. The first version, the same brute force reading them from SQLite: 2-3.5 s.
// - Recall@10 against that exact answer: 0.997 with C = 240, 1.000 with C = 384 (+~2 ms of
//   re-ranking) on videos of up to 300 near-identical clips; hence at least 384.
// - int8 sketches: 13 MB instead of 51 MB and the same recall, but V8 does not vectorise either
//   loop, so the int8 scan measured ~25 % slower, and quantising on every (re)load cost ~400 ms;
//   float32 loads as a plain byte copy. (A WASM SIMD int8 scan would be the next lever; not needed.)
// - sqlite-vec 0.1.9 (tried from npm, not a dependency): a vec0 float[1792] table answered a
//   k = 25 query in ~400-470 ms (p50), a vec0 float[128] table of the sketches gave the
//   candidates alone in ~70-90 ms, a vec_distance_cosine scan of clip_embeddings ~880 ms; the
//   full-dimension table also took 15 s to fill and duplicated 700 MB of embeddings on disk.
//   It is a loadable SQLite extension rather than a Node addon (no rebuild for Electron's ABI),
//   but one more native file per platform to unpack from the asar, and pre-1.0.
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
   * max(candidatesPerResult × limit, minCandidates). Defaults 10 and 384 (see the top).
   */
  candidatesPerResult?: number;
  minCandidates?: number;
}

/** The sketches of one generation of clip_sketches, as one block of memory. */
interface Snapshot {
  generation: number;
  /** Clip ids in no particular order; row i of `sketches` belongs to ids[i]. */
  ids: Float64Array;
  /** ids.length × SKETCH_DIM. */
  sketches: Float32Array;
}

const SKETCH_BYTES = SKETCH_DIM * 4;
// The scan below takes four dimensions a step.
if (SKETCH_DIM % 4 !== 0) throw new Error(`similar: SKETCH_DIM ${SKETCH_DIM} is not a multiple of 4`);
/** Sketches per statement when loading: 512 KB blobs; larger chunks measured no faster. */
const LOAD_CHUNK = 1024;

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
    this.minCandidates = opts.minCandidates ?? 384;
  }

  /** Up to `limit` clips most similar to `clipId`, best first, never the clip itself; [] when it has no embedding. */
  query(clipId: number, limit: number): SimilarHit[] {
    const want = Math.floor(limit);
    if (!(want >= 1)) return [];
    const blob = this.db.prepare('SELECT vector FROM clip_embeddings WHERE clip_id = ?').pluck().get(clipId) as Buffer | undefined;
    if (!blob) return [];
    const q = decodeEmbedding(blob);
    if (q.length !== EMBEDDING_DIM) return [];
    const snap = this.current();
    // The stored sketch is sketchOf this same embedding, so recomputing it (0.25 ms) gives the
    // same floats without needing a lookup by id into the block; +1 candidate for the clip itself,
    // which re-ranking drops.
    const n = Math.max(want * this.perResult, this.minCandidates) + 1;
    const candidates = nearestSketches(snap.ids, snap.sketches, sketchOf(q), n);
    return this.rerank(q, clipId, candidates, want);
  }

  /**
   * How much every clip looks like the nearest of `clipIds` (the max cosine of their sketches), for
   * ordering a custom tag's review: among clips the head is equally sure about, the ones that look
   * most like the user's examples come first. Clips without a sketch are absent.
   */
  likeness(clipIds: readonly number[]): Map<number, number> {
    const out = new Map<number, number>();
    if (clipIds.length === 0) return out;
    const blobs = this.db
      .prepare('SELECT vector FROM clip_embeddings WHERE clip_id IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(JSON.stringify(clipIds)) as Buffer[];
    const refs = blobs.map(decodeEmbedding).filter((v) => v.length === EMBEDDING_DIM).map(sketchOf);
    if (refs.length === 0) return out;
    const snap = this.current();
    for (let row = 0; row < snap.ids.length; row++) {
      const at = row * SKETCH_DIM;
      let best = -1;
      for (const r of refs) {
        let dot = 0;
        for (let i = 0; i < SKETCH_DIM; i++) dot += snap.sketches[at + i]! * r[i]!;
        if (dot > best) best = dot;
      }
      out.set(snap.ids[row]!, best);
    }
    return out;
  }

  /** The loaded snapshot, reloaded first when clip_sketches changed since (in any process). */
  private current(): Snapshot {
    const generation = this.generation();
    if (this.snapshot?.generation !== generation) {
      // The new sketches are read into the old block's memory: a reload then never holds two
      // blocks (100 MB at 100k clips), and skips allocating and zeroing a new one. Dropped first,
      // so a load that fails halfway leaves no half-overwritten snapshot behind.
      const old = this.snapshot;
      this.snapshot = undefined;
      this.snapshot = this.load(old);
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
  private load(recycle: Snapshot | undefined): Snapshot {
    const read = this.db
      .transaction(() => {
        const generation = this.generation();
        // Every sketch belongs to a clip (foreign key), so this bounds the rows; counting clips
        // walks a small index, counting clip_sketches would walk every sketch page.
        const clips = this.db.prepare('SELECT count(*) FROM clips').pluck().get() as number;
        const block = new Block(clips, recycle);
        // Whole chunks of sketches come back as one blob each: measured 2-3× faster than a row
        // per sketch (better-sqlite3 builds a Buffer and an array per row). group_concat appends
        // each blob's bytes unchanged (a UTF-8 library does no transcoding), and the id list is
        // aggregated over the same rows in the same order, so row i of the blob is ids[i].
        const chunk = this.db.prepare(
          `SELECT count(*) AS n, max(clip_id) AS last, json_group_array(clip_id) AS ids, CAST(group_concat(vector, '') AS BLOB) AS bytes
           FROM (SELECT clip_id, vector FROM clip_sketches WHERE clip_id > ? AND length(vector) = ${SKETCH_BYTES} ORDER BY clip_id LIMIT ${LOAD_CHUNK})`,
        );
        for (let after = -Infinity; ; ) {
          const r = chunk.get(after) as { n: number; last: number | null; ids: string; bytes: Buffer | null };
          if (r.n === 0 || r.last === null || r.bytes === null) break;
          block.append(JSON.parse(r.ids) as number[], r.bytes);
          after = r.last;
        }
        // Clips without a (well-formed) sketch: none in a library written by this version where
        // every clip has an embedding, and then the counts say so without another scan.
        const missing =
          block.size === clips
            ? []
            : (this.db
                .prepare(`SELECT c.id FROM clips c WHERE NOT EXISTS (SELECT 1 FROM clip_sketches s WHERE s.clip_id = c.id AND length(s.vector) = ${SKETCH_BYTES})`)
                .pluck()
                .all() as number[]);
        return { generation, block, ...this.sketchesFor(missing) };
      })
      .deferred();

    for (const [id, sketch] of read.extra) read.block.add(id, sketch);
    // From here on the cache holds the sketches that are still missing from the table.
    this.computed = read.extra;
    let generation = read.generation;
    if (read.fresh.length > 0 && !this.db.readonly) {
      const written = this.backfill(read.fresh, read.generation);
      if (written !== undefined) generation = written;
    }
    return { generation, ...read.block.done() };
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
          `INSERT INTO clip_sketches (clip_id, vector) SELECT @id, @vector WHERE EXISTS (SELECT 1 FROM clip_embeddings WHERE clip_id = @id)
           ON CONFLICT (clip_id) DO UPDATE SET vector = excluded.vector WHERE length(vector) != ${SKETCH_BYTES}`,
        );
        for (const [id, sketch] of fresh) {
          if (upsert.run({ id, vector: encodeEmbedding(sketch) }).changes > 0) this.computed.delete(id);
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

/**
 * Ids of the `count` rows of `sketches` (SKETCH_DIM floats each, row i is ids[i]) with the largest
 * dot product with `q`, in no particular order. One pass over the block with a min-heap of the
 * best so far: after the first few thousand rows almost every row loses to the heap's root in one
 * comparison.
 */
export function nearestSketches(ids: Float64Array, sketches: Float32Array, q: Float32Array, count: number): number[] {
  const n = ids.length;
  const k = Math.min(count, n);
  if (k <= 0) return [];
  const heapScore = new Float64Array(k);
  const heapRow = new Int32Array(k);
  let size = 0;
  const d = SKETCH_DIM;
  for (let r = 0, o = 0; r < n; r++, o += d) {
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

/** A growing block of sketches with their clip ids. */
class Block {
  private ids: Float64Array;
  private sketches: Float32Array;
  size = 0;

  /** Reuses `recycle`'s memory when it fits `capacity` and is not more than twice as big. */
  constructor(capacity: number, recycle?: { ids: Float64Array; sketches: Float32Array }) {
    const old = recycle && recycle.ids.buffer.byteLength / 8;
    if (recycle && old !== undefined && old >= capacity && old <= 2 * Math.max(capacity, 1024)) {
      this.ids = new Float64Array(recycle.ids.buffer);
      this.sketches = new Float32Array(recycle.sketches.buffer);
    } else {
      this.ids = new Float64Array(capacity);
      this.sketches = new Float32Array(capacity * SKETCH_DIM);
    }
  }

  /** `bytes` holds ids.length float32 LE sketches back to back, as embedding-codec writes them. */
  append(ids: number[], bytes: Buffer): void {
    if (bytes.length !== ids.length * SKETCH_BYTES) throw new Error(`similar: ${ids.length} sketches came back as ${bytes.length} bytes`);
    this.reserve(ids.length);
    new Uint8Array(this.sketches.buffer).set(bytes, this.size * SKETCH_BYTES);
    this.ids.set(ids, this.size);
    this.size += ids.length;
  }

  add(id: number, sketch: Float32Array): void {
    this.reserve(1);
    this.sketches.set(sketch, this.size * SKETCH_DIM);
    this.ids[this.size++] = id;
  }

  done(): { ids: Float64Array; sketches: Float32Array } {
    return { ids: this.ids.subarray(0, this.size), sketches: this.sketches.subarray(0, this.size * SKETCH_DIM) };
  }

  /** Only grows when sketches outnumber clips: rows written with foreign keys off. */
  private reserve(more: number): void {
    if (this.size + more <= this.ids.length) return;
    const capacity = Math.max(2 * this.ids.length, this.size + more);
    const ids = new Float64Array(capacity);
    ids.set(this.ids.subarray(0, this.size));
    const sketches = new Float32Array(capacity * SKETCH_DIM);
    sketches.set(this.sketches.subarray(0, this.size * SKETCH_DIM));
    this.ids = ids;
    this.sketches = sketches;
  }
}
