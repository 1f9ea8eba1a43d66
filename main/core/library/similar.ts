// "More like this": the clips whose embeddings are closest (cosine) to one clip's.
// FIRST VERSION: exact brute force over clip_embeddings. To be replaced by the sketch index
// (clip_sketches, see sketch.ts) that answers under 100 ms at 100 000 clips.
import type { Db } from './context.js';
import { decodeEmbedding } from './embedding-codec.js';

export interface SimilarHit {
  clipId: number;
  /** Cosine similarity of the clips' mean embeddings, -1..1. */
  score: number;
}

export class SimilarIndex {
  constructor(private readonly db: Db) {}

  /** Up to `limit` clips most similar to `clipId`, best first, never the clip itself; [] when it has no embedding. */
  query(clipId: number, limit: number): SimilarHit[] {
    const blob = this.db.prepare('SELECT vector FROM clip_embeddings WHERE clip_id = ?').pluck().get(clipId) as Buffer | undefined;
    if (!blob) return [];
    const q = decodeEmbedding(blob);
    const hits: SimilarHit[] = [];
    for (const row of this.db.prepare('SELECT clip_id AS clipId, vector FROM clip_embeddings WHERE clip_id != ?').iterate(clipId) as Iterable<{ clipId: number; vector: Buffer }>) {
      const v = decodeEmbedding(row.vector);
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i]! * q[i]!;
      hits.push({ clipId: row.clipId, score: dot });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}
