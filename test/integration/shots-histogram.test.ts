import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FeatureTrack } from '../../main/core/ml/shots/features.js';
import { createHistogramDetector } from '../../main/core/ml/shots/histogram-detector.js';
import { footage } from '../fixtures/debian.js';
import { makeVideo, multiShotVideo } from '../fixtures/generate.js';

function track(file: string): FeatureTrack {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'scale=64:36:flags=area', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 30 });
  const t = new FeatureTrack();
  const size = 64 * 36 * 3;
  for (let off = 0; off + size <= raw.length; off += size) t.push(raw.subarray(off, off + size), 64, 36);
  return t;
}

describe('histogram shot detector', () => {
  it('finds every hard cut of a generated video within ±1 frame and nothing else', async () => {
    const video = multiShotVideo();
    const found = await createHistogramDetector().detect(track(video.path), video.fps);
    const cuts = found.filter((t) => t.type === 'cut');
    expect(cuts).toHaveLength(video.cuts.length);
    for (const [i, cut] of video.cuts.entries()) expect(Math.abs(cuts[i]!.endFrame - cut)).toBeLessThanOrEqual(1);
    expect(found.filter((t) => t.type !== 'cut')).toEqual([]);
  });

  it('ignores a one-frame flash inside a shot', async () => {
    // A white frame in the middle of a static shot: the picture returns, so it is no cut.
    const video = makeVideo('flash', [
      { source: 'smptebars', frames: 40 },
      { source: 'color=c=white', frames: 1 },
      { source: 'smptebars', frames: 40 },
    ]);
    const found = await createHistogramDetector().detect(track(video.path), video.fps);
    expect(found).toEqual([]);
  });

  it('reports a fade through black as one fade, not cuts', async () => {
    const video = makeVideo('fade', [
      { source: 'testsrc2', frames: 75, filter: 'fade=t=out:start_frame=50:nb_frames=25' },
      { source: 'smptebars', frames: 75, filter: 'fade=t=in:start_frame=0:nb_frames=25' },
    ]);
    // Fade out over frames 50..74, fade in over 75..99: one fade spanning them.
    const found = await createHistogramDetector().detect(track(video.path), video.fps);
    expect(found.map((t) => t.type)).toEqual(['fade']);
    expect(found[0]!.startFrame).toBeLessThanOrEqual(55);
    expect(found[0]!.endFrame).toBeGreaterThanOrEqual(95);
  });

  it('finds no cut in continuous real footage (a cockatoo moving)', async () => {
    const found = await createHistogramDetector().detect(track(footage.cockatoo()), 25);
    expect(found.filter((t) => t.type === 'cut')).toEqual([]);
  });
});
