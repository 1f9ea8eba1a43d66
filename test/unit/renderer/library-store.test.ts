import { describe, expect, it, vi } from 'vitest';
import { LibraryStore } from '../../../renderer/src/stores/library.svelte.js';
import { FakeClient, generatedClip } from './fake-client.js';

describe('LibraryStore', () => {
  it('fetches only the pages the grid shows, with limit and offset', async () => {
    const client = new FakeClient(100_000);
    const lib = new LibraryStore(client, { pageSize: 100 });
    await lib.load();
    expect(lib.total).toBe(100_000);
    expect(lib.clipAt(0)).toEqual(generatedClip(0));
    expect(lib.clipAt(100)).toBeUndefined();

    await lib.ensureRange(50_020, 50_060);
    expect(client.callsOf('listClips').at(-1)).toEqual({ limit: 100, offset: 50_000 });
    expect(lib.clipAt(50_059)?.id).toBe(50_060);
    // Asking again for what is here costs nothing.
    const before = client.callsOf('listClips').length;
    await lib.ensureRange(50_000, 50_099);
    expect(client.callsOf('listClips')).toHaveLength(before);
    expect(lib.indexOf(50_060)).toBe(50_059);
  });

  it('keeps a bounded number of pages, dropping the farthest', async () => {
    const client = new FakeClient(100_000);
    const lib = new LibraryStore(client, { pageSize: 100, maxPages: 3 });
    await lib.load();
    for (const start of [1000, 1100, 1200, 1300]) await lib.ensureRange(start, start + 50);
    expect(lib.clipAt(1300)).toBeDefined();
    expect(lib.clipAt(0)).toBeUndefined();
  });

  it('sends the filters and drops answers for an older one', async () => {
    const client = new FakeClient(1000);
    const onFilterChange = vi.fn();
    const lib = new LibraryStore(client, { pageSize: 50 }, onFilterChange);
    await lib.load();
    let release!: () => void;
    const slow = client.handlers.listClips!;
    client.handlers.listClips = async (r) => {
      if (r.tag === 'dog') await new Promise<void>((res) => (release = res));
      return slow(r);
    };
    const dog = lib.setTag('dog');
    await lib.setKind('rating');
    release();
    await dog;
    expect(lib.filter).toMatchObject({ kind: 'rating', tag: null });
    expect(lib.total).toBe(1000);
    expect(onFilterChange).toHaveBeenCalledTimes(2);
    expect(lib.filterVersion).toBe(2);

    await lib.setMedia(3);
    expect(client.callsOf('listClips').at(-1)).toEqual({ limit: 50, offset: 0, kind: 'rating', mediaId: 3 });
    expect(lib.total).toBe(10);
    expect(lib.isFiltered).toBe(true);
    await lib.clearFilters();
    expect(lib.isFiltered).toBe(false);
  });

  it('searches after a pause in typing, or at once on Enter', async () => {
    vi.useFakeTimers();
    try {
      const client = new FakeClient(100);
      const lib = new LibraryStore(client, { pageSize: 50, searchDelayMs: 200 });
      lib.setSearch('d');
      lib.setSearch('do');
      lib.setSearch('dog');
      expect(client.callsOf('listClips')).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(250);
      expect(client.callsOf('listClips')).toEqual([{ limit: 50, offset: 0, query: 'dog' }]);
      expect(lib.total).toBe(20);
      lib.setSearch('car ');
      await lib.applySearch();
      expect(lib.filter.query).toBe('car ');
      expect(client.callsOf('listClips').at(-1)).toMatchObject({ query: 'car' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('refreshes the pages on screen and patches edited clips in place', async () => {
    const client = new FakeClient(1000);
    const lib = new LibraryStore(client, { pageSize: 100 });
    await lib.load();
    await lib.ensureRange(500, 520);
    client.count = 1200;
    await lib.refresh();
    expect(lib.total).toBe(1200);
    expect(lib.clipAt(500)).toBeDefined();
    expect(lib.clipAt(0)).toBeUndefined();

    const edited = { ...generatedClip(510), tags: [{ name: 'keeper', kind: 'custom' as const, confidence: 1, source: 'user' as const }] };
    lib.updateClips([edited]);
    expect(lib.clipAt(510)?.tags[0]?.name).toBe('keeper');
  });

  it('says what went wrong', async () => {
    const client = new FakeClient(10);
    client.handlers.listClips = () => {
      throw new Error('library is locked');
    };
    const lib = new LibraryStore(client);
    await lib.load();
    expect(lib.error).toBe('library is locked');
  });
});
