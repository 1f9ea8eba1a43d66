// Tag edits on one clip or a selection: add, remove, rename. Every edit is the user's (the
// backend stores it with source 'user'); the edited clips come back and go to `onEdited`.
import type { ReeltagClient } from '../../../shared/client.js';
import { LIMITS, type Result, type TagEditResult } from '../../../shared/contract.js';
import type { ClipRecord, TagKind } from '../../../shared/types.js';

/** Splits "a, b ,c" into tag names; blank parts and repeats dropped. */
export function parseTagNames(text: string): string[] {
  const names = text
    .split(',')
    .map((s) => s.trim().replace(/\p{Cc}/gu, ''))
    .filter((s) => s !== '')
    .map((s) => s.slice(0, LIMITS.tagName));
  return [...new Set(names)].slice(0, LIMITS.editTags);
}

export class TagEditStore {
  busy = $state(false);
  error = $state<string | null>(null);
  readonly #client: Pick<ReeltagClient, 'call'>;
  readonly #onEdited: (clips: ClipRecord[]) => void;

  constructor(client: Pick<ReeltagClient, 'call'>, onEdited: (clips: ClipRecord[]) => void) {
    this.#client = client;
    this.#onEdited = onEdited;
  }

  add(clipIds: number[], text: string, kind?: TagKind): Promise<boolean> {
    const names = parseTagNames(text);
    if (names.length === 0 || clipIds.length === 0) return Promise.resolve(false);
    return this.#run(() => this.#client.call('tagClips', { clipIds, names, ...(kind && { kind }) }));
  }

  remove(clipIds: number[], name: string, kind?: TagKind): Promise<boolean> {
    if (clipIds.length === 0) return Promise.resolve(false);
    return this.#run(() => this.#client.call('untagClips', { clipIds, names: [name], ...(kind && { kind }) }));
  }

  rename(clipIds: number[], from: string, to: string, kind?: TagKind): Promise<boolean> {
    const target = parseTagNames(to)[0];
    if (!target || target === from || clipIds.length === 0) return Promise.resolve(false);
    return this.#run(() => this.#client.call('renameTag', { clipIds, from, to: target, ...(kind && { kind }) }));
  }

  async #run(call: () => Promise<Result<TagEditResult>>): Promise<boolean> {
    this.busy = true;
    try {
      const r = await call();
      if (!r.ok) {
        this.error = r.error.message;
        return false;
      }
      this.error = null;
      this.#onEdited(r.value.clips);
      return true;
    } finally {
      this.busy = false;
    }
  }
}
