// The shipped shot LSTM (assets/models/shots) through the real single decode: generated shots and
// the diver footage were never in its training set. Cuts, fades and dissolves are found; flashes
// and motion inside a shot are not taken for cuts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../main/core/jobs/stages/analyze.js';
import { probe } from '../../main/core/media/index.js';
import { createLstmDetector } from '../../main/core/ml/shots/lstm-detector.js';
import { recipeArgs, truthOf, type RecipeVideo } from '../../main/core/ml/shots/training/recipe.js';
import { footage } from '../fixtures/debian.js';
import { makeVideo, multiShotVideo } from '../fixtures/generate.js';

const detector = createLstmDetector();

async function detect(file: string) {
  const info = await probe('ffprobe', file);
  const { track } = await analyzeVideo({ ffmpeg: 'ffmpeg', input: file, info, analyzer: null });
  return detector.detect(track, info.fps);
}

describe('shot LSTM', () => {
  it('finds every hard cut of a generated video within ±1 frame and nothing else', async () => {
    const video = multiShotVideo();
    const found = await detect(video.path);
    expect(found.map((t) => t.type)).toEqual(video.cuts.map(() => 'cut'));
    for (const [i, cut] of video.cuts.entries()) expect(Math.abs(found[i]!.endFrame - cut)).toBeLessThanOrEqual(1);
  });

  it('does not take a camera flash or motion inside a shot for a cut', async () => {
    const flash = makeVideo('flash', [
      { source: 'smptebars', frames: 40 },
      { source: 'color=c=white', frames: 1 },
      { source: 'smptebars', frames: 40 },
    ]);
    expect((await detect(flash.path)).filter((t) => t.type === 'cut')).toEqual([]);
    expect((await detect(footage.cockatoo())).filter((t) => t.type === 'cut')).toEqual([]);
    expect((await detect(footage.diver())).filter((t) => t.type === 'cut')).toEqual([]);
  });

  it('types a dissolve and a fade between real shots', async () => {
    const diver = footage.diver();
    const seg = (startSec: number, frames: number) => ({
      source: { kind: 'video' as const, path: diver, startSec, speed: 1, flip: false, zoom: 1, cropX: 0.5, cropY: 0.5 },
      frames,
      effects: [],
    });
    const video: RecipeVideo = {
      name: 'lstm-typed',
      fps: 25,
      width: 480,
      height: 270,
      codec: 'h264',
      quality: 0.3,
      segments: [seg(0.5, 60), seg(5, 70), seg(10, 60)],
      joins: [
        { type: 'dissolve', frames: 20 },
        { type: 'fade', frames: 24 },
      ],
    };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-lstm-')), 'typed.mp4');
    execFileSync('ffmpeg', recipeArgs(video, file));
    const truth = truthOf(video).transitions;
    const found = await detect(file);
    for (const t of truth) {
      const hit = found.find((f) => f.type === t.type && (f.startFrame + f.endFrame) / 2 >= t.startFrame - 2 && (f.startFrame + f.endFrame) / 2 <= t.endFrame + 2);
      expect(hit, `${t.type} at ${t.startFrame}–${t.endFrame} in ${JSON.stringify(found)}`).toBeDefined();
    }
  });
});
