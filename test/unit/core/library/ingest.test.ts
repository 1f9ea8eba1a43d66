import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TagKind } from '../../../../shared/types.js';
import { openLibrary, type Library } from '../../../../main/core/library/db.js';
import { bestOverlap, markMediaError, storeIngest } from '../../../../main/core/library/ingest.js';
import * as tags from '../../../../main/core/library/tags.js';
import { clip, embeddingFor, fakeClock, hashOf, INFO, ingestInput, snapshot, tempDir } from './helpers.js';

let lib: Library;
let cleanup: () => void;
beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  lib = openLibrary(t.dir, { now: fakeClock(1000) });
});
afterEach(() => {
  lib.close();
  cleanup();
});

const tag = (name: string, kind: TagKind, confidence: number) => ({ name, kind, confidence });
const names = (clipId: number) => lib.clips.get(clipId)!.tags.map((t) => `${t.name}:${t.source}:${t.confidence}`);

describe('storeIngest', () => {
  it('round-trips media, clips, tags, thumbnails and embeddings', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0, 255]);
    const emb = embeddingFor(3);
    const { mediaId, clipIds } = storeIngest(lib, ingestInput('/v/holiday.mp4', [
      clip(0, 2.5, [tag('dog', 'object', 0.91), tag('neutral', 'rating', 0.8)], { thumbnail: jpeg, embedding: emb }),
      clip(2.5, 7, [tag('cut', 'transition', 0.6)], { startTransition: 'dissolve', endTransition: 'fade' }),
    ]));
    expect(clipIds).toHaveLength(2);
    expect(lib.media.get(mediaId)).toEqual({
      id: mediaId, path: '/v/holiday.mp4', fileName: 'holiday.mp4', contentHash: hashOf('/v/holiday.mp4'),
      sizeBytes: 1234, mtimeMs: 1_700_000_000_123.5, status: 'ok', error: null, info: INFO, addedAt: 1000, updatedAt: 1000,
    });
    expect(lib.media.findByPath('/v/holiday.mp4')?.id).toBe(mediaId);
    expect(lib.media.findByHash(hashOf('/v/holiday.mp4'))?.id).toBe(mediaId);
    expect(lib.media.findByHash(hashOf('other'))).toBeUndefined();
    // A failed copy of the same video, added earlier, does not hide the good one.
    const h = hashOf('/v/copy.mp4');
    lib.markMediaError({ path: '/v/copy-broken.mp4', fileName: 'copy-broken.mp4', sizeBytes: 1, mtimeMs: 1, contentHash: h, error: 'x' });
    const good = storeIngest(lib, ingestInput('/v/copy.mp4', [], { contentHash: h })).mediaId;
    expect(lib.media.findByHash(h)?.id).toBe(good);
    expect(lib.clips.list({ mediaId })).toEqual([
      {
        id: clipIds[0], mediaId, mediaPath: '/v/holiday.mp4', start: 0, end: 2.5, startFrame: 0, endFrame: 62,
        startTransition: null, endTransition: 'cut', hasThumbnail: true,
        tags: [
          { name: 'dog', kind: 'object', confidence: 0.91, source: 'model' },
          { name: 'neutral', kind: 'rating', confidence: 0.8, source: 'model' },
        ],
      },
      {
        id: clipIds[1], mediaId, mediaPath: '/v/holiday.mp4', start: 2.5, end: 7, startFrame: 63, endFrame: 174,
        startTransition: 'dissolve', endTransition: 'fade', hasThumbnail: false,
        tags: [{ name: 'cut', kind: 'transition', confidence: 0.6, source: 'model' }],
      },
    ]);
    expect(lib.clips.thumbnail(clipIds[0]!)?.equals(jpeg)).toBe(true);
    expect(lib.clips.thumbnail(clipIds[1]!)).toBeUndefined();
    expect(lib.clips.embedding(clipIds[0]!)).toEqual(emb);
    expect(lib.clips.embedding(clipIds[1]!)).toBeUndefined();
    expect(lib.clips.get(99999)).toBeUndefined();
  });

  it('a failure halfway writes nothing at all', () => {
    const before = snapshot(lib.db);
    const bad = ingestInput('/v/bad.mp4', [
      clip(0, 1, [tag('dog', 'object', 0.9)], { thumbnail: Buffer.from([1]), embedding: embeddingFor(1) }),
      clip(1, 2, [tag('cat', 'object', 0.9)]),
      clip(2, 3, [tag('zebra', 'bogus' as TagKind, 0.5)]), // fails after every clip row is written
    ]);
    expect(() => storeIngest(lib, bad)).toThrow(/unknown tag kind "bogus"/);
    expect(snapshot(lib.db)).toEqual(before);
    // A bad value the database itself rejects (CHECK) rolls back the same way.
    expect(() => storeIngest(lib, ingestInput('/v/bad.mp4', [clip(0, 1), clip(1, 2, [], { startTransition: 'wipe' as 'cut' })]))).toThrow(/transition/);
    expect(snapshot(lib.db)).toEqual(before);
  });

  it('a failed re-ingest leaves the previous ingest untouched', () => {
    const { clipIds } = storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 5, [tag('dog', 'object', 0.9)])]));
    tags.setUserTag(lib, clipIds[0]!, 'Rex');
    const before = snapshot(lib.db);
    expect(() => storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 2), clip(2, 5, [], { embedding: new Float32Array(3) })]))).toThrow(/embedding/);
    expect(snapshot(lib.db)).toEqual(before);
  });

  it('rejects malformed input with a readable error', () => {
    expect(() => storeIngest(lib, ingestInput('/v/a.mp4', [], { contentHash: 'ABC' }))).toThrow(/contentHash/);
    expect(() => storeIngest(lib, ingestInput('/v/a.mp4', [clip(3, 1)]))).toThrow(/bad times/);
    expect(() => storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 1, [tag('dog', 'object', 1.5)])]))).toThrow(/confidence/);
    expect(() => storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 1, [tag('  ', 'object', 0.5)])]))).toThrow(/empty/);
    expect(lib.media.list()).toEqual([]);
  });

  it('re-ingest replaces the clips, keeps added_at and updates the rest', () => {
    const first = storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 5, [tag('dog', 'object', 0.9)])]));
    const second = storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 3), clip(3, 5, [tag('cat', 'object', 0.7)])], { sizeBytes: 999 }));
    expect(second.mediaId).toBe(first.mediaId);
    const m = lib.media.get(first.mediaId)!;
    expect([m.addedAt < m.updatedAt, m.sizeBytes]).toEqual([true, 999]);
    expect(lib.clips.list().map((c) => [c.start, c.tags.map((t) => t.name)])).toEqual([[0, []], [3, ['cat']]]);
    expect(lib.tags.list()).toEqual([{ name: 'cat', kind: 'object', clips: 1 }]);
  });

  it('a tag listed twice for one clip keeps its highest confidence', () => {
    const { clipIds } = storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 1, [tag('dog', 'object', 0.4), tag('Dog', 'object', 0.8)])]));
    expect(names(clipIds[0]!)).toEqual(['dog:model:0.8']);
  });
});

