// Paging and counting in SQL must agree with the full listing, filtered here in plain code, for
// every combination of filters (and with a search query on top).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClipRecord, TagKind } from '../../../../shared/types.js';
import { listTagPlan, type ClipFilters } from '../../../../main/core/library/clip-rows.js';
import { openLibrary, type Library } from '../../../../main/core/library/db.js';
import * as clips from '../../../../main/core/library/clips.js';
import { search, searchCount } from '../../../../main/core/library/search.js';
import { clip, ingestInput, tempDir } from './helpers.js';

const OBJECTS = ['dog', 'cat', 'person', 'car', 'bench'];
const VIDEOS = ['beach dog walk', 'city night', 'dog show', 'park', 'interview', 'car chase'];

let lib: Library;
let cleanup: () => void;
let mediaIds: number[];

beforeAll(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  lib = openLibrary(t.dir);
  let s = 7;
  const r = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  mediaIds = VIDEOS.map((name) => {
    const list = Array.from({ length: 50 }, (_v, i) => {
      const tags: Array<{ name: string; kind: TagKind; confidence: number }> = [];
      // Some clips carry no rating (a kind filter is then not "every clip"), some several objects.
      if (r() < 0.8) tags.push({ name: pick(['neutral', 'suggestive']), kind: 'rating', confidence: r() });
      for (const name of new Set(Array.from({ length: Math.floor(r() * 4) }, () => pick(OBJECTS)))) {
        tags.push({ name, kind: 'object', confidence: r() });
      }
      if (r() < 0.1) tags.push({ name: 'dog', kind: 'custom', confidence: r() }); // same name, other kind
      if (r() < 0.1) tags.push({ name: 'night', kind: 'attribute', confidence: r() });
      return clip(i, i + 1, tags);
    });
    return lib.storeIngest(ingestInput(`/v/${name}.mp4`, list)).mediaId;
  });
  // The user's word: "no" rows must not count, user tags must.
  const ids = clips.list(lib).map((c) => c.id);
  for (let i = 0; i < ids.length; i += 9) lib.tags.removeUserTag(ids[i]!, 'dog');
  for (let i = 3; i < ids.length; i += 11) lib.tags.setUserTag(ids[i]!, 'Keeper');
});
afterAll(() => {
  lib.close();
  cleanup();
});

const fold = (s: string) => s.trim().toLowerCase();
const matches = (c: ClipRecord, f: ClipFilters) =>
  (f.mediaId === undefined || c.mediaId === f.mediaId) &&
  (f.mediaPath === undefined || c.mediaPath === f.mediaPath) &&
  ((f.tag === undefined && f.kind === undefined) ||
    c.tags.some((t) => (f.tag === undefined || fold(t.name) === fold(f.tag)) && (f.kind === undefined || t.kind === f.kind)));

function filterCombos(): ClipFilters[] {
  const out: ClipFilters[] = [];
  for (const mediaId of [undefined, 'second'] as const) {
    for (const tag of [undefined, 'dog', ' DOG ', 'keeper', 'neutral', 'nothing']) {
      for (const kind of [undefined, 'object', 'custom', 'rating', 'transition'] as const) {
        out.push({ mediaId: mediaId && mediaIds[1], tag, kind });
      }
    }
  }
  out.push({ mediaPath: '/v/park.mp4' }, { mediaPath: '/v/park.mp4', tag: 'cat' }, { mediaPath: '/nope' });
  return out;
}

/** Every page of `size`, one past the end included, concatenated. */
function allPages(page: (limit: number, offset: number) => ClipRecord[], size: number): ClipRecord[] {
  const out: ClipRecord[] = [];
  for (let offset = 0; ; offset += size) {
    const got = page(size, offset);
    expect(got.length).toBeLessThanOrEqual(size);
    out.push(...got);
    if (got.length === 0) return out;
  }
}

