// The library as the grid sees it: the filters, how many clips match, and the pages of clips
// fetched so far. Pages come from listClips (limit/offset) as the grid scrolls to them, so 100 000
// clips cost only what is on screen; far-away pages are dropped again.
import { SvelteMap } from 'svelte/reactivity';
import type { ReeltagClient } from '../../../shared/client.js';
import type { TagCount } from '../../../shared/contract.js';
import type { ClipRecord, MediaRecord, TagKind } from '../../../shared/types.js';
import { pagesFor } from '../lib/virtual.js';

export interface LibraryFilter {
  query: string;
  kind: TagKind | null;
  tag: string | null;
  mediaId: number | null;
}

export type LibraryClient = Pick<ReeltagClient, 'call'>;

export interface LibraryOptions {
  /** Clips per listClips call (the contract allows up to 500). */
  pageSize?: number;
  /** Pages kept in memory; the ones farthest from the view go first. */
  maxPages?: number;
  /** Quiet time after typing before a search runs. */
  searchDelayMs?: number;
}

const EMPTY_FILTER: LibraryFilter = { query: '', kind: null, tag: null, mediaId: null };

export class LibraryStore {
  filter = $state<LibraryFilter>({ ...EMPTY_FILTER });
  /** What the search box shows (the filter's query follows it after a pause). */
  searchText = $state('');
  /** Clips matching the filter; null before the first answer. */
  total = $state<number | null>(null);
  error = $state<string | null>(null);
  tags = $state.raw<TagCount[]>([]);
  media = $state.raw<MediaRecord[]>([]);
  /** Bumped whenever the filter changes (the grid scrolls back to the top). */
  filterVersion = $state(0);

  readonly pageSize: number;
  readonly #maxPages: number;
  readonly #searchDelay: number;
  readonly #client: LibraryClient;
  readonly #onFilterChange: () => void;
  /** Bumped by every filter change and refresh: answers for an older one are dropped. */
  #generation = 0;
  readonly #pages = new SvelteMap<number, ClipRecord[]>();
  readonly #inflight = new Map<number, Promise<void>>();
  #visible = { start: 0, end: 0 };
  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(client: LibraryClient, opts: LibraryOptions = {}, onFilterChange: () => void = () => undefined) {
    this.#client = client;
    this.#onFilterChange = onFilterChange;
    this.pageSize = opts.pageSize ?? 200;
    this.#maxPages = opts.maxPages ?? 40;
    this.#searchDelay = opts.searchDelayMs ?? 180;
  }

  get isFiltered(): boolean {
    const f = this.filter;
    return f.query.trim() !== '' || f.kind !== null || f.tag !== null || f.mediaId !== null;
  }