describe('user tags', () => {
  it('survive a re-ingest, moving to the new clip with the largest overlap', () => {
    const first = storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 4, [tag('dog', 'object', 0.9)]), clip(4, 10)]));
    lib.tags.setUserTag(first.clipIds[0]!, 'Rex');
    lib.tags.setUserTag(first.clipIds[1]!, 'beach', 'attribute');
    // New cut: [0,1) [1,5) [5,10): old [0,4) overlaps [1,5) by 3 s; old [4,10) overlaps [5,10) by 5 s.
    const second = storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 1), clip(1, 5, [tag('dog', 'object', 0.7)]), clip(5, 10)]));
    expect(second.clipIds.map(names)).toEqual([[], ['Rex:user:1', 'dog:model:0.7'], ['beach:user:1']]);
  });

  it('a model write never overwrites a user row', () => {
    const first = storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 4, [tag('dog', 'object', 0.3)])]));
    lib.tags.setUserTag(first.clipIds[0]!, 'dog', 'object'); // user confirms the model's tag
    expect(names(first.clipIds[0]!)).toEqual(['dog:user:1']);
    const second = storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 4, [tag('dog', 'object', 0.2)])]));
    expect(names(second.clipIds[0]!)).toEqual(['dog:user:1']);
    // Even raw SQL cannot turn it back into a model row.
    expect(() => lib.db.prepare("UPDATE clip_tags SET source = 'model'").run()).toThrow(/cannot overwrite a user tag/);
  });

  it('a removal is remembered as the user\'s "no" and stays removed after a re-ingest', () => {
    const first = storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 4, [tag('dog', 'object', 0.9), tag('cat', 'object', 0.4)])]));
    expect(lib.tags.removeUserTag(first.clipIds[0]!, 'DOG')).toBe(1);
    expect(names(first.clipIds[0]!)).toEqual(['cat:model:0.4']);
    expect(lib.db.prepare("SELECT confidence, source FROM clip_tags WHERE source = 'user'").all()).toEqual([{ confidence: 0, source: 'user' }]);
    const second = storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 2, [tag('dog', 'object', 0.95)]), clip(2, 4, [tag('dog', 'object', 0.9)])]));
    // The "no" moved to the first new clip (ties go to the earlier one); the other clip is new evidence.
    expect(second.clipIds.map(names)).toEqual([[], ['dog:model:0.9']]);
    expect(lib.clips.list({ tag: 'dog' }).map((c) => c.id)).toEqual([second.clipIds[1]]);
    expect(lib.tags.list()).toEqual([{ name: 'dog', kind: 'object', clips: 1 }]);
    // Setting it again overrides the "no".
    lib.tags.setUserTag(second.clipIds[0]!, 'dog', 'object');
    expect(names(second.clipIds[0]!)).toEqual(['dog:user:1']);
  });

  it('removeUserTag with a kind refuses a tag in advance; without one, an absent tag is a no-op', () => {
    const { clipIds } = storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 4)]));
    expect(lib.tags.removeUserTag(clipIds[0]!, 'cat')).toBe(0);
    expect(lib.tags.removeUserTag(clipIds[0]!, 'cat', 'object')).toBe(1);
    const again = storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 4, [tag('cat', 'object', 0.9)])]));
    expect(names(again.clipIds[0]!)).toEqual([]);
  });

  it('refuses tags on a clip that does not exist', () => {
    expect(() => lib.tags.setUserTag(123, 'x')).toThrow(/no clip with id 123/);
    expect(() => lib.tags.removeUserTag(123, 'x')).toThrow(/no clip with id 123/);
  });
});

