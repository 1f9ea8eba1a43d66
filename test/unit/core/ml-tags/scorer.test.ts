// The tag scorer against a training that lands mid-ingest: scores of the version it replaced are
// dropped at the store, and scoreMissing scores those clips with the model stored now.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { openLibrary, type Library } from '../../../../main/core/library/db.js';
import { EMBEDDING_DIM } from '../../../../main/core/library/embedding-codec.js';
import { storeIngest } from '../../../../main/core/library/ingest.js';
import { buildHead, headArtifacts, scoreHead, toSteps } from '../../../../main/core/ml/tags/head.js';
import { TagScorer } from '../../../../main/core/ml/tags/scorer.js';
import { clip, embeddingFor, fakeClock, ingestInput, tempDir } from '../library/helpers.js';

let lib: Library;
let cleanup: () => void;
beforeEach(async () => {
  await tf.setBackend('cpu');
  const t = tempDir();
  cleanup = t.cleanup;
  lib = openLibrary(t.dir, { now: fakeClock(1000) });
});
afterEach(() => {
  lib.close();
  cleanup();
});

const sequenceOf = (i: number) => [embeddingFor(i), embeddingFor(i + 50)];

/** A fresh head whose output bias is `bias`: -2 says "no" (≈ 0.12) to everything, +2 "yes" (≈ 0.88). */
async function saveHead(seed: number, bias: number): Promise<tf.LayersModel> {
  const head = buildHead(EMBEDDING_DIM, seed);
  const out = head.layers[head.layers.length - 1]!;
  const [kernel, b] = out.getWeights();
  out.setWeights([kernel!, tf.fill(b!.shape, bias)]);
  const { modelJson, weights } = await headArtifacts(head);
  lib.tagModels.save({
    name: 'goal',
    threshold: 0.5,
    modelJson,
    weights,
    metrics: {
      quality: { precision: 1, recall: 1, f1: 1, folds: 2 },
      suggestedThreshold: 0.5,
      examples: { positives: 5, negatives: 0, background: 0 },
      heldOut: [],
      training: { epochs: 1 },
    },
    scores: { clipIds: [], scores: [] },
  });
  return head;
}

describe('TagScorer', () => {
  it('rescores the clips whose scores a training made stale between the scoring and the store', async () => {
    const first = await saveHead(1, -2);
    const scorer = new TagScorer({ backend: 'cpu' });
    const seqs = [0, 1, 2].map(sequenceOf);
    const stale = await scorer.score(lib, seqs);
    expect(stale.map((s) => s.map((t) => t.version))).toEqual([[1], [1], [1]]);

    const second = await saveHead(2, 2); // the training lands now
    const { clipIds } = storeIngest(lib, ingestInput('/v/a.mp4', seqs.map((s, i) => clip(i, i + 1, [], { embedding: embeddingFor(i), sequence: s, tagScores: stale[i] }))));
    expect(lib.tagModels.unscoredAmong(clipIds)).toEqual(clipIds);

    expect(await scorer.scoreMissing(lib, clipIds)).toBe(3);
    expect(lib.tagModels.unscoredAmong(clipIds)).toEqual([]);
    // What the library holds of the sequences (int8) is what both heads would see.
    const stored = lib.tagModels.sequences({ ids: clipIds }).map((s) => toSteps(s.steps, EMBEDDING_DIM));
    const want = scoreHead(second, stored, EMBEDDING_DIM);
    const old = scoreHead(first, stored, EMBEDDING_DIM);
    const got = new Map(lib.tagModels.scores('goal').map((s) => [s.clipId, s.score]));
    clipIds.forEach((id, i) => expect(got.get(id)).toBeCloseTo(want[i]!, 5));
    // The two heads disagree, so the test can tell which one scored; the new one's "yes" tags them.
    want.forEach((w, i) => expect(w - old[i]!).toBeGreaterThan(0.5));
    for (const id of clipIds) expect(lib.clips.get(id)!.tags.find((t) => t.name === 'goal')).toMatchObject({ source: 'model', kind: 'custom' });
    // Nothing left to do: a second pass stores nothing.
    expect(await scorer.scoreMissing(lib, clipIds)).toBe(0);
    scorer.dispose();
    first.dispose();
    second.dispose();
  }, 60_000);
});
