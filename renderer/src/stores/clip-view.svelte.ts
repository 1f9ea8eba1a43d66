// The open clip: its detail (video, timeline, where its tags occur), the clips most like it, the
// player's time and play state, and which tag chip has focus. The player component binds to this; seeks go
// through seekRequest so they also land before the video has loaded.
import type { ReeltagClient } from '../../../shared/client.js';
import type { ClipDetail } from '../../../shared/contract.js';
import type { ScoredClip } from '../../../shared/types.js';

/** Clips the "more like this" strip shows. */
export const SIMILAR_COUNT = 12;

export class ClipViewStore {
  clipId = $state<number | null>(null);
  detail = $state.raw<ClipDetail | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  /** The player's time (written by the player). */
  currentTime = $state(0);
  paused = $state(true);
  /** The latest seek asked for; `n` makes a repeat seek to the same time a change. */
  seekRequest = $state<{ time: number; n: number } | null>(null);
  /** "kind:name" of the focused tag chip. */
  focusedTag = $state<string | null>(null);
  /** More like this: the most similar clips by embedding, best first; null while loading. */
  similar = $state.raw<ScoredClip[] | null>(null);
  similarError = $state<string | null>(null);

  readonly #client: Pick<ReeltagClient, 'call'>;
  #seeks = 0;

  constructor(client: Pick<ReeltagClient, 'call'>) {
    this.#client = client;
  }

  get clip() {
    return this.detail?.clip ?? null;
  }

  /** The video's length: from the probe, else the end of its last clip. */
  get duration(): number {
    const d = this.detail;
    if (!d) return 0;
    return Math.max(d.media.info?.durationSec ?? 0, d.timeline.at(-1)?.end ?? 0, d.clip.end);
  }

  /** 0-based position of the clip in its video. */
  get position(): number {
    const d = this.detail;
    return d ? d.timeline.findIndex((c) => c.id === d.clip.id) : -1;
  }

  async open(clipId: number): Promise<void> {
    this.clipId = clipId;
    this.loading = true;
    this.focusedTag = null;
    // Not awaited: the player need not wait for the strip under it.
    void this.#loadSimilar(clipId);
    const r = await this.#client.call('clipDetail', { clipId });
    if (this.clipId !== clipId) return;
    this.loading = false;
    if (!r.ok) {
      this.error = r.error.message;
      this.detail = null;
      return;
    }
    this.error = null;
    this.detail = r.value;
    this.seek(r.value.clip.start);
  }

  /** The clip's tags or timeline changed: fetch it again without moving the player. */
  async reload(): Promise<void> {
    const id = this.clipId;
    if (id === null) return;
    const r = await this.#client.call('clipDetail', { clipId: id });
    if (this.clipId !== id) return;
    if (r.ok) this.detail = r.value;
    else this.error = r.error.message;
  }

  close(): void {
    this.clipId = null;
    this.detail = null;
    this.error = null;
    this.paused = true;
    this.focusedTag = null;
    this.similar = null;
    this.similarError = null;
  }

  seek(time: number): void {
    this.currentTime = time;
    this.seekRequest = { time, n: ++this.#seeks };
  }

  async #loadSimilar(clipId: number): Promise<void> {
    this.similar = null;
    this.similarError = null;
    const r = await this.#client.call('similarClips', { clipId, limit: SIMILAR_COUNT });
    if (this.clipId !== clipId) return;
    if (r.ok) this.similar = r.value;
    else {
      this.similar = [];
      this.similarError = r.error.message;
    }
  }

  togglePlay(): void {
    if (!this.detail) return;
    this.paused = !this.paused;
  }
}
