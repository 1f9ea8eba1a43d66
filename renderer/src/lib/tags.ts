// Tags across several clips (a selection): which ones, on how many clips, how sure.
import type { ClipRecord, ClipTag, TagKind } from '../../../shared/types.js';
import { TAG_KINDS } from '../../../shared/contract.js';

export interface TagSummary {
  name: string;
  kind: TagKind;
  /** Clips (of those given) that carry it. */
  clips: number;
  /** Highest confidence among them. */
  confidence: number;
  /** Set by the user on at least one of them. */
  user: boolean;
}

const KIND_ORDER = new Map(TAG_KINDS.map((k, i) => [k, i]));

export function sortTags<T extends Pick<ClipTag, 'kind' | 'name' | 'confidence'>>(tags: readonly T[]): T[] {
  return [...tags].sort(
    (a, b) => (KIND_ORDER.get(a.kind) ?? 9) - (KIND_ORDER.get(b.kind) ?? 9) || b.confidence - a.confidence || a.name.localeCompare(b.name),
  );
}

export function summarizeTags(clips: readonly ClipRecord[]): TagSummary[] {
  const byKey = new Map<string, TagSummary>();
  for (const clip of clips) {
    for (const t of clip.tags) {
      const key = `${t.kind}:${t.name}`;
      const s = byKey.get(key);
      if (s) {
        s.clips++;
        s.confidence = Math.max(s.confidence, t.confidence);
        s.user ||= t.source === 'user';
      } else byKey.set(key, { name: t.name, kind: t.kind, clips: 1, confidence: t.confidence, user: t.source === 'user' });
    }
  }
  return sortTags([...byKey.values()]).sort((a, b) => b.clips - a.clips);
}

/**
 * The few tags a grid tile has room for: the user's first, then the custom tags a model learned
 * from them (their own vocabulary, which a confident "neutral" must not push out), then the most
 * confident.
 */
export function tileTags(tags: readonly ClipTag[], max = 3): ClipTag[] {
  const rank = (t: ClipTag) => (t.source === 'user' ? 0 : t.kind === 'custom' ? 1 : 2);
  return [...tags]
    .filter((t) => t.kind !== 'transition')
    .sort((a, b) => rank(a) - rank(b) || b.confidence - a.confidence)
    .slice(0, max);
}

/**
 * Names for what is being typed: those starting with it, then those containing it, each group in
 * the given order (callers put the likelier ones first); never the text itself.
 */
export function suggestNames(names: readonly string[], text: string, max = 8): string[] {
  const q = text.trim().toLowerCase();
  const hits = names.filter((n) => n.toLowerCase().includes(q) && n !== text.trim());
  return [...hits.filter((n) => n.toLowerCase().startsWith(q)), ...hits.filter((n) => !n.toLowerCase().startsWith(q))].slice(0, max);
}
