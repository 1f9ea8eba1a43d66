// `reeltag bench --similar`: "more like this" latency at library sizes the UI must handle.
// For each size, a synthetic library is written straight into real tables (media, clips,
// clip_embeddings, clip_sketches: the schema openLibrary migrates), reopened, and queried like
// the UI queries it (lib.similar(id, 24)). The ceiling, measured in the same run on the same
// vectors, is exact brute force over every full embedding already held in memory: the best an
// approach without an index can do. It also gives the exact answers recall@10 is scored against.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LIMITS } from '../../../shared/contract.js';
import { EMBEDDING_DIM, encodeEmbedding } from '../../core/library/embedding-codec.js';
import { openLibrary, type Library } from '../../core/library/index.js';
import { SKETCH_DIM, sketchOf } from '../../core/library/sketch.js';
import { createRng, type Rng } from '../../core/random.js';
import { UsageError } from '../args.js';
import type { CliIO } from '../io.js';
import { latencyStats, type LatencyStats } from './bench-load.js';
import { queryPhaseInChild } from './bench-similar-queries.js';

/** What the UI asks for (DEFAULT_SIMILAR in the worker backend). */
const LIMIT = 24;
const QUERIES = 200;
/** Queries at the contract's largest limit, where re-ranking reads the most embeddings. */
const MAX_LIMIT_QUERIES = 50;
const RECALL_AT = 10;

export interface SimilarBenchOptions {
  sizes: number[];
  /** Leave the temp folder in place. */
  keep: boolean;
  seed: number;
  log: (line: string) => void;
}

export interface SimilarSizeBench {
  clips: number;
  videos: number;
  /** Writing the synthetic library (embeddings, sketches, rows). */
  buildMs: number;
  libraryMB: number;
  /** See QueryPhaseResult. */
  firstQueryMs: number;
  reloadQueryMs: number;
  similar: LatencyStats;
  /** lib.similar(id, LIMITS.similar): the most candidates a request can ask to re-rank. */
  similarAtMaxLimit: LatencyStats;
  /** Share of the exact top 10 that the index returned, averaged over the queries. */
  recallAt10: number;
  /** The query phase's process: resident memory before it opened the library, and its high-water mark. */
  rssBaselineMB: number;
  rssPeakMB: number;
  /** The sketch block the index holds: clips × (SKETCH_DIM float32 + a float64 id). */
  indexMB: number;
  ceiling: {
    /** Reading every full embedding into one block (not counted in the query times). */
    loadMs: number;
    memoryMB: number;
    exact: LatencyStats;
  };
  /** Ceiling p50 over index p50: how many times faster the index answers. */
  speedup: number;
  /** The 1-minute load average when the queries ended, and the cores: this machine is shared. */
  loadAverage: number;
  cores: number;
}

export function parseSizes(value: string | undefined): number[] {
  if (value === undefined) return [10_000, 100_000];
  const sizes = value.split(',').map((s) => Number(s.trim().replaceAll('_', '')));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 2 * LIMIT)) {
    throw new UsageError(`--similar-sizes takes whole numbers of clips, each at least ${2 * LIMIT}, e.g. 10000,100000 (got "${value}")`);
  }
  return sizes;
}

export async function similarBenchCommand(
  values: { json: boolean; keep: boolean; 'similar-sizes'?: string | undefined },
  positionals: string[],
  io: CliIO,
): Promise<number> {
  if (positionals.length > 0) throw new UsageError('--similar measures generated libraries only: leave out the files');
  const log = (s: string) => (values.json ? io.err(s) : io.out(s));
  const results = await runSimilarBench({ sizes: parseSizes(values['similar-sizes']), keep: values.keep, seed: 1, log });
  if (values.json) io.out(JSON.stringify({ similar: results }));
  else printSimilar(results, io.out);
  return 0;
}

export async function runSimilarBench(opts: SimilarBenchOptions): Promise<SimilarSizeBench[]> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'reeltag-bench-similar-'));
  try {
    const out: SimilarSizeBench[] = [];
    for (const size of opts.sizes) {
      const dir = path.join(tmp, `library-${size}`);
      out.push(await benchSize(dir, size, opts));
      if (!opts.keep) await fs.rm(dir, { recursive: true, force: true });
    }
    return out;
  } finally {
    if (!opts.keep) await fs.rm(tmp, { recursive: true, force: true });
    else opts.log(`kept ${tmp}`);
  }
}

