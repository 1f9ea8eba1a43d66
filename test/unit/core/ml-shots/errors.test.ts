import { describe, expect, it } from 'vitest';
import type { Span } from '../../../../main/core/ml/shots/evaluate.js';
import { errorsBySource } from '../../../../main/core/ml/shots/training/errors.js';
import { segmentStarts, sourceAt, truthOf, type RecipeVideo, type Segment } from '../../../../main/core/ml/shots/training/recipe.js';

const footage = (file: string, frames: number): Segment => ({
  source: { kind: 'video', path: `/f/${file}`, startSec: 0, speed: 1, flip: false, zoom: 1, cropX: 0, cropY: 0 },
  frames,
  effects: [],
});
const photo = (file: string, frames: number): Segment => ({ source: { kind: 'photo', path: `/p/${file}`, motion: 'pan-fast' }, frames, effects: [] });

const video: RecipeVideo = {
  name: 'v',
  fps: 25,
  width: 320,
  height: 180,
  codec: 'h264',
  quality: 0.5,
  segments: [footage('diver.mov', 50), footage('ball.mp4', 60), photo('scream.jpg', 50)],
  joins: [
    { type: 'cut', frames: 0 },
    { type: 'dissolve', frames: 10 },
  ],
};

describe('errors by footage', () => {
  it('knows what every frame of a planned video shows', () => {
    // The dissolve's first blended frame is 100; the photo starts one frame before it.
    expect(truthOf(video).transitions).toEqual([
      { type: 'cut', startFrame: 49, endFrame: 50 },
      { type: 'dissolve', startFrame: 100, endFrame: 109 },
    ]);
    expect(segmentStarts(video)).toEqual([0, 50, 99]);
    expect([0, 49, 50, 98, 99, 140].map((f) => sourceAt(video, f))).toEqual([
      'diver.mov', 'diver.mov', 'ball.mp4', 'ball.mp4', 'scream.jpg (pan-fast)', 'scream.jpg (pan-fast)',
    ]);
  });

  it('counts false alarms where they fall and misses by the shots they join, as evaluate() does', () => {
    const truth = truthOf(video);
    const predicted: Span[] = [
      { type: 'cut', startFrame: 49, endFrame: 50 }, // a hit
      { type: 'dissolve', startFrame: 20, endFrame: 30 }, // inside the diver shot
      { type: 'dissolve', startFrame: 70, endFrame: 80 }, // inside the ball shot
      { type: 'dissolve', startFrame: 24, endFrame: 28 }, // diver again
      { type: 'fade', startFrame: 102, endFrame: 107 }, // on the dissolve, but the wrong type
    ];
    const e = errorsBySource([{ plan: video, truth }], [predicted]);
    expect(e.cut).toEqual({ falseAlarms: [], misses: [] });
    expect(e.dissolve.falseAlarms).toEqual([
      { where: 'diver.mov', count: 2 },
      { where: 'ball.mp4', count: 1 },
    ]);
    expect(e.dissolve.misses).toEqual([{ where: 'ball.mp4 → scream.jpg (pan-fast)', count: 1 }]);
    expect(e.fade.falseAlarms).toEqual([{ where: 'scream.jpg (pan-fast)', count: 1 }]);
    expect(e.fade.misses).toEqual([]);
  });
});
