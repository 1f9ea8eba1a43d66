// Wires the small stores together: events from the core go to the queue, the library and the
// custom tags, edits patch what is on screen, keyboard actions move the selection or drive the
// clip view and the review.
import type { AppInfo } from '../../../shared/contract.js';
import type { ClipRecord } from '../../../shared/types.js';
import type { KeyAction, View } from '../lib/keyboard.js';
import { summarizeTags } from '../lib/tags.js';
import type { Transport } from '../lib/transport.js';
import { ClipViewStore } from './clip-view.svelte.js';
import { CustomTagsStore } from './custom-tags.svelte.js';
import { TagEditStore } from './edits.svelte.js';
import { LibraryStore, type LibraryOptions } from './library.svelte.js';
import { QueueStore } from './queue.svelte.js';
import { TagReviewStore } from './review.svelte.js';
import { SelectionStore } from './selection.svelte.js';

export type AppClient = Pick<Transport, 'call' | 'on' | 'mediaUrl' | 'addFile' | 'transport'>;

export interface AppOptions {
  library?: LibraryOptions;
  /** Quiet time before the grid refetches after library changes (many arrive during an ingest). */
  refreshDelayMs?: number;
}

export class AppState {
  view = $state<View>('library');
  info = $state.raw<AppInfo | null>(null);
  queueOpen = $state(false);

  readonly library: LibraryStore;
  readonly queue: QueueStore;
  readonly selection = new SelectionStore();
  readonly clipView: ClipViewStore;
  readonly edits: TagEditStore;
  readonly customTags: CustomTagsStore;
  readonly review: TagReviewStore;
  readonly client: AppClient;

  readonly #refreshDelay: number;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Where Back from the clip view goes (a clip opened from the review returns there). */
  #returnTo: 'library' | 'review' = 'library';

  constructor(client: AppClient, opts: AppOptions = {}) {
    this.client = client;
    this.library = new LibraryStore(client, opts.library, () => {
      // Indices mean other clips now.
      this.selection.reset();
      // The new filter's clips are what the user asked to see.
      if (this.view !== 'library') this.#toLibrary();
    });
    this.queue = new QueueStore(client);
    this.clipView = new ClipViewStore(client);
    this.edits = new TagEditStore(client, (clips) => this.#edited(clips));
    this.customTags = new CustomTagsStore(client, { onEdited: (clips) => this.#edited(clips) });
    this.review = new TagReviewStore(client, (name, clipId, yes) => this.customTags.answer(name, clipId, yes));
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
        // A training or a new threshold may have tagged any clip.
        if (d && (e.reason === 'train' || e.clipIds.includes(d.clip.id) || e.mediaIds.includes(d.media.id))) void this.clipView.reload();
        if (e.reason === 'train') {
          this.customTags.onTrained();
          if (this.view === 'review') void this.review.reload();
        } else if (e.reason === 'tags') void this.customTags.load();
      }),
      this.client.on('trainProgress', (e) => this.customTags.onProgress(e)),
      this.client.on('trainEnd', (e) => this.customTags.onTrainEnd(e)),
    ];
    void this.client.call('appInfo', {}).then((r) => {
      if (r.ok) this.info = r.value;
    });
    void this.library.load();
    void this.queue.load();
    void this.customTags.load();
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
    if (this.view !== 'clip') this.#returnTo = this.view === 'review' ? 'review' : 'library';
    this.view = 'clip';
    await this.clipView.open(clipId);
  }

  back(): void {
    if (this.view === 'clip' && this.#returnTo === 'review' && this.review.name !== null) {
      this.view = 'review';
      this.clipView.close();
      void this.review.reload();
      return;
    }
    this.#toLibrary();
  }

  /** The selection becomes the examples of a custom tag, which then trains. */
  teach(text: string): Promise<boolean> {
    return this.customTags.teach(text, this.selection.selectedIds());
  }

  /** The selection is "not this" for a custom tag. */
  rejectSelection(text: string): Promise<boolean> {
    return this.customTags.reject(text, this.selection.selectedIds());
  }

  async openReview(name: string): Promise<void> {
    this.clipView.close();
    this.view = 'review';
    await this.review.open(name);
  }

  /** Forgets a tag's model; a review of it closes. */
  async forget(name: string): Promise<boolean> {
    const ok = await this.customTags.forget(name);
    if (ok && this.view === 'review' && this.review.name === name) this.view = 'library';
    return ok;
  }

  /** Trains the tag again with the answers given since; the review (if open on it) follows. */
  async retrain(name: string): Promise<boolean> {
    const ok = await this.customTags.train(name);
    if (ok && this.review.name === name) await this.review.reload();
    return ok;
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
      case 'answer': {
        const first = this.review.items[0];
        if (this.view === 'review' && first) await this.review.answer(first.clip.id, action.yes);
        return;
      }
      default:
        return;
    }
  }

  #toLibrary(): void {
    this.view = 'library';
    this.#returnTo = 'library';
    this.clipView.close();
    this.review.close();
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
