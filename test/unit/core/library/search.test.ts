import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TagKind } from '../../../../shared/types.js';
import { openLibrary, type Library } from '../../../../main/core/library/db.js';
import { search, toFtsQuery } from '../../../../main/core/library/search.js';
import { clip, ingestInput, tempDir } from './helpers.js';

let lib: Library;
let cleanup: () => void;
let ids: { cafePerson: number; cafeDog: number; parkDog: number; parkPhone: number; parkFlash: number };
const tag = (name: string, kind: TagKind = 'object', confidence = 0.9) => ({ name, kind, confidence });

beforeEach(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  lib = openLibrary(t.dir);
  const a = lib.storeIngest(ingestInput('/v/Café de Flore.mp4', [clip(0, 1, [tag('person')]), clip(1, 2, [tag('dog')])]));
  const b = lib.storeIngest(ingestInput('/v/park_walk.mov', [clip(0, 1, [tag('dog'), tag('frisbee')]), clip(1, 2, [tag('cell phone')]), clip(2, 3, [tag('Rückblende', 'custom')])]));
  ids = { cafePerson: a.clipIds[0]!, cafeDog: a.clipIds[1]!, parkDog: b.clipIds[0]!, parkPhone: b.clipIds[1]!, parkFlash: b.clipIds[2]! };
});
afterEach(() => {
  lib.close();
  cleanup();
});

const found = (q: string) => search(lib, q).map((c) => c.id).sort((x, y) => x - y);

describe('search', () => {
  it('finds clips by tag and by file name, tags included in the result', () => {
    expect(found('frisbee')).toEqual([ids.parkDog]);
    expect(found('park')).toEqual([ids.parkDog, ids.parkPhone, ids.parkFlash]);
    expect(search(lib, 'frisbee')[0]!.tags.map((t) => t.name).sort()).toEqual(['dog', 'frisbee']);
    expect(found('phone')).toEqual([ids.parkPhone]);
  });

  it('matches the last word as a prefix, earlier words whole, all words required', () => {
    expect(found('do')).toEqual([ids.cafeDog, ids.parkDog]);
    expect(found('dog fris')).toEqual([ids.parkDog]);
    expect(found('do frisbee')).toEqual([]); // "do" is not last: a whole word
    expect(found('walk dog')).toEqual([ids.parkDog]);
  });

  it('ignores case and diacritics on both sides', () => {
    expect(found('cafe')).toEqual([ids.cafePerson, ids.cafeDog]);
    expect(found('CAFÉ flore')).toEqual([ids.cafePerson, ids.cafeDog]);
    expect(found('ruckblende')).toEqual([ids.parkFlash]);
  });

  it('ranks a tag match above a file-name-only match', () => {
    lib.storeIngest(ingestInput('/v/dog show.mp4', [clip(0, 1, [tag('person')])]));
    const hits = search(lib, 'dog');
    expect(hits).toHaveLength(3);
    expect(hits[hits.length - 1]!.mediaPath).toBe('/v/dog show.mp4');
  });

  it('pages with limit and offset', () => {
    const all = search(lib, 'park');
    expect(search(lib, 'park', { limit: 2 })).toEqual(all.slice(0, 2));
    expect(search(lib, 'park', { limit: 2, offset: 2 })).toEqual(all.slice(2));
  });

  it('never throws on hostile input', () => {
    for (const q of ['"', '*', 'AND (', '-x', 'dog"', '"dog', 'NOT', 'dog OR', 'a:b', '^x', 'NEAR(a b)', '(((', '\'', '', '   ', '\u0000', 'x"* OR "y', 'file_name:dog', '{file_name tags}: x']) {
      expect(() => search(lib, q), q).not.toThrow();
    }
    expect(found('"')).toEqual([]);
    expect(found('dog"')).toEqual([ids.cafeDog, ids.parkDog]);
    expect(found('file_name:dog')).toEqual([]); // a column filter would have matched; it is text here
  });

  it('turns input into quoted FTS5 strings', () => {
    expect(toFtsQuery('dog fris')).toBe('"dog" "fris"*');
    expect(toFtsQuery('say "hi"')).toBe('"say" """hi"""*');
    expect(toFtsQuery(' * - ( ')).toBeUndefined();
  });

  it('follows tag edits and removals, re-ingests and failures', () => {
    lib.tags.setUserTag(ids.cafePerson, 'Zidane');
    expect(found('zid')).toEqual([ids.cafePerson]);
    lib.tags.removeUserTag(ids.cafePerson, 'zidane');
    expect(found('zidane')).toEqual([]);
    lib.tags.removeUserTag(ids.parkDog, 'dog');
    expect(found('dog')).toEqual([ids.cafeDog]);
    const re = lib.storeIngest(ingestInput('/v/park_walk.mov', [clip(0, 3, [tag('dog'), tag('bench')])]));
    expect(found('bench')).toEqual(re.clipIds);
    expect(found('dog')).toEqual([ids.cafeDog]); // the user's "no" carried over
    expect(found('frisbee')).toEqual([]);
    lib.markMediaError({ path: '/v/park_walk.mov', fileName: 'park_walk.mov', sizeBytes: 1, mtimeMs: 1, contentHash: null, error: 'x' });
    expect(found('park')).toEqual([]);
    lib.db.prepare("INSERT INTO clip_search (clip_search) VALUES ('integrity-check')").run();
    expect(lib.db.prepare('SELECT count(*) FROM clip_search').pluck().get()).toBe(2);
  });
});
