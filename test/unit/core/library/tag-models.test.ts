import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLibrary, type Library } from '../../../../main/core/library/db.js';
import { storeIngest } from '../../../../main/core/library/ingest.js';
import { decodeSequence, encodeSequence, spread } from '../../../../main/core/library/sequence-codec.js';
import type { TagModelWrite } from '../../../../main/core/library/tag-models.js';
import { clip, embeddingFor, fakeClock, ingestInput, tempDir } from './helpers.js';

let lib: Library;
let cleanup: () => void;
let ids: number[];
beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  lib = openLibrary(t.dir, { now: fakeClock(1000) });
  // Six clips; clips 0–2 carry a 2-step sequence, clips 3–5 only a mean embedding (as version 1 stored).
  ids = storeIngest(lib, ingestInput('/v/a.mp4', Array.from({ length: 6 }, (_v, i) =>
    clip(i, i + 1, [], { embedding: embeddingFor(i), sequence: i < 3 ? [embeddingFor(i), embeddingFor(i + 10)] : null }),
  ))).clipIds;
});
afterEach(() => {
  lib.close();
  cleanup();
});

const model = (name: string, scores: number[], threshold = 0.5): TagModelWrite => ({
  name,
  threshold,
  modelJson: '{"modelTopology":{},"weightSpecs":[]}',
  weights: Buffer.from([1, 2, 3]),
  metrics: {
    quality: { precision: 1, recall: 0.5, f1: 0.667, folds: 2 },
    suggestedThreshold: 0.4,
    examples: { positives: 5, negatives: 1, background: 10 },
    heldOut: [[0.9, 1], [0.45, 1], [0.2, 0], [0.6, 0]],
    training: { epochs: 3 },
  },
  scores: { clipIds: ids, scores },
});
const tagOf = (clipId: number, name: string) => lib.clips.get(clipId)!.tags.find((t) => t.name === name && t.kind === 'custom');

describe('clip sequences', () => {
  it('round-trip through int8 within half a quantisation step, per step', () => {
    const steps = [embeddingFor(1), embeddingFor(2).map((x) => x * 50)];
    const back = decodeSequence(encodeSequence(steps), 2);
    steps.forEach((s, k) => {
      const max = Math.max(...s.map(Math.abs));
      for (let i = 0; i < s.length; i++) expect(Math.abs(back[k]![i]! - s[i]!)).toBeLessThanOrEqual(max / 127 / 2 + 1e-6);
    });
    expect(() => decodeSequence(Buffer.alloc(10), 3)).toThrow(/does not hold 3 steps/);
  });

  it('spread keeps first and last and evenly spaced steps between', () => {
    expect(spread([1, 2, 3], 16)).toEqual([1, 2, 3]);
    expect(spread([0, 1, 2, 3, 4, 5, 6, 7, 8], 3)).toEqual([0, 4, 8]);
  });

  it('are stored by ingest, and a clip without one reads as its mean embedding', () => {
    const seqs = lib.tagModels.sequences();
    expect(seqs.map((s) => s.clipId)).toEqual(ids);
    expect(seqs.map((s) => s.steps.length)).toEqual([2, 2, 2, 1, 1, 1]);
    expect(lib.tagModels.sequences({ ids: [ids[4]!] })[0]!.steps[0]![7]).toBeCloseTo(embeddingFor(4)[7]!, 6);
    expect(lib.tagModels.sequences({ afterId: ids[1], limit: 2 }).map((s) => s.clipId)).toEqual([ids[2], ids[3]]);
  });
});

