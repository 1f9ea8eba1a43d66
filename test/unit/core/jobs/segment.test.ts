import { describe, expect, it } from 'vitest';
import { segment } from '../../../../main/core/jobs/stages/segment.js';
import type { Transition } from '../../../../shared/types.js';

const cut = (frame: number, confidence = 0.9): Transition => ({ type: 'cut', startFrame: frame - 1, endFrame: frame, confidence });

describe('segment', () => {
  it('makes one clip per shot, edges at the cuts, covering every frame once', () => {
    const spans = segment([cut(50), cut(120)], 200, 25);
    expect(spans.map((s) => [s.startFrame, s.endFrame])).toEqual([[0, 49], [50, 119], [120, 199]]);
    expect(spans.map((s) => [s.startTransition, s.endTransition])).toEqual([[null, 'cut'], ['cut', 'cut'], ['cut', null]]);
  });

  it('puts the edge in the middle of a gradual transition and records its type', () => {
    const spans = segment([{ type: 'dissolve', startFrame: 90, endFrame: 109, confidence: 0.8 }], 250, 25);
    expect(spans.map((s) => [s.startFrame, s.endFrame])).toEqual([[0, 99], [100, 249]]);
    expect(spans[1]!.startTransition).toBe('dissolve');
  });

  it('merges a sliver across its weaker edge', () => {
    // Shot 100..109 is 0.4 s; its left cut is weaker, so it joins the shot before it.
    const spans = segment([cut(100, 0.6), cut(110, 0.95)], 300, 25);
    expect(spans.map((s) => [s.startFrame, s.endFrame])).toEqual([[0, 109], [110, 299]]);
  });

  it('splits a very long shot into equal parts without inventing transitions', () => {
    const spans = segment([], 25 * 70, 25, { maxClipSec: 30 });
    expect(spans).toHaveLength(3);
    expect(spans.map((s) => s.endFrame - s.startFrame + 1)).toEqual([583, 584, 583]);
    expect(spans.every((s) => s.startTransition === null && s.endTransition === null)).toBe(true);
  });

  it('keeps a video shorter than the minimum clip as one clip, and an empty one as none', () => {
    expect(segment([cut(3)], 5, 25)).toEqual([{ startFrame: 0, endFrame: 4, startTransition: null, endTransition: null }]);
    expect(segment([], 0, 25)).toEqual([]);
  });
});