async function benchSize(dir: string, size: number, opts: SimilarBenchOptions): Promise<SimilarSizeBench> {
  const rng = createRng(opts.seed + size);
  opts.log(`writing a library of ${size.toLocaleString('en')} clips (1792-d embeddings and their sketches)…`);
  let t0 = performance.now();
  const writer = openLibrary(dir);
  let videos: number;
  try {
    videos = writeLibrary(writer, size, rng);
  } finally {
    writer.close();
  }
  const buildMs = performance.now() - t0;
  const libraryMB = await sizeMB(dir);

  const ids = Array.from({ length: size }, (_v, i) => i + 1);
  const queries = Array.from({ length: QUERIES }, () => ids[Math.floor(rng() * size)]!);

  opts.log(`querying it ${QUERIES} times (in a fresh process, so its peak RSS is the index's)…`);
  const phase = await queryPhaseInChild({ dir, queries, limit: LIMIT, maxLimitQueries: MAX_LIMIT_QUERIES });

  opts.log('exact brute force over every full embedding in memory (the ceiling)…');
  t0 = performance.now();
  const all = readEmbeddings(dir, size);
  const ceilingLoadMs = performance.now() - t0;
  const exactTimes: number[] = [];
  let recall = 0;
  queries.forEach((id, i) => {
    t0 = performance.now();
    const exact = exactNearest(all, id - 1, LIMIT);
    exactTimes.push(performance.now() - t0);
    const truth = new Set(exact.slice(0, RECALL_AT).map((row) => row + 1));
    recall += phase.found[i]!.slice(0, RECALL_AT).filter((c) => truth.has(c)).length / Math.min(RECALL_AT, truth.size);
  });

  const similar = latencyStats(phase.times);
  const exact = latencyStats(exactTimes);
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  return {
    clips: size,
    videos,
    buildMs: Math.round(buildMs),
    libraryMB,
    firstQueryMs: round1(phase.firstQueryMs),
    reloadQueryMs: round1(phase.reloadQueryMs),
    similar,
    similarAtMaxLimit: latencyStats(phase.maxLimitTimes),
    recallAt10: Math.round((recall / queries.length) * 1000) / 1000,
    rssBaselineMB: phase.rssBaselineMB,
    rssPeakMB: phase.rssPeakMB,
    indexMB: mb(size * (SKETCH_DIM * 4 + 8)),
    ceiling: { loadMs: Math.round(ceilingLoadMs), memoryMB: mb(all.byteLength), exact },
    speedup: round1(exact.p50Ms / Math.max(similar.p50Ms, 0.01)),
    loadAverage: Math.round(phase.loadAverage * 100) / 100,
    cores: os.availableParallelism(),
  };
}

/**
 * Embeddings shaped like a real library's: a component every clip shares (CNN features are
 * non-negative, so unrelated clips still agree ~0.4), then topic, video and scene components,
 * then the clip's own. Expected cosine: unrelated ≈ 0.40, same topic ≈ 0.55, same video ≈ 0.75,
 * same scene ≈ 0.88, so the true neighbours are the scene, then the rest of the video. Videos of
 * 10..300 clips put up to a few hundred near-equals around a query: what the candidate count has
 * to survive. Rows go straight in with SQL, big transactions, clip ids 1..size.
 */