describe('tag models', () => {
  it('store the model with every score, and tag exactly the clips at or above the threshold', () => {
    const version = lib.tagModels.save(model('goal', [0.9, 0.7, 0.5, 0.49, 0.1, 0]));
    expect(version).toBe(1);
    expect(ids.map((id) => tagOf(id, 'goal')?.confidence ?? null)).toEqual([0.9, 0.7, 0.5, null, null, null]);
    expect(tagOf(ids[0]!, 'goal')!.source).toBe('model');
    const info = lib.tagModels.info('Goal')!; // tag names fold case
    expect(info).toMatchObject({ name: 'goal', threshold: 0.5, suggestedThreshold: 0.4, tagged: 3, scored: 6, version: 1, trainedAt: 1001 }); // the fake clock's second reading: ingest took the first
    // Quality at the current threshold, from the held-out scores: 1 of 2 positives, 1 false alarm.
    expect(info.quality).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, folds: 2 });
    expect(lib.tagModels.get('goal')!.weights).toEqual(Buffer.from([1, 2, 3]));
  });

  it('moving the threshold re-derives the model rows without a model run, and the quality follows', () => {
    lib.tagModels.save(model('goal', [0.9, 0.7, 0.5, 0.49, 0.1, 0]));
    lib.tagModels.setThreshold('goal', 0.3);
    expect(ids.map((id) => tagOf(id, 'goal') !== undefined)).toEqual([true, true, true, true, false, false]);
    expect(lib.tagModels.info('goal')!.quality).toMatchObject({ precision: 0.667, recall: 1 });
    expect(() => lib.tagModels.setThreshold('nothing', 0.3)).toThrow(/no trained custom tag/);
    expect(() => lib.tagModels.setThreshold('goal', 1.5)).toThrow(/outside 0..1/);
  });

  it("never overwrites the user's yes or no, and never offers a judged clip for review", () => {
    lib.tags.setUserTag(ids[4]!, 'goal', 'custom'); // user: yes, model will say 0.1
    lib.tags.removeUserTag(ids[0]!, 'goal', 'custom'); // user: no, model will say 0.9
    lib.tagModels.save(model('goal', [0.9, 0.7, 0.5, 0.49, 0.1, 0]));
    expect(tagOf(ids[4]!, 'goal')).toMatchObject({ source: 'user', confidence: 1 });
    expect(lib.clips.get(ids[0]!)!.tags.some((t) => t.name === 'goal')).toBe(false); // the no stays a no
    expect(lib.tagModels.examples('goal')).toEqual({ positives: [ids[4]], negatives: [ids[0]] });
    const uncertain = lib.tagModels.review('goal', 'uncertain', 10).map((r) => r.clipId);
    expect(uncertain).toEqual([ids[2], ids[3], ids[1], ids[5]]); // |score − 0.5|: 0, 0.01, 0.2, 0.5
    expect(lib.tagModels.review('goal', 'confidence', 2).map((r) => r.score)).toEqual([0.7, 0.5]);
    // Retraining replaces scores and model rows as a whole; the user rows are still there.
    const v2 = lib.tagModels.save(model('goal', [0, 0, 0, 0, 0, 0.8]));
    expect(v2).toBe(2);
    expect(ids.map((id) => tagOf(id, 'goal')?.source ?? null)).toEqual([null, null, null, null, 'user', 'model']);
  });

  it('review: among equally sure scores, the clips most like the examples come first', () => {
    lib.tags.setUserTag(ids[0]!, 'goal', 'custom');
    lib.tagModels.save(model('goal', [1, 0, 0, 0, 0, 0.52]));
    const like = lib.likeness([ids[0]!]);
    expect(like.get(ids[0]!)).toBeCloseTo(1, 5);
    const expected = ids.slice(1, 5).sort((a, b) => like.get(b)! - like.get(a)!);
    // 0.52 is nearest the threshold; the four clips scored 0 follow, most like clip 0 first.
    expect(lib.tagModels.review('goal', 'uncertain', 10, like).map((r) => r.clipId)).toEqual([ids[5], ...expected]);
    expect(new Set(expected.map((id) => like.get(id))).size).toBe(4); // the order says something
  });

  it('are applied at ingest: scores stored with the new clips, tags where they reach the threshold', () => {
    lib.tagModels.save(model('goal', [0, 0, 0, 0, 0, 0]));
    const tagId = lib.tagModels.get('goal')!.tagId;
    const { clipIds } = storeIngest(lib, ingestInput('/v/b.mp4', [
      clip(0, 1, [], { tagScores: [{ tagId, score: 0.8 }] }),
      clip(1, 2, [], { tagScores: [{ tagId, score: 0.2 }, { tagId: 999, score: 0.9 }] }), // 999: no such model, dropped
    ]));
    expect(tagOf(clipIds[0]!, 'goal')).toMatchObject({ source: 'model', confidence: 0.8 });
    expect(tagOf(clipIds[1]!, 'goal')).toBeUndefined();
    expect(lib.tagModels.info('goal')!.scored).toBe(8);
    expect(lib.tagModels.unscored('goal')).toEqual([]);
  });

  it("drop at ingest a retrained model's stale scores, leaving those clips to be scored again", () => {
    lib.tagModels.save(model('goal', [0, 0, 0, 0, 0, 0]));
    const { tagId, version } = lib.tagModels.get('goal')!;
    // The pipeline scored with this version; a training stores the next one before the store.
    lib.tagModels.save(model('goal', [0, 0, 0, 0, 0, 0]));
    const { clipIds } = storeIngest(lib, ingestInput('/v/b.mp4', [
      clip(0, 1, [], { tagScores: [{ tagId, version, score: 0.8 }] }),
      clip(1, 2, [], { tagScores: [{ tagId, version: version + 1, score: 0.9 }] }),
    ]));
    expect(tagOf(clipIds[0]!, 'goal')).toBeUndefined();
    expect(tagOf(clipIds[1]!, 'goal')).toMatchObject({ source: 'model', confidence: 0.9 });
    expect(lib.tagModels.unscoredAmong(clipIds)).toEqual([clipIds[0]]);
  });

  it('score clips that arrived while a tag trained, and can be removed without touching user rows', () => {
    lib.tags.setUserTag(ids[1]!, 'goal', 'custom');
    lib.tagModels.save({ ...model('goal', [0.9, 0.7]), scores: { clipIds: ids.slice(0, 2), scores: [0.9, 0.7] } });
    expect(lib.tagModels.unscored('goal')).toEqual(ids.slice(2));
    const { tagId, version } = lib.tagModels.get('goal')!;
    expect(lib.tagModels.unscoredAmong([ids[0]!, ids[2]!, ids[3]!])).toEqual([ids[2], ids[3]]);
    // A stale version's score is skipped, the stored version's is kept; a score never overwrites one.
    expect(lib.tagModels.addScores([{ clipId: ids[2]!, tagId, version: version - 1, score: 0.1 }])).toBe(0);
    expect(lib.tagModels.addScores([{ clipId: ids[2]!, tagId, version, score: 0.95 }, { clipId: ids[0]!, tagId, version, score: 0.1 }])).toBe(1);
    expect(tagOf(ids[2]!, 'goal')).toMatchObject({ source: 'model', confidence: 0.95 });
    expect(tagOf(ids[0]!, 'goal')).toMatchObject({ source: 'model', confidence: 0.9 });
    // Below the threshold: scored, no tag; a user row stays the user's.
    expect(lib.tagModels.addScores([{ clipId: ids[3]!, tagId, version, score: 0.2 }, { clipId: ids[1]!, tagId, version, score: 0.99 }])).toBe(1);
    expect(tagOf(ids[3]!, 'goal')).toBeUndefined();
    expect(tagOf(ids[1]!, 'goal')?.source).toBe('user');
    expect(lib.tagModels.remove('goal')).toBe(true);
    expect(lib.tagModels.info('goal')).toBeUndefined();
    expect(ids.map((id) => tagOf(id, 'goal')?.source ?? null)).toEqual([null, 'user', null, null, null, null]);
  });

  it('a failing save leaves the previous model, scores and tags as they were', () => {
    lib.tagModels.save(model('goal', [0.9, 0.7, 0.5, 0.49, 0.1, 0]));
    const before = lib.tagModels.infos();
    expect(() => lib.tagModels.save({ ...model('goal', [0.1]), scores: { clipIds: ids, scores: [0.1] } })).toThrow(/differ in length/);
    expect(() => lib.tagModels.save({ ...model('goal', [0.1, 0, 0, 0, 0, 0]), modelJson: 'not json' })).toThrow(/CHECK/);
    expect(lib.tagModels.infos()).toEqual(before);
    expect(tagOf(ids[0]!, 'goal')!.confidence).toBe(0.9);
  });
});
