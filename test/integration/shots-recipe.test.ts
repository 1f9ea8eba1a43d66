// The data recipe renders what its truth says, to the frame: solid colours make every blended
// frame measurable exactly.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng, planVideo, recipeArgs, truthOf, type RecipeVideo } from '../../main/core/ml/shots/training/recipe.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-recipe-'));

/** Mean red and blue of every frame, read back through ffmpeg. */
function redBlue(file: string): { r: number; b: number; y: number }[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'scale=8:8', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 28 });
  const out = [];
  for (let off = 0; off + 192 <= raw.length; off += 192) {
    let r = 0;
    let b = 0;
    let g = 0;
    for (let i = 0; i < 64; i++) {
      r += raw[off + 3 * i]!;
      g += raw[off + 3 * i + 1]!;
      b += raw[off + 3 * i + 2]!;
    }
    out.push({ r: r / 64 / 255, b: b / 64 / 255, y: (r + g + b) / 192 / 255 });
  }
  return out;
}

const colours = (spec: string, frames: number) => ({ source: { kind: 'lavfi' as const, spec }, frames, effects: [] });

describe('shot data recipe', () => {
  it('renders cuts, dissolves and fades exactly where its truth says', () => {
    const video: RecipeVideo = {
      name: 'exact',
      fps: 25,
      width: 64,
      height: 36,
      codec: 'h264',
      quality: 0,
      segments: [colours('color=c=red', 30), colours('color=c=blue', 40), colours('color=c=red', 45), colours('color=c=blue', 30)],
      joins: [
        { type: 'cut', frames: 0 },
        { type: 'dissolve', frames: 10 },
        { type: 'fade', frames: 14 },
      ],
    };
    const truth = truthOf(video);
    expect(truth.transitions).toEqual([
      { type: 'cut', startFrame: 29, endFrame: 30 },
      { type: 'dissolve', startFrame: 60, endFrame: 69 },
      { type: 'fade', startFrame: 90, endFrame: 103 },
    ]);
    const out = path.join(tmp, 'exact.mp4');
    execFileSync('ffmpeg', recipeArgs(video, out));
    const f = redBlue(out);
    expect(f).toHaveLength(truth.frames);
    const red = (i: number) => f[i]!.r > 0.9 && f[i]!.b < 0.1;
    const blue = (i: number) => f[i]!.b > 0.9 && f[i]!.r < 0.1;
    // Cut: 29 red, 30 blue.
    expect(red(29) && blue(30)).toBe(true);
    // Dissolve 60..69: 59 pure blue, 70 pure red, every frame between a blend that moves towards red.
    expect(blue(59) && red(70)).toBe(true);
    for (let i = 60; i <= 69; i++) {
      expect(f[i]!.r).toBeGreaterThan(0.02);
      expect(f[i]!.b).toBeGreaterThan(0.02);
      if (i > 60) expect(f[i]!.r).toBeGreaterThan(f[i - 1]!.r);
    }
    // Fade 90..103 through black: 89 pure red, 104 pure blue, darkest in the middle.
    expect(red(89) && blue(104)).toBe(true);
    const darkest = Math.min(...f.slice(90, 104).map((x) => x.y));
    expect(darkest).toBeLessThan(0.08);
    // Every frame inside is dimmer than either shot's pure colour.
    for (let i = 90; i <= 103; i++) expect(Math.max(f[i]!.r, f[i]!.b)).toBeLessThan(0.97);
  });

  it('plans the same videos from the same seed and keeps transitions apart', () => {
    const pool = { videos: [{ path: '/v.mp4', durationSec: 10 }, { path: '/w.mp4', durationSec: 10 }], photos: ['/p.jpg', '/q.jpg'] };
    const a = Array.from({ length: 20 }, (_, i) => planVideo(createRng(7 + i), pool, `v${i}`));
    const b = Array.from({ length: 20 }, (_, i) => planVideo(createRng(7 + i), pool, `v${i}`));
    expect(a).toEqual(b);
    for (const v of a) {
      // Shots are continuous: a segment never runs past the end of its footage (no loop, no hidden cut).
      for (const seg of v.segments) {
        if (seg.source.kind === 'video') expect(seg.source.startSec + (seg.frames / v.fps) * seg.source.speed).toBeLessThanOrEqual(10);
      }
      // Neighbouring shots never come from the same footage.
      const paths = v.segments.map((seg) => (seg.source.kind === 'lavfi' ? seg.source.spec : seg.source.path));
      for (let i = 1; i < paths.length; i++) expect(paths[i]).not.toBe(paths[i - 1]);
      const t = truthOf(v).transitions;
      for (let i = 1; i < t.length; i++) expect(t[i]!.startFrame - t[i - 1]!.endFrame).toBeGreaterThan(10);
      for (const d of t.filter((x) => x.type === 'dissolve')) expect(d.endFrame - d.startFrame + 1).toBeGreaterThanOrEqual(5);
    }
  });

  it('adds murky looks, camera swings and veils to training plans only, and renders them to the truth', () => {
    const pool = { videos: [{ path: '/v.mp4', durationSec: 10 }, { path: '/w.mp4', durationSec: 10 }], photos: ['/p.jpg', '/q.jpg'] };
    const plain = Array.from({ length: 20 }, (_, i) => planVideo(createRng(7 + i), pool, `v${i}`));
    const augmented = Array.from({ length: 20 }, (_, i) => planVideo(createRng(7 + i), pool, `v${i}`, { augment: true }));
    const segs = (vs: RecipeVideo[]) => vs.flatMap((v) => v.segments);
    expect(segs(plain).some((s) => s.look || s.veil || (s.source.kind === 'video' && s.source.swing))).toBe(false);
    expect(segs(augmented).some((s) => s.veil)).toBe(true);
    expect(segs(augmented).some((s) => s.look)).toBe(true);
    expect(segs(augmented).some((s) => s.source.kind === 'video' && s.source.swing)).toBe(true);

    const footage = path.join(tmp, 'footage.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=4', '-pix_fmt', 'yuv420p', footage]);
    const shot = (startSec: number, frames: number) => ({
      source: { kind: 'video' as const, path: footage, startSec, speed: 1, flip: false, zoom: 1.8, cropX: 0.5, cropY: 0.5, swing: { hz: 1, phase: 0.2 } },
      frames,
      effects: [],
      look: { contrast: 0.5, tint: 'blue' as const, blur: 1.5, grain: 20 },
    });
    const veiled = { ...shot(2, 40), veil: { frame: 10, frames: 20, depth: 0.7, cells: 32, blur: 3, seed: 5 } };
    const video: RecipeVideo = {
      name: 'murky',
      fps: 25,
      width: 96,
      height: 54,
      codec: 'h264',
      quality: 0.3,
      segments: [shot(0, 30), veiled, shot(1, 30)],
      joins: [
        { type: 'dissolve', frames: 8 },
        { type: 'cut', frames: 0 },
      ],
    };
    const out = path.join(tmp, 'murky.mp4');
    execFileSync('ffmpeg', recipeArgs(video, out));
    expect(redBlue(out)).toHaveLength(truthOf(video).frames);
    // The veil is where the plan puts it: the same shot rendered without it differs only there.
    const bare = path.join(tmp, 'bare.mp4');
    execFileSync('ffmpeg', recipeArgs({ ...video, segments: [shot(0, 30), shot(2, 40), shot(1, 30)] }, bare));
    const [a, b] = [redBlue(out), redBlue(bare)];
    const start = truthOf(video).transitions[0]!.endFrame + 1 + 10 - 8 - 1;
    const diff = (i: number) => Math.abs(a[i]!.y - b[i]!.y) + Math.abs(a[i]!.r - b[i]!.r) + Math.abs(a[i]!.b - b[i]!.b);
    expect(diff(start + 10)).toBeGreaterThan(0.02);
    expect(diff(start - 3)).toBeLessThan(0.01);
    expect(diff(start + 23)).toBeLessThan(0.01);
  });
});
