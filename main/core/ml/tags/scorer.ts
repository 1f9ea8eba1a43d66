// Scores clips with every trained custom tag of a library: new videos at ingest, and clips that
// arrived while a tag was training. Heads are loaded once per (tag, version) and reloaded when the
// library holds a newer version; it runs wherever the pipeline runs (off the UI thread).
import type * as tf from '@tensorflow/tfjs';
import type { Library } from '../../library/index.js';
import { ensureBackend, type BackendName } from '../backend.js';
import { loadHead, scoreHead, toSteps } from './head.js';

export interface TagScore {
  tagId: number;
  /** The version of the tag's model that gave the score. */
  version: number;
  score: number;
}

export class TagScorer {
  private readonly heads = new Map<number, { version: number; model: Promise<tf.LayersModel> }>();

  constructor(private readonly opts: { backend?: BackendName } = {}) {}

  /** Every trained tag's score for each sequence (one list per sequence, same order). */
  async score(lib: Library, sequences: ReadonlyArray<Float32Array[] | null>): Promise<TagScore[][]> {
    const out: TagScore[][] = sequences.map(() => []);
    const models = lib.db.prepare('SELECT tag_id AS tagId, version FROM tag_models').all() as Array<{ tagId: number; version: number }>;
    if (models.length === 0 || sequences.every((s) => s === null || s.length === 0)) return out;
    await ensureBackend(this.opts.backend);
    for (const [tagId, head] of this.heads) {
      if (!models.some((m) => m.tagId === tagId && m.version === head.version)) {
        this.heads.delete(tagId);
        void head.model.then((m) => m.dispose(), () => undefined);
      }
    }
    const present = sequences.flatMap((s, i) => (s && s.length > 0 ? [{ i, s }] : []));
    for (const { tagId, version } of models) {
      let head = this.heads.get(tagId);
      if (!head) {
        const stored = lib.db.prepare('SELECT model_json AS modelJson, weights FROM tag_models WHERE tag_id = ?').get(tagId) as
          | { modelJson: string; weights: Buffer }
          | undefined;
        if (!stored) continue;
        head = { version, model: loadHead(stored.modelJson, stored.weights) };
        this.heads.set(tagId, head);
      }
      const model = await head.model;
      const dim = present[0]!.s[0]!.length;
      const scores = scoreHead(model, present.map((p) => toSteps(p.s, dim)), dim);
      present.forEach((p, j) => out[p.i]!.push({ tagId, version, score: scores[j]! }));
    }
    return out;
  }

  /**
   * Scores those of clipIds that some trained tag has no score for (ingested while it trained, or
   * dropped at the store as a retrained model's), with the models stored now. Returns how many
   * scores were stored; a training stored meanwhile leaves its clips for its own pass.
   */
  async scoreMissing(lib: Library, clipIds: readonly number[]): Promise<number> {
    const ids = lib.tagModels.unscoredAmong(clipIds);
    if (ids.length === 0) return 0;
    const seqs = lib.tagModels.sequences({ ids });
    const scores = await this.score(lib, seqs.map((s) => s.steps));
    return lib.tagModels.addScores(seqs.flatMap((s, i) => scores[i]!.map((t) => ({ clipId: s.clipId, ...t }))));
  }

  dispose(): void {
    for (const head of this.heads.values()) void head.model.then((m) => m.dispose(), () => undefined);
    this.heads.clear();
  }
}
