// Reviewing one custom tag (active learning): the clips its model scored that the user has not
// judged, the most uncertain first (nearest the threshold: where a yes or no teaches the most).
// An answered clip leaves the list at once; the list refills from the backend when it runs low.
import type { ReeltagClient } from '../../../shared/client.js';
import type { ScoredClip } from '../../../shared/types.js';

export type ReviewOrder = 'uncertain' | 'confidence';

/** Records the answer (tagClips / untagClips); resolves to the error, or null. */
export type Answer = (name: string, clipId: number, yes: boolean) => Promise<string | null>;

export interface ReviewOptions {
  /** Clips asked for at a time (the contract allows up to 200). */
  limit?: number;
  /** Fewer left than this: fetch the next ones. */
  refillBelow?: number;
}

export class TagReviewStore {
  name = $state<string | null>(null);
  order = $state<ReviewOrder>('uncertain');
  items = $state.raw<ScoredClip[]>([]);
  loading = $state(false);
  error = $state<string | null>(null);

  readonly #client: Pick<ReeltagClient, 'call'>;
  readonly #answer: Answer;
  readonly #limit: number;
  readonly #refillBelow: number;
  /** Answers still travelling: a refill must not bring their clips back. */
  readonly #inflight = new Set<number>();
  #generation = 0;

  constructor(client: Pick<ReeltagClient, 'call'>, answer: Answer, opts: ReviewOptions = {}) {
    this.#client = client;
    this.#answer = answer;
    this.#limit = opts.limit ?? 24;
    this.#refillBelow = opts.refillBelow ?? 6;
  }

  open(name: string, order: ReviewOrder = 'uncertain'): Promise<void> {
    this.name = name;
    this.order = order;
    this.items = [];
    return this.reload();
  }

  setOrder(order: ReviewOrder): Promise<void> {
    if (order === this.order || this.name === null) return Promise.resolve();
    this.order = order;
    return this.reload();
  }

  async reload(): Promise<void> {
    const name = this.name;
    if (name === null) return;
    const gen = ++this.#generation;
    this.loading = true;
    const r = await this.#client.call('reviewTag', { name, order: this.order, limit: this.#limit });
    if (gen !== this.#generation) return;
    this.loading = false;
    if (!r.ok) {
      this.error = r.error.message;
      return;
    }
    this.error = null;
    this.items = r.value.filter((s) => !this.#inflight.has(s.clip.id));
  }

  async answer(clipId: number, yes: boolean): Promise<boolean> {
    const name = this.name;
    const index = this.items.findIndex((s) => s.clip.id === clipId);
    if (name === null || index < 0) return false;
    const item = this.items[index]!;
    this.items = this.items.filter((s) => s.clip.id !== clipId);
    this.#inflight.add(clipId);
    const failed = await this.#answer(name, clipId, yes);
    this.#inflight.delete(clipId);
    if (name !== this.name) return !failed;
    if (failed) {
      this.error = `Could not save your answer: ${failed}`;
      const items = [...this.items];
      items.splice(Math.min(index, items.length), 0, item);
      this.items = items;
      return false;
    }
    this.error = null;
    if (this.items.length < this.#refillBelow) await this.reload();
    return true;
  }

  close(): void {
    this.#generation++;
    this.name = null;
    this.items = [];
    this.loading = false;
    this.error = null;
  }
}
