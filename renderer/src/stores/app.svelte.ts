// Wires the small stores together: events from the core go to the queue and the library, edits
// patch what is on screen, keyboard actions move the selection or drive the clip view.
import type { AppInfo } from '../../../shared/contract.js';
import type { ClipRecord } from '../../../shared/types.js';
import type { KeyAction } from '../lib/keyboard.js';
import { summarizeTags } from '../lib/tags.js';
import type { Transport } from '../lib/transport.js';
import { ClipViewStore } from './clip-view.svelte.js';
import { TagEditStore } from './edits.svelte.js';
import { LibraryStore, type LibraryOptions } from './library.svelte.js';
import { QueueStore } from './queue.svelte.js';
import { SelectionStore } from './selection.svelte.js';

export type AppClient = Pick<Transport, 'call' | 'on' | 'mediaUrl' | 'addFile' | 'transport'>;

export interface AppOptions {
  library?: LibraryOptions;
  /** Quiet time before the grid refetches after library changes (many arrive during an ingest). */
  refreshDelayMs?: number;
}

export class AppState {
  view = $state<'library' | 'clip'>('library');
  info = $state.raw<AppInfo | null>(null);
  queueOpen = $state(false);

  readonly library: LibraryStore;
  readonly queue: QueueStore;
  readonly selection = new SelectionStore();
  readonly clipView: ClipViewStore;
  readonly edits: TagEditStore;
  readonly client: AppClient;

  readonly #refreshDelay: number;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(client: AppClient, opts: AppOptions = {}) {
    this.client = client;
    this.library = new LibraryStore(client, opts.library, () => {
      // Indices mean other clips now.
      this.selection.reset();
      if (this.view === 'clip') this.back();
    });
    this.queue = new QueueStore(client);
    this.clipView = new ClipViewStore(client);
    this.edits = new TagEditStore(client, (clips) => this.#edited(clips));
    this.#refreshDelay = opts.refreshDelayMs ?? 300;
  }

  /** Loaded clips that are selected (a selection may reach pages no longer in memory). */
  get selectedClips(): ClipRecord[] {
    const out: ClipRecord[] = [];
    for (const id of this.selection.ids) {
      const i = this.library.indexOf(id);
      const clip = i >= 0 ? this.library.clipAt(i) : undefined;
      if (clip) out.push(clip);
    }
    return out;
  }

  get selectionTags() {
    return summarizeTags(this.selectedClips);
  }

  /** Subscribes to the core's events and loads everything; returns the unsubscribe. */
  start(): () => void {
    const offs = [
      this.client.on('jobProgress', (e) => this.queue.onProgress(e)),
      this.client.on('jobEnd', (e) => {
        this.queue.onEnd(e);
        if (e.status === 'error') this.queueOpen = true;
      }),
      this.client.on('libraryChanged', (e) => {
        this.#scheduleRefresh();
        const d = this.clipView.detail;
        if (d && (e.clipIds.includes(d.clip.id) || e.mediaIds.includes(d.media.id))) void this.clipView.reload();
      }),
    ];
    void this.client.call('appInfo', {}).then((r) => {
      if (r.ok) this.info = r.value;
    });
    void this.library.load();
    void this.queue.load();
    return () => {
      clearTimeout(this.#refreshTimer);
      for (const off of offs) off();
    };
  }

  async addFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    this.queueOpen = true;
    await this.queue.add(files);
  }

  idAt = (index: number): number | undefined => this.library.clipAt(index)?.id;

  async openIndex(index: number): Promise<void> {
    const clip = this.library.clipAt(index);
    if (!clip) return;
    this.selection.focus = index;
    await this.openClip(clip.id);
  }

  async openClip(clipId: number): Promise<void> {
    this.view = 'clip';
    await this.clipView.open(clipId);
  }

  back(): void {
    this.view = 'library';
    this.clipView.close();
  }

  /** The clip before / after the open one, in the grid's order (else in its video's). */
  async step(delta: -1 | 1): Promise<void> {
    const d = this.clipView.detail;
    if (!d) return;
    const i = this.library.indexOf(d.clip.id);
    if (i >= 0) {
      const next = i + delta;
      if (next < 0 || next >= (this.library.total ?? 0)) return;
      await this.library.ensureRange(next, next + 1);
      const clip = this.library.clipAt(next);
      if (!clip) return;
      this.selection.click(next, this.idAt);
      await this.clipView.open(clip.id);
      return;
    }
    const pos = this.clipView.position + delta;
    const clip = d.timeline[pos];
    if (clip) await this.clipView.open(clip.id);
  }

  /** Runs a keyboard action (see lib/keyboard.ts); focusSearch and blur are the view's. */
  async run(action: KeyAction): Promise<void> {
    switch (action.type) {
      case 'move': {
        const total = this.library.total ?? 0;
        const to = this.selection.move(action.move, total, this.idAt, action.extend);
        if (to >= 0 && this.library.clipAt(to) === undefined) {
          await this.library.ensureRange(to, to + 1);
          // The page arrived: select what the key meant to select.
          if (this.selection.focus === to && !action.extend) {
            this.selection.ids.clear();
            const id = this.idAt(to);
            if (id !== undefined) this.selection.ids.add(id);
          }
        }
        return;
      }
      case 'open':
        if (this.selection.focus >= 0) await this.openIndex(this.selection.focus);
        return;
      case 'clearSelection':
        this.selection.clear();
        return;
      case 'back':
        this.back();
        return;
      case 'togglePlay':
        this.clipView.togglePlay();
        return;
      case 'prevClip':
        return this.step(-1);
      case 'nextClip':
        return this.step(1);
      default:
        return;
    }
  }

  #edited(clips: ClipRecord[]): void {
    this.library.updateClips(clips);
    const open = this.clipView.detail;
    if (open && clips.some((c) => c.mediaId === open.media.id)) void this.clipView.reload();
    void this.library.loadFacets();
  }

  #scheduleRefresh(): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => {
      void this.library.refresh();
      void this.library.loadFacets();
    }, this.#refreshDelay);
  }
}
