// Shots → clips. A clip is what a user browses: a shot, unless the shot is a sliver (merged
// into a neighbour) or very long (split into equal parts so tags stay local in time).
import type { ClipExtent, Transition, TransitionType } from '../../../../shared/types.js';

/** A clip in frames; aggregation adds the seconds. */
export type ClipSpan = Omit<ClipExtent, 'start' | 'end'>;

export interface SegmentOptions {
  /** Shots shorter than this are merged into a neighbour (seconds). */
  minClipSec?: number;
  /** Shots longer than this are split into equal parts no longer than it (seconds). */
  maxClipSec?: number;
}

interface Boundary {
  /** First frame of the new shot. */
  frame: number;
  type: TransitionType;
  confidence: number;
}

/** Where the new shot begins: after a cut, or in the middle of a dissolve or fade. */
function boundaryOf(t: Transition): Boundary {
  const frame = t.type === 'cut' ? t.endFrame : Math.round((t.startFrame + t.endFrame + 1) / 2);
  return { frame, type: t.type, confidence: t.confidence };
}

export function segment(transitions: Transition[], frameCount: number, fps: number, opts: SegmentOptions = {}): ClipSpan[] {
  if (frameCount <= 0) return [];
  const rate = fps > 0 ? fps : 25;
  const minFrames = Math.max(1, Math.round((opts.minClipSec ?? 1) * rate));
  const maxFrames = Math.max(minFrames * 2, Math.round((opts.maxClipSec ?? 30) * rate));

  let bounds = transitions
    .map(boundaryOf)
    .filter((b) => b.frame > 0 && b.frame < frameCount)
    .sort((a, b) => a.frame - b.frame)
    .filter((b, i, all) => i === 0 || b.frame !== all[i - 1]!.frame);

  // Merge slivers: repeatedly drop the weaker boundary of the shortest too-short shot.
  for (;;) {
    const edges = [0, ...bounds.map((b) => b.frame), frameCount];
    let shortest = -1;
    for (let i = 0; i + 1 < edges.length; i++) {
      const len = edges[i + 1]! - edges[i]!;
      if (len < minFrames && (shortest < 0 || len < edges[shortest + 1]! - edges[shortest]!)) shortest = i;
    }
    if (shortest < 0 || bounds.length === 0) break;
    // Shot `shortest` is bounded by bounds[shortest-1] (before) and bounds[shortest] (after).
    const before = shortest - 1 >= 0 ? bounds[shortest - 1] : undefined;
    const after = shortest < bounds.length ? bounds[shortest] : undefined;
    const drop = !before ? shortest : !after ? shortest - 1 : before.confidence <= after.confidence ? shortest - 1 : shortest;
    bounds = bounds.filter((_, i) => i !== drop);
  }

  const spans: ClipSpan[] = [];
  const edges = [0, ...bounds.map((b) => b.frame), frameCount];
  for (let i = 0; i + 1 < edges.length; i++) {
    const start = edges[i]!;
    const end = edges[i + 1]!;
    const startTransition = i > 0 ? bounds[i - 1]!.type : null;
    const endTransition = i < bounds.length ? bounds[i]!.type : null;
    const parts = Math.ceil((end - start) / maxFrames);
    for (let p = 0; p < parts; p++) {
      const a = start + Math.round(((end - start) * p) / parts);
      const b = start + Math.round(((end - start) * (p + 1)) / parts);
      spans.push({
        startFrame: a,
        endFrame: b - 1,
        startTransition: p === 0 ? startTransition : null,
        endTransition: p === parts - 1 ? endTransition : null,
      });
    }
  }
  return spans;
}
