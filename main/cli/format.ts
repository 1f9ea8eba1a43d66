// Human-readable and JSON renderings of core results for the terminal.
import type { ClipRecord, TagModelInfo, Transition } from '../../shared/types.js';

export function timecode(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = sec - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
}

export function clipJson(c: ClipRecord) {
  return {
    id: c.id,
    media: c.mediaPath,
    start: round(c.start),
    end: round(c.end),
    start_frame: c.startFrame,
    end_frame: c.endFrame,
    start_transition: c.startTransition,
    end_transition: c.endTransition,
    tags: c.tags.map((t) => ({ name: t.name, kind: t.kind, confidence: t.confidence, source: t.source })),
  };
}

export function transitionJson(t: Transition) {
  return { type: t.type, start_frame: t.startFrame, end_frame: t.endFrame, confidence: t.confidence };
}

export function clipLine(c: ClipRecord): string {
  const tags = c.tags
    .filter((t) => t.kind !== 'transition')
    .map((t) => `${t.name}${t.source === 'user' ? '*' : ''} ${t.confidence.toFixed(2)}`)
    .join(', ');
  const edges = `${c.startTransition ?? 'start'}→${c.endTransition ?? 'end'}`;
  return `#${c.id}  ${timecode(c.start)}–${timecode(c.end)}  ${edges.padEnd(13)} ${tags || '(no tags)'}`;
}

export function printClips(clips: ClipRecord[], out: (s: string) => void): void {
  let media = '';
  for (const c of clips) {
    if (c.mediaPath !== media) {
      media = c.mediaPath;
      out(media);
    }
    out(`  ${clipLine(c)}`);
  }
  if (clips.length === 0) out('no clips');
}

/** Lines describing a trained custom tag: its threshold, cross-validated quality and reach. */
export function describeTagModel(m: TagModelInfo): string[] {
  const q = m.quality;
  const cv = q.folds > 0 ? `${q.folds}-fold cross-validation` : 'too few examples to cross-validate';
  return [
    `tag "${m.name}" (model v${m.version}): ${m.examples.positives} examples, ${m.examples.negatives} "not this", ${m.examples.background} background`,
    `  quality on the examples (${cv}) at threshold ${m.threshold}: precision ${q.precision.toFixed(3)}, recall ${q.recall.toFixed(3)}, F1 ${q.f1.toFixed(3)}`,
    `  suggested threshold ${m.suggestedThreshold}; tags ${m.tagged} of ${m.scored} clips`,
  ];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
