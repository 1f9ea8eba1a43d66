import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLibrary, type Library } from '../../../../main/core/library/db.js';
import * as clips from '../../../../main/core/library/clips.js';
import * as tags from '../../../../main/core/library/tags.js';
import { clip, ingestInput, tempDir } from './helpers.js';

let lib: Library;
let cleanup: () => void;
beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  lib = openLibrary(t.dir);
  lib.storeIngest(ingestInput('/v/b.mp4', [
    clip(0, 1, [{ name: 'dog', kind: 'object', confidence: 0.9 }, { name: 'neutral', kind: 'rating', confidence: 0.99 }]),
    clip(1, 2, [{ name: 'neutral', kind: 'rating', confidence: 0.95 }]),
  ]));
  lib.storeIngest(ingestInput('/v/a.mp4', [clip(0, 1, [{ name: 'dog', kind: 'custom', confidence: 0.6 }]), clip(1, 2), clip(2, 3)]));
});
afterEach(() => {
  lib.close();
  cleanup();
});

const spans = (list: ReturnType<typeof clips.list>) => list.map((c) => `${c.mediaPath}@${c.start}`);

describe('clips.list', () => {
  it('orders by media (as added) then position', () => {
    expect(spans(clips.list(lib))).toEqual(['/v/b.mp4@0', '/v/b.mp4@1', '/v/a.mp4@0', '/v/a.mp4@1', '/v/a.mp4@2']);
  });

  it('filters by media, tag and kind, and pages', () => {
    const a = lib.media.findByPath('/v/a.mp4')!;
    expect(spans(clips.list(lib, { mediaPath: '/v/a.mp4' }))).toEqual(['/v/a.mp4@0', '/v/a.mp4@1', '/v/a.mp4@2']);
    expect(spans(clips.list(lib, { mediaId: a.id, limit: 1, offset: 1 }))).toEqual(['/v/a.mp4@1']);
    expect(spans(clips.list(lib, { tag: 'Dog' }))).toEqual(['/v/b.mp4@0', '/v/a.mp4@0']);
    expect(spans(clips.list(lib, { tag: 'dog', kind: 'custom' }))).toEqual(['/v/a.mp4@0']);
    expect(spans(clips.list(lib, { kind: 'rating' }))).toEqual(['/v/b.mp4@0', '/v/b.mp4@1']);
    expect(spans(clips.list(lib, { tag: 'dog', mediaPath: '/v/b.mp4' }))).toEqual(['/v/b.mp4@0']);
    expect(clips.list(lib, { mediaPath: '/nope' })).toEqual([]);
  });

  it('leaves out the user\'s "no" rows, in tags and in filters', () => {
    const [first] = clips.list(lib, { tag: 'dog', kind: 'object' });
    tags.removeUserTag(lib, first!.id, 'dog');
    expect(clips.get(lib, first!.id)!.tags.map((t) => t.name)).toEqual(['neutral']);
    expect(spans(clips.list(lib, { tag: 'dog' }))).toEqual(['/v/a.mp4@0']);
  });

  it('puts user tags first, then by confidence', () => {
    const [first] = clips.list(lib);
    tags.setUserTag(lib, first!.id, 'good take', 'attribute');
    expect(clips.get(lib, first!.id)!.tags.map((t) => [t.name, t.source])).toEqual([
      ['good take', 'user'], ['neutral', 'model'], ['dog', 'model'],
    ]);
  });
});

describe('tags.list', () => {
  it('counts live clips per tag, by kind then name', () => {
    expect(tags.list(lib)).toEqual([
      { name: 'dog', kind: 'custom', clips: 1 },
      { name: 'dog', kind: 'object', clips: 1 },
      { name: 'neutral', kind: 'rating', clips: 2 },
    ]);
    expect(tags.list(lib, { kind: 'rating' })).toEqual([{ name: 'neutral', kind: 'rating', clips: 2 }]);
  });
});