describe('markMediaError', () => {
  it('stores the failure as a media row with the reason and no clips', () => {
    storeIngest(lib, ingestInput('/v/a.mp4', [clip(0, 4, [tag('dog', 'object', 0.9)], { thumbnail: Buffer.from([1]) })]));
    const id = markMediaError(lib, { path: '/v/a.mp4', fileName: 'a.mp4', sizeBytes: 10, mtimeMs: 5, contentHash: null, error: 'moov atom not found' });
    expect(lib.media.get(id)).toMatchObject({ status: 'error', error: 'moov atom not found', info: null, contentHash: null, sizeBytes: 10 });
    expect(lib.clips.list()).toEqual([]);
    expect(lib.db.prepare('SELECT count(*) FROM clip_thumbnails').pluck().get()).toBe(0);
    expect(lib.search('dog')).toEqual([]);
    expect(lib.media.list({ status: 'error' }).map((m) => m.path)).toEqual(['/v/a.mp4']);
    expect(lib.media.list({ status: 'ok' })).toEqual([]);
  });
});

describe('bestOverlap', () => {
  const spans = [{ start: 0, end: 2 }, { start: 2, end: 5 }, { start: 5, end: 9 }];
  it.each([
    [{ start: 0, end: 3 }, 0], // 2 s vs 1 s
    [{ start: 1, end: 4 }, 1], // 1 s vs 2 s
    [{ start: 1, end: 3 }, 0], // tie: the earlier
    [{ start: 3, end: 3 }, 1], // a point goes to the span holding it
    [{ start: 9, end: 12 }, -1], // nothing overlaps
  ])('%o → %i', (span, want) => expect(bestOverlap(span, spans)).toBe(want));
});
