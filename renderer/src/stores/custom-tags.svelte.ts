// Custom tags the user teaches: the trained models with their quality, the one training that may
// run (fed by trainProgress events), thresholds being dragged (quality previewed from the held-out
// scores, committed on release), and how many answers the user gave since a tag last trained.
import { SvelteMap } from 'svelte/reactivity';
import type { ReeltagClient } from '../../../shared/client.js';
import { LIMITS, type TrainEndEvent, type TrainPhase, type TrainProgressEvent } from '../../../shared/contract.js';
import { qualityAt } from '../../../shared/tag-quality.js';
import type { ClipRecord, TagModelInfo, TagQuality } from '../../../shared/types.js';
import { parseTagNames } from './edits.svelte.js';

/** The backend refuses to train with fewer (main/core/ml/tags/examples.ts). */
export const MIN_EXAMPLES = 5;

export interface TrainingState {
  name: string;
  phase: TrainPhase;
  /** 0..1 of the whole training. */
  fraction: number;
  /** Cancel was asked for and not yet answered. */
  cancelling: boolean;
}

export type CustomTagsClient = Pick<ReeltagClient, 'call'>;

export interface CustomTagsOptions {
  onEdited?: (clips: ClipRecord[]) => void;
  now?: () => number;
}

/** Progress events travel apart from the call's answer and may land just after it. */
const LATE_EVENT_MS = 3000;

export class CustomTagsStore {
  /** Trained tags, by name. */
  models = $state.raw<TagModelInfo[]>([]);
  /** Every custom tag in the library (trained or not), for suggestions. */
  names = $state.raw<string[]>([]);
  training = $state<TrainingState | null>(null);
  /** The last training or edit failed: what the user should read. */
  error = $state<string | null>(null);
  /** The last training ended otherwise (done, cancelled): a quiet line, not an alarm. */
  notice = $state<string | null>(null);
  /** Threshold being dragged, by tag name; absent once committed. */
  readonly drafts = new SvelteMap<string, number>();
  /** Yes / no answers given since the tag last trained, by tag name. */
  readonly answers = new SvelteMap<string, number>();

  readonly #client: CustomTagsClient;
  readonly #onEdited: (clips: ClipRecord[]) => void;
  readonly #now: () => number;
  /** The training this window started: its end comes as the call's answer, not as an event. */
  #own: string | null = null;
  #lastEnd: { name: string; at: number } | null = null;

  constructor(client: CustomTagsClient, opts: CustomTagsOptions = {}) {
    this.#client = client;
    this.#onEdited = opts.onEdited ?? (() => undefined);
    this.#now = opts.now ?? Date.now;
  }

  get busy(): boolean {
    return this.training !== null;
  }

  model(name: string): TagModelInfo | undefined {
    return this.models.find((m) => m.name === name);
  }

  async load(): Promise<void> {
    const asked = this.#now();
    const [models, tags, status] = await Promise.all([
      this.#client.call('listTagModels', {}),
      this.#client.call('listTags', { kind: 'custom' }),
      this.#client.call('trainingStatus', {}),
    ]);
    if (models.ok) this.models = [...models.value].sort((a, b) => a.name.localeCompare(b.name));
    if (tags.ok) this.names = tags.value.map((t) => t.name);
    // A training that runs already (started by another window, or before a reload) shows at once,
    // unless it ended while the answer travelled or a progress event has got here first.
    if (status.ok && status.value && this.#own === null && this.training === null) {
      const ended = this.#lastEnd?.name === status.value.name && this.#lastEnd.at >= asked;
      if (!ended) this.onProgress(status.value);
    }
  }

  /** Every custom tag name, the trained ones first. */
  get allNames(): string[] {
    return [...new Set([...this.models.map((m) => m.name), ...this.names])];
  }

  /** Tags the clips with `text` as the user's examples, then trains the tag on all of its examples. */
  async teach(text: string, clipIds: readonly number[]): Promise<boolean> {
    const name = parseTagNames(text)[0];
    if (!name || clipIds.length === 0 || this.busy) return false;
    this.error = null;
    this.notice = null;
    const failed = await this.#edit('tagClips', name, clipIds);
    if (failed) {
      this.error = failed;
      return false;
    }
    return this.train(name);
  }

  /** The clips are "not this" for the tag: examples the next training learns to reject. */
  async reject(text: string, clipIds: readonly number[]): Promise<boolean> {
    const name = parseTagNames(text)[0];
    if (!name || clipIds.length === 0) return false;
    const failed = await this.#edit('untagClips', name, clipIds);
    this.error = failed;
    if (!failed) this.notice = `${clipIds.length === 1 ? '1 clip' : `${clipIds.length} clips`} marked “not ${name}”; retrain to use them.`;
    return !failed;
  }

  /** A yes or no from the review (counts toward "retrain with N new answers"); the error, if any. */
  answer(name: string, clipId: number, yes: boolean): Promise<string | null> {
    return this.#edit(yes ? 'tagClips' : 'untagClips', name, [clipId]);
  }