describe('clips.list / clips.count', () => {
  it('page and count like the full listing filtered by hand, for every filter combination', () => {
    const everything = clips.list(lib);
    expect(everything).toHaveLength(300);
    expect(clips.count(lib)).toBe(300);
    const sizes = new Set<number>();
    for (const f of filterCombos()) {
      const expected = everything.filter((c) => matches(c, f));
      sizes.add(expected.length);
      const label = JSON.stringify(f);
      expect(clips.count(lib, f), label).toBe(expected.length);
      expect(clips.list(lib, f), label).toEqual(expected);
      expect(allPages((limit, offset) => clips.list(lib, { ...f, limit, offset }), 37), label).toEqual(expected);
    }
    // The data exercises empty, small and large results, not one size everywhere.
    expect(Math.min(...sizes)).toBe(0);
    expect(Math.max(...sizes)).toBeGreaterThan(200);
    expect(sizes.size).toBeGreaterThan(15);
  });

  it('the data above takes both tag plans of a listing', () => {
    const neutral = clips.count(lib, { tag: 'neutral' });
    expect(neutral).toBeGreaterThan(100);
    expect(listTagPlan(lib.db, { tag: 'neutral' }, 0, 37)).toBe('probe'); // a common tag, first page
    expect(listTagPlan(lib.db, { tag: 'neutral' }, neutral - 37, 37)).toBe('collect'); // its last page
    expect(listTagPlan(lib.db, { tag: 'keeper' }, 0, 37)).toBe('collect'); // a rare tag
    expect(listTagPlan(lib.db, { tag: 'keeper', mediaId: mediaIds[0] }, 0, 37)).toBe('probe'); // one video
    expect(listTagPlan(lib.db, { kind: 'custom' }, 0, -1)).toBe('probe'); // a kind alone
  });

  it('bound on Library like the other table functions', () => {
    expect(lib.clips.count({ tag: 'keeper' })).toBe(clips.count(lib, { tag: 'keeper' }));
    expect(lib.clips.count({ tag: 'keeper' })).toBeGreaterThan(0);
  });
});

describe('search / searchCount with filters', () => {
  it('page and count like the unfiltered search filtered by hand', () => {
    for (const q of ['dog', 'beach', 'do', 'walk dog', 'keep', 'night', 'zzz', '"*(']) {
      const hits = search(lib, q, { limit: 1_000_000 });
      for (const f of filterCombos()) {
        const expected = hits.filter((c) => matches(c, f));
        const label = `${q} ${JSON.stringify(f)}`;
        expect(searchCount(lib, q, f), label).toBe(expected.length);
        expect(allPages((limit, offset) => search(lib, q, { ...f, limit, offset }), 41), label).toEqual(expected);
      }
    }
    expect(searchCount(lib, 'dog')).toBeGreaterThan(100);
    expect(lib.searchCount('dog', { kind: 'custom' })).toBe(searchCount(lib, 'dog', { kind: 'custom' }));
  });
});

describe('query plans', () => {
  it('never read clips, clip_tags or media in full (only through an index)', () => {
    const prepare = vi.spyOn(lib.db, 'prepare');
    for (const f of filterCombos()) {
      clips.list(lib, { ...f, limit: 10, offset: 20 });
      clips.count(lib, f);
      search(lib, 'dog', { ...f, limit: 10, offset: 20 });
      searchCount(lib, 'dog', f);
    }
    const statements = new Set(prepare.mock.calls.map(([sql]) => sql));
    prepare.mockRestore();
    expect(statements.size).toBeGreaterThan(10);
    for (const sql of statements) {
      const nulls = Array.from(sql.matchAll(/\?/g), () => null);
      const plan = (lib.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...nulls) as Array<{ detail: string }>).map((r) => r.detail);
      expect(plan.filter((d) => /^SCAN (c|clips|ct|clip_tags|m|media)$/.test(d)), `${sql}\n${plan.join('\n')}`).toEqual([]);
    }
  });
});