function writeLibrary(lib: Library, size: number, rng: Rng): number {
  const weights = { common: Math.sqrt(0.4), topic: Math.sqrt(0.15), video: Math.sqrt(0.2), scene: Math.sqrt(0.13), clip: Math.sqrt(0.12) };
  const common = randomVector(rng);
  const topics = Array.from({ length: 50 }, () => randomVector(rng));
  const { db } = lib;
  const insertMedia = db.prepare(
    `INSERT INTO media (path, file_name, content_hash, size_bytes, mtime_ms, status, added_at, updated_at)
     VALUES (?, ?, ?, 1000000, 0, 'ok', 0, 0)`,
  );
  const insertClip = db.prepare(
    `INSERT INTO clips (id, media_id, idx, start_sec, end_sec, start_frame, end_frame, start_transition, end_transition)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'cut', 'cut')`,
  );
  const insertEmbedding = db.prepare('INSERT INTO clip_embeddings (clip_id, vector) VALUES (?, ?)');
  const insertSketch = db.prepare('INSERT INTO clip_sketches (clip_id, vector) VALUES (?, ?)');
  const v = new Float32Array(EMBEDDING_DIM);
  let id = 0;
  let videos = 0;
  while (id < size) {
    const video = videos++;
    const topic = topics[Math.floor(rng() * topics.length)]!;
    const videoVec = randomVector(rng);
    const clips = Math.min(size - id, 10 + Math.floor(rng() * 291));
    const name = `video-${String(video).padStart(5, '0')}.mp4`;
    lib.transaction(() => {
      const hash = createHash('sha256').update(name).digest('hex');
      const mediaId = Number(insertMedia.run(`/bench/${name}`, name, hash).lastInsertRowid);
      let sceneVec = randomVector(rng);
      for (let idx = 0; idx < clips; idx++) {
        if (idx > 0 && rng() < 1 / 6) sceneVec = randomVector(rng);
        const noise = randomVector(rng);
        let norm = 0;
        for (let i = 0; i < EMBEDDING_DIM; i++) {
          const x = weights.common * common[i]! + weights.topic * topic[i]! + weights.video * videoVec[i]! + weights.scene * sceneVec[i]! + weights.clip * noise[i]!;
          v[i] = x;
          norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (let i = 0; i < EMBEDDING_DIM; i++) v[i]! /= norm;
        id++;
        insertClip.run(id, mediaId, idx, idx * 4, idx * 4 + 4, idx * 100, idx * 100 + 99);
        insertEmbedding.run(id, encodeEmbedding(v));
        insertSketch.run(id, encodeEmbedding(sketchOf(v)));
      }
    });
  }
  return videos;
}

/** Uniform entries of variance 1/EMBEDDING_DIM: length ≈ 1, and in 1792 dimensions the
 * direction is as good as uniform (and ~5× cheaper than Gaussian draws). */
function randomVector(rng: Rng): Float32Array {
  const v = new Float32Array(EMBEDDING_DIM);
  const a = Math.sqrt(3 / EMBEDDING_DIM);
  for (let i = 0; i < EMBEDDING_DIM; i++) v[i] = (2 * rng() - 1) * a;
  return v;
}

/** Every embedding in one block, row = clip id - 1. */
function readEmbeddings(dir: string, size: number): Float32Array {
  const lib = openLibrary(dir, { readonly: true });
  try {
    const all = new Float32Array(size * EMBEDDING_DIM);
    const bytes = new Uint8Array(all.buffer);
    for (const [id, vector] of lib.db.prepare('SELECT clip_id, vector FROM clip_embeddings').raw().iterate() as Iterable<[number, Buffer]>) {
      bytes.set(vector, (id - 1) * EMBEDDING_DIM * 4);
    }
    return all;
  } finally {
    lib.close();
  }
}

/** Rows of the `k` best dot products with row `q`, best first: a full scan with the same four-accumulator loop and top-k heap the index uses. */
function exactNearest(all: Float32Array, q: number, k: number): number[] {
  const d = EMBEDDING_DIM;
  const n = all.length / d;
  const qo = q * d;
  const score = new Float64Array(k);
  const rows = new Int32Array(k);
  let size = 0;
  for (let r = 0, o = 0; r < n; r++, o += d) {
    if (r === q) continue;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < d; i += 4) {
      s0 += all[o + i]! * all[qo + i]!;
      s1 += all[o + i + 1]! * all[qo + i + 1]!;
      s2 += all[o + i + 2]! * all[qo + i + 2]!;
      s3 += all[o + i + 3]! * all[qo + i + 3]!;
    }
    const s = s0 + s1 + s2 + s3;
    if (size < k || s > score[k - 1]!) {
      // Insertion into a sorted (descending) list: k is small. When full, the last one drops out.
      let i = size < k ? size++ : k - 1;
      while (i > 0 && score[i - 1]! < s) {
        score[i] = score[i - 1]!;
        rows[i] = rows[i - 1]!;
        i--;
      }
      score[i] = s;
      rows[i] = r;
    }
  }
  return Array.from(rows.subarray(0, size));
}

async function sizeMB(dir: string): Promise<number> {
  let total = 0;
  for (const f of await fs.readdir(dir)) total += (await fs.stat(path.join(dir, f))).size;
  return Math.round(total / 2 ** 20);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

export function printSimilar(results: SimilarSizeBench[], out: (line: string) => void): void {
  out('');
  out(`more like this: lib.similar(id, ${LIMIT}), ${QUERIES} random queries per size; recall against exact brute force`);
  out('');
  out('     clips   first query   reload   p50 ms   p95 ms   max ms   recall@10   exact p50 ms   × faster   index MB   RSS MB (baseline → peak)');
  for (const r of results) {
    out(
      `${r.clips.toLocaleString('en').padStart(10)}` +
        `${`${r.firstQueryMs.toFixed(0)} ms`.padStart(14)}` +
        `${`${r.reloadQueryMs.toFixed(0)} ms`.padStart(9)}` +
        `${r.similar.p50Ms.toFixed(2).padStart(9)}` +
        `${r.similar.p95Ms.toFixed(2).padStart(9)}` +
        `${r.similar.maxMs.toFixed(1).padStart(9)}` +
        `${r.recallAt10.toFixed(3).padStart(12)}` +
        `${r.ceiling.exact.p50Ms.toFixed(1).padStart(15)}` +
        `${`${r.speedup.toFixed(1)}×`.padStart(11)}` +
        `${String(r.indexMB).padStart(11)}` +
        `   ${r.rssBaselineMB} → ${r.rssPeakMB}`,
    );
  }
  out('');
  for (const r of results) {
    out(`  ${r.clips.toLocaleString('en')} clips: at limit ${LIMITS.similar} p50 ${r.similarAtMaxLimit.p50Ms.toFixed(2)} ms, p95 ${r.similarAtMaxLimit.p95Ms.toFixed(2)} ms; ` +
      `load average ${r.loadAverage.toFixed(2)} on ${r.cores} cores`);
    out(`  ${r.clips.toLocaleString('en')} clips in ${r.videos} videos: library ${r.libraryMB} MB written in ${(r.buildMs / 1000).toFixed(1)} s; ` +
      `the ceiling read ${r.ceiling.memoryMB} MB of embeddings in ${(r.ceiling.loadMs / 1000).toFixed(1)} s before its first query`);
  }
  out('  first query: opening read of every sketch (after a fresh open); reload: the first query after clip_sketches changed');
}
