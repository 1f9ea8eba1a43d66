// Hand-run measurements, not assertions (timings on shared CI cores mean nothing):
//   REELTAG_BENCH=1 npx vitest run test/unit/core/library/bench.test.ts
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import type { TagKind } from '../../../../shared/types.js';
import { openLibrary } from '../../../../main/core/library/db.js';
import type { IngestClip } from '../../../../main/core/library/ingest.js';
import { clip, embeddingFor, ingestInput, tempDir } from './helpers.js';

const WORDS = ('person bicycle car motorcycle airplane bus train truck boat bench bird cat dog horse sheep cow ' +
  'elephant bear zebra giraffe backpack umbrella handbag tie suitcase frisbee skis snowboard kite skateboard ' +
  'surfboard bottle cup fork knife spoon bowl banana apple sandwich orange broccoli carrot pizza donut cake chair ' +
  'couch bed toilet tv laptop mouse remote keyboard microwave oven toaster sink refrigerator book clock vase ' +
  'scissors toothbrush night beach crowd interview aerial underwater').split(' ');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function videoClips(n: number, r: () => number, blobs: boolean): IngestClip[] {
  const tagsFor = () => {
    const t: Array<{ name: string; kind: TagKind; confidence: number }> = [
      { name: ['neutral', 'drawing', 'suggestive'][Math.floor(r() * 3)]!, kind: 'rating', confidence: 0.5 + r() / 2 },
    ];
    const k = 2 + Math.floor(r() * 5);
    for (let i = 0; i < k; i++) t.push({ name: WORDS[Math.floor(r() * WORDS.length)]!, kind: 'object', confidence: r() });
    return t;
  };
  const thumb = Buffer.alloc(15_000, 7);
  return Array.from({ length: n }, (_v, i) =>
    clip(i * 2, i * 2 + 2, tagsFor(), blobs ? { thumbnail: thumb, embedding: embeddingFor(i) } : {}),
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

describe.skipIf(!process.env.REELTAG_BENCH)('library bench', () => {
  it('storeIngest: one video of 500 clips (15 KB jpeg + 1792-d embedding + 3-7 tags each)', () => {
    const t = tempDir();
    const lib = openLibrary(t.dir);
    const r = rng(1);
    const first: number[] = [];
    const again: number[] = [];
    for (let v = 0; v < 5; v++) {
      const input = ingestInput(`/v/video-${v}.mp4`, videoClips(500, r, true));
      let t0 = performance.now();
      const { clipIds } = lib.storeIngest(input);
      first.push(performance.now() - t0);
      for (let i = 0; i < 50; i++) lib.tags.setUserTag(clipIds[i * 10]!, 'keeper');
      t0 = performance.now();
      lib.storeIngest(input); // a re-ingest: deletes 500 clips, carries 50 user rows over
      again.push(performance.now() - t0);
    }
    console.log(`storeIngest 500 clips: first ${first.map((x) => x.toFixed(0)).join(' ')} ms (median ${median(first).toFixed(0)}), ` +
      `re-ingest ${again.map((x) => x.toFixed(0)).join(' ')} ms (median ${median(again).toFixed(0)})`);
    lib.close();
    t.cleanup();
  });

  it('search p50 at 100k clips (200 videos x 500 clips, no blobs)', () => {
    const t = tempDir();
    const lib = openLibrary(t.dir);
    const r = rng(2);
    let t0 = performance.now();
    for (let v = 0; v < 200; v++) {
      lib.storeIngest(ingestInput(`/footage/${WORDS[v % WORDS.length]}-reel-${v}.mp4`, videoClips(500, r, false)));
    }
    const build = performance.now() - t0;
    const size = fs.statSync(path.join(t.dir, 'library.sqlite')).size + fs.statSync(path.join(t.dir, 'library.sqlite-wal')).size;
    const queries = ['dog', 'do', 'giraffe', 'person bench', 'skate', 'neutral', 'reel', 'kite reel', 'zzz', 'c', 'broccoli pizza', '"AND ('];
    const times = new Map<string, number[]>(queries.map((q) => [q, []]));
    const hits = new Map<string, number>();
    for (let round = 0; round < 7; round++) {
      for (const q of queries) {
        t0 = performance.now();
        hits.set(q, lib.search(q).length);
        times.get(q)!.push(performance.now() - t0);
      }
    }
    const all = [...times.values()].flatMap((xs) => xs.slice(1)); // drop the cold first round
    console.log(`built 100k clips in ${(build / 1000).toFixed(1)} s, ${(size / 2 ** 20).toFixed(0)} MB`);
    console.log(`search (limit 100): p50 ${median(all).toFixed(1)} ms, p95 ${pct(all, 0.95).toFixed(1)} ms`);
    for (const [q, xs] of times) {
      const matches = lib.db.prepare('SELECT count(*) FROM clip_search WHERE clip_search MATCH ?').pluck().get(toFts(q));
      console.log(`  ${JSON.stringify(q).padEnd(18)} ${median(xs.slice(1)).toFixed(1).padStart(7)} ms  ${hits.get(q)} shown of ${matches}`);
    }
    t0 = performance.now();
    const listed = lib.clips.list({ tag: 'dog', limit: 100 }).length;
    console.log(`clips.list({tag:'dog', limit:100}): ${(performance.now() - t0).toFixed(1)} ms (${listed})`);
    t0 = performance.now();
    const tagCount = lib.tags.list().length;
    console.log(`tags.list(): ${(performance.now() - t0).toFixed(1)} ms (${tagCount} tags)`);
    lib.close();
    t.cleanup();
  });

  it('a page of 200 + its count at 100k clips (what listClips costs the grid)', () => {
    const t = tempDir();
    const lib = openLibrary(t.dir);
    const r = rng(3);
    for (let v = 0; v < 200; v++) {
      lib.storeIngest(ingestInput(`/footage/${WORDS[v % WORDS.length]}-reel-${v}.mp4`, videoClips(500, r, false)));
    }
    const mediaId = lib.media.findByPath('/footage/dog-reel-12.mp4')!.id;
    // Like ReeltagService.clipPage: the count, then the page, in one read transaction.
    const page = (f: { query?: string; tag?: string; kind?: TagKind; mediaId?: number }, offset: number) =>
      lib.db.transaction(() => {
        const { query, ...filters } = f;
        const total = query ? lib.searchCount(query, filters) : lib.clips.count(filters);
        const opts = { ...filters, limit: 200, offset };
        return { total, clips: query ? lib.search(query, opts) : lib.clips.list(opts) };
      }).deferred();
    const dogs = lib.clips.count({ tag: 'dog' });
    const cases: Array<[string, Parameters<typeof page>[0], number]> = [
      ['all, first page', {}, 0],
      ['all, offset 90 000', {}, 90_000],
      ['tag dog, first page', { tag: 'dog' }, 0],
      ['tag dog, last page', { tag: 'dog' }, dogs - 200],
      ['tag neutral/rating, first page', { tag: 'neutral', kind: 'rating' }, 0],
      ['tag neutral/rating, offset 30 000', { tag: 'neutral', kind: 'rating' }, 30_000],
      ['kind rating, first page', { kind: 'rating' }, 0],
      ['kind object, offset 90 000', { kind: 'object' }, 90_000],
      ['media, first page', { mediaId }, 0],
      ['query dog, first page', { query: 'dog' }, 0],
      ['query dog + tag person', { query: 'dog', tag: 'person' }, 0],
      ['query dog + media', { query: 'dog', mediaId }, 0],
      ['query reel (all), first page', { query: 'reel' }, 0],
      ['query reel (all), offset 90 000', { query: 'reel' }, 90_000],
    ];
    const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
    const shown = new Map<string, string>();
    for (let round = 0; round < 7; round++) {
      for (const [name, f, offset] of cases) {
        const t0 = performance.now();
        const { total, clips } = page(f, offset);
        times.get(name)!.push(performance.now() - t0);
        shown.set(name, `${clips.length} of ${total}`);
      }
    }
    const all = [...times.values()].flatMap((xs) => xs.slice(1)); // drop the cold first round
    console.log(`page of 200 + count at 100k clips: p50 ${median(all).toFixed(1)} ms, p95 ${pct(all, 0.95).toFixed(1)} ms`);
    for (const [name, xs] of times) {
      const warm = xs.slice(1);
      console.log(`  ${name.padEnd(34)} p50 ${median(warm).toFixed(1).padStart(6)} ms  p95 ${pct(warm, 0.95).toFixed(1).padStart(6)} ms  ${shown.get(name)}`);
    }
    const t0 = performance.now();
    const everything = lib.clips.list().length; // what a page cost before: every clip, then a slice
    console.log(`for comparison, listing all ${everything} clips: ${(performance.now() - t0).toFixed(0)} ms`);
    lib.close();
    t.cleanup();
  }, 600_000);
});

function toFts(q: string): string {
  const words = q.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w));
  return words.length === 0 ? '"x"' : words.map((w, i) => `"${w.replaceAll('"', '""')}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}