  /** The clip at a grid index, or undefined while its page is not here. */
  clipAt(index: number): ClipRecord | undefined {
    return this.#pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** The index of a loaded clip (-1 when it is not on a loaded page). */
  indexOf(clipId: number): number {
    for (const [page, clips] of this.#pages) {
      const i = clips.findIndex((c) => c.id === clipId);
      if (i >= 0) return page * this.pageSize + i;
    }
    return -1;
  }

  /** First load: the first page, the tag counts and the videos. */
  async load(): Promise<void> {
    await Promise.all([this.#fetchPage(0, this.#generation), this.loadFacets()]);
  }

  async loadFacets(): Promise<void> {
    const [tags, media] = await Promise.all([
      this.#client.call('listTags', this.filter.kind ? { kind: this.filter.kind } : {}),
      this.#client.call('listMedia', {}),
    ]);
    if (tags.ok) this.tags = tags.value;
    if (media.ok) this.media = media.value;
  }

  /** The grid shows [start, end): fetch what is missing there. */
  ensureRange(start: number, end: number): Promise<void> {
    this.#visible = { start, end };
    const gen = this.#generation;
    const wanted = pagesFor(start, end, this.pageSize).filter((p) => !this.#pages.has(p));
    return Promise.all(wanted.map((p) => this.#fetchPage(p, gen))).then(() => undefined);
  }

  setSearch(text: string): void {
    this.searchText = text;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.applySearch(), this.#searchDelay);
  }

  /** Runs the search box's text now (Enter, or the debounce). */
  applySearch(): Promise<void> {
    clearTimeout(this.#searchTimer);
    if (this.searchText.trim() === this.filter.query.trim()) return Promise.resolve();
    return this.#setFilter({ query: this.searchText });
  }

  setKind(kind: TagKind | null): Promise<void> {
    // A tag of another kind would match nothing.
    const tag = kind !== null && !this.tags.some((t) => t.name === this.filter.tag && t.kind === kind) ? null : this.filter.tag;
    const done = this.#setFilter({ kind, tag });
    return Promise.all([done, this.loadFacets()]).then(() => undefined);
  }

  setTag(tag: string | null): Promise<void> {
    return this.#setFilter({ tag });
  }

  setMedia(mediaId: number | null): Promise<void> {
    return this.#setFilter({ mediaId });
  }

  clearFilters(): Promise<void> {
    this.searchText = '';
    clearTimeout(this.#searchTimer);
    const done = this.#setFilter({ ...EMPTY_FILTER });
    return Promise.all([done, this.loadFacets()]).then(() => undefined);
  }

  /**
   * Something changed in the library: fetch the pages on screen again and drop the rest. The old
   * pages stay visible until the new ones arrive, so the grid does not flash.
   */
  async refresh(): Promise<void> {
    const gen = ++this.#generation;
    const keep = new Set(pagesFor(this.#visible.start, Math.max(this.#visible.end, this.#visible.start + 1), this.pageSize));
    if (keep.size === 0) keep.add(0);
    this.#inflight.clear();
    await Promise.all([...keep].map((p) => this.#fetchPage(p, gen, true)));
    if (gen !== this.#generation) return;
    for (const p of [...this.#pages.keys()]) if (!keep.has(p)) this.#pages.delete(p);
  }

  /** Puts edited clips (as the backend returned them) in place, wherever they are loaded. */
  updateClips(clips: readonly ClipRecord[]): void {
    const byId = new Map(clips.map((c) => [c.id, c]));
    for (const [page, list] of this.#pages) {
      if (!list.some((c) => byId.has(c.id))) continue;
      this.#pages.set(page, list.map((c) => byId.get(c.id) ?? c));
    }
  }

  #setFilter(change: Partial<LibraryFilter>): Promise<void> {
    this.filter = { ...this.filter, ...change };
    this.filterVersion++;
    this.#onFilterChange();
    const gen = ++this.#generation;
    this.#pages.clear();
    this.#inflight.clear();
    this.#visible = { start: 0, end: 0 };
    return this.#fetchPage(0, gen);
  }

  #request(offset: number) {
    const f = this.filter;
    return {
      limit: this.pageSize,
      offset,
      ...(f.query.trim() !== '' && { query: f.query.trim() }),
      ...(f.kind !== null && { kind: f.kind }),
      ...(f.tag !== null && { tag: f.tag }),
      ...(f.mediaId !== null && { mediaId: f.mediaId }),
    };
  }

  #fetchPage(page: number, gen: number, force = false): Promise<void> {
    const running = this.#inflight.get(page);
    if (running && !force) return running;
    const task = (async () => {
      const result = await this.#client.call('listClips', this.#request(page * this.pageSize));
      // An answer for an older filter is dropped.
      if (gen !== this.#generation) return;
      if (!result.ok) {
        this.error = result.error.message;
        return;
      }
      this.error = null;
      this.total = result.value.total;
      this.#pages.set(page, result.value.clips);
      this.#evict();
    })().finally(() => {
      if (this.#inflight.get(page) === task) this.#inflight.delete(page);
    });
    this.#inflight.set(page, task);
    return task;
  }

  #evict(): void {
    if (this.#pages.size <= this.#maxPages) return;
    const centre = Math.floor((this.#visible.start + this.#visible.end) / 2 / this.pageSize);
    const byDistance = [...this.#pages.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
    for (const p of byDistance.slice(0, this.#pages.size - this.#maxPages)) this.#pages.delete(p);
  }
}
