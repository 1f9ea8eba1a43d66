// The "more like this" index key: a 128-d random projection of the clip's 1792-d mean embedding,
// L2-normalised. Random (seeded Gaussian) rather than PCA because it needs no fitting: a sketch
// written today stays comparable with one written next year, whatever the library holds, so
// sketches are computed once at ingest and never rebuilt. Cosine similarity survives the
// projection approximately (Johnson–Lindenstrauss); the index only uses sketches to pick
// candidates and re-ranks them on the full embeddings.
import { createRng } from '../random.js';
import { EMBEDDING_DIM } from './embedding-codec.js';

export const SKETCH_DIM = 128;
/** Changing the seed or the dimension makes every stored sketch wrong: that needs a migration. */
const SEED = 0x5eed_0128;

/**
 * Row-major SKETCH_DIM × EMBEDDING_DIM, entries N(0, 1/SKETCH_DIM). Built on the first sketch, not
 * at import: it costs ~17 ms, and every process that opens a library imports this module. The only
 * module-level variable here, and a cache of a constant: the same seed always builds the same matrix.
 */
let projection: Float32Array | undefined;

export function sketchOf(embedding: Float32Array): Float32Array {
  if (embedding.length !== EMBEDDING_DIM) throw new Error(`sketchOf: embedding has ${embedding.length} values, not ${EMBEDDING_DIM}`);
  const PROJECTION = (projection ??= gaussianMatrix(SKETCH_DIM * EMBEDDING_DIM, SEED, 1 / Math.sqrt(SKETCH_DIM)));
  const out = new Float32Array(SKETCH_DIM);
  let norm = 0;
  for (let r = 0; r < SKETCH_DIM; r++) {
    let acc = 0;
    const row = r * EMBEDDING_DIM;
    for (let i = 0; i < EMBEDDING_DIM; i++) acc += PROJECTION[row + i]! * embedding[i]!;
    out[r] = acc;
    norm += acc * acc;
  }
  norm = Math.sqrt(norm) || 1;
  for (let r = 0; r < SKETCH_DIM; r++) out[r]! /= norm;
  return out;
}

/** Seeded uniform draws through Box–Muller. */
function gaussianMatrix(n: number, seed: number, std: number): Float32Array {
  const rng = createRng(seed);
  // (0, 1]: log(0) must never happen.
  const uniform = () => 1 - rng();
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const a = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(a) * std;
    if (i + 1 < n) out[i + 1] = r * Math.sin(a) * std;
  }
  return out;
}
