// Small display helpers: times, percentages, file names, tag kinds.
import type { TagKind } from '../../../shared/types.js';

/** 75.25 → "1:15.2"; over an hour "1:02:03.4". */
export function formatTime(seconds: number): string {
  const s = Math.max(0, Number.isFinite(seconds) ? seconds : 0);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = (s % 60).toFixed(1).padStart(4, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** 0.934 → "93%". */
export function percent(fraction: number): string {
  return `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}

export function baseName(p: string): string {
  return p.split(/[/\\]/).pop() || p;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export const KIND_LABELS: Record<TagKind, string> = {
  object: 'Objects',
  rating: 'Rating',
  transition: 'Transitions',
  attribute: 'Attributes',
  custom: 'Custom',
};

/** One tag across kinds: "object:dog". */
export function tagKey(tag: { kind: TagKind; name: string }): string {
  return `${tag.kind}:${tag.name}`;
}