  /** Trains (or retrains) a tag; resolves when it is done, failed or cancelled. */
  async train(name: string): Promise<boolean> {
    if (this.busy) {
      this.error = `Already training “${this.training!.name}”: wait for it or cancel it.`;
      return false;
    }
    this.error = null;
    this.notice = null;
    this.#own = name;
    this.training = { name, phase: 'examples', fraction: 0, cancelling: false };
    const before = this.model(name);
    const r = await this.#client.call('trainTag', { name });
    this.#own = null;
    this.#lastEnd = { name, at: this.#now() };
    this.training = null;
    // Whatever was said while it ran (e.g. "already training") is over now.
    this.error = null;
    if (!r.ok) {
      if (r.error.code === 'cancelled') this.notice = `Training “${name}” was cancelled; nothing changed.`;
      else this.error = `Could not teach “${name}”: ${r.error.message}`;
      return false;
    }
    this.#put(r.value);
    this.drafts.delete(name);
    this.answers.delete(name);
    this.notice = `${before ? 'Retrained' : 'Taught'} “${name}”: ${r.value.tagged} ${r.value.tagged === 1 ? 'clip' : 'clips'} tagged.`;
    void this.load();
    return true;
  }

  /** Deletes the tag's model and what it tagged; the user's own answers stay for a later training. */
  async forget(name: string): Promise<boolean> {
    const r = await this.#client.call('forgetTag', { name });
    if (!r.ok) {
      this.error = `Could not forget “${name}”: ${r.error.message}`;
      return false;
    }
    this.models = this.models.filter((m) => m.name !== name);
    this.drafts.delete(name);
    this.answers.delete(name);
    this.notice = `Forgot the model of “${name}”; your own tags and “not this” answers are kept.`;
    return true;
  }

  dismiss(): void {
    this.error = null;
    this.notice = null;
  }

  async cancel(): Promise<void> {
    if (!this.training) return;
    this.training.cancelling = true;
    const r = await this.#client.call('cancelTraining', {});
    if (!r.ok) this.error = r.error.message;
    // Nothing was running after all (it ended while the click travelled).
    else if (!r.value.cancelled && this.training && this.#own === null) this.training = null;
  }

  onProgress(e: TrainProgressEvent): void {
    // While ours runs only its events count; after it, its stragglers must not bring the bar
    // back. Otherwise it is a training another window started, and it shows too.
    if (this.#own !== null ? this.#own !== e.name : this.#lastEnd?.name === e.name && this.#now() - this.#lastEnd.at < LATE_EVENT_MS) return;
    const cancelling = this.training?.name === e.name && this.training.cancelling;
    this.training = { name: e.name, phase: e.phase, fraction: Math.max(0, Math.min(1, e.fraction)), cancelling };
  }

  /** A training ended (trainEnd): a stranger's bar goes, whatever the outcome; ours ends with its call. */
  onTrainEnd(e: TrainEndEvent): void {
    if (this.#own !== null) return;
    // Remembered even with no bar up: a trainingStatus answer already on its way is then stale.
    this.#lastEnd = { name: e.name, at: this.#now() };
    if (this.training?.name === e.name) this.training = null;
  }

  /** A training ended somewhere (libraryChanged 'train'): refetch, and drop a stranger's bar. */
  onTrained(): void {
    if (this.#own === null) this.training = null;
    void this.load();
  }

  /** The threshold shown: the one being dragged, else the model's. */
  threshold(name: string): number {
    return this.drafts.get(name) ?? this.model(name)?.threshold ?? 0.5;
  }

  /** Quality at the shown threshold, from the cross-validation's held-out scores (no round trip). */
  quality(name: string): TagQuality | null {
    const m = this.model(name);
    if (!m) return null;
    const draft = this.drafts.get(name);
    return draft === undefined ? m.quality : qualityAt(m.heldOut, draft, m.quality.folds);
  }

  preview(name: string, threshold: number): void {
    this.drafts.set(name, Math.max(0, Math.min(1, threshold)));
  }

  /** Commits the dragged threshold (slider released); the library re-derives the tag's rows. */
  async commit(name: string): Promise<boolean> {
    const t = this.drafts.get(name);
    const m = this.model(name);
    if (t === undefined || !m) return false;
    if (t === m.threshold) {
      this.drafts.delete(name);
      return true;
    }
    const r = await this.#client.call('setTagThreshold', { name, threshold: t });
    // A newer drag started while this one travelled: it commits on its own release.
    if (this.drafts.get(name) === t) this.drafts.delete(name);
    if (!r.ok) {
      this.error = `Could not move the threshold of “${name}”: ${r.error.message}`;
      return false;
    }
    this.#put(r.value);
    return true;
  }

  /** Null when it worked, else the error to show. */
  async #edit(method: 'tagClips' | 'untagClips', name: string, clipIds: readonly number[]): Promise<string | null> {
    const ids = clipIds.slice(0, LIMITS.editClips);
    const r = await this.#client.call(method, { clipIds: ids, names: [name], kind: 'custom' });
    if (!r.ok) return r.error.message;
    this.answers.set(name, (this.answers.get(name) ?? 0) + ids.length);
    if (method === 'tagClips' && !this.names.includes(name)) this.names = [...this.names, name];
    this.#onEdited(r.value.clips);
    return null;
  }

  #put(info: TagModelInfo): void {
    this.models = [...this.models.filter((m) => m.name !== info.name), info].sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** "P 0.95 · R 0.88 · 5-fold CV on 12 examples", or why there is no such line. */
export function qualityLine(q: TagQuality, examples: number): string {
  if (q.folds === 0) return `Not cross-validated: too few examples (${examples})`;
  return `P ${q.precision.toFixed(2)} · R ${q.recall.toFixed(2)} · ${q.folds}-fold CV on ${examples} examples`;
}

export const PHASE_LABELS: Record<TrainPhase, string> = {
  examples: 'Gathering examples',
  'cross-validate': 'Cross-validating',
  fit: 'Training',
  apply: 'Tagging the library',
  store: 'Saving',
};
