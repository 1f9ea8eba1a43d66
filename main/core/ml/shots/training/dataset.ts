// Renders the recipe's videos (cached on disk by seed and name), decodes each once through
// the real pipeline decoder, and turns it into per-frame LSTM features and labels.
import fs from 'node:fs/promises';
import path from 'node:path';
import { analyzeVideo } from '../../../jobs/stages/analyze.js';
import { probe, runTool } from '../../../media/index.js';
import { lstmFeatures, LSTM_FEATURES } from '../lstm-features.js';
import { CLASSES } from '../lstm-model.js';
import { createRng, extensionOf, planVideo, recipeArgs, truthOf, type FootagePool, type RecipeVideo, type Truth } from './recipe.js';

export interface LabelledVideo {
  name: string;
  file: string;
  truth: Truth;
  /** The recipe's plan of the video: what each frame shows (sourceAt). */
  plan: RecipeVideo;
  frames: number;
  features: Float32Array;
  /** Class index per frame (CLASSES). */
  labels: Uint8Array;
}

export function labelsFor(truth: Truth, frames: number): Uint8Array {
  const labels = new Uint8Array(frames);
  for (const t of truth.transitions) {
    const c = CLASSES.indexOf(t.type);
    // A cut is labelled on the first frame of the new shot; gradual ones over all their frames.
    if (t.type === 'cut') {
      if (t.endFrame < frames) labels[t.endFrame] = c;
    } else {
      for (let i = t.startFrame; i <= t.endFrame && i < frames; i++) labels[i] = c;
    }
  }
  return labels;
}

export async function poolOf(ffprobe: string, files: { kind: 'video' | 'photo'; path: string }[]): Promise<FootagePool> {
  const pool: FootagePool = { videos: [], photos: [] };
  for (const f of files) {
    if (f.kind === 'photo') pool.photos.push(f.path);
    else pool.videos.push({ path: f.path, durationSec: (await probe(ffprobe, f.path)).durationSec });
  }
  return pool;
}

/** Renders (or reuses) `count` videos planned from `seed`, and labels them. */
export async function buildSet(opts: {
  ffmpeg: string;
  ffprobe: string;
  pool: FootagePool;
  dir: string;
  prefix: string;
  seed: number;
  count: number;
  /** The recipe's training-only hard negatives (see planVideo). */
  augment?: boolean;
  onVideo?: (i: number, v: LabelledVideo) => void;
}): Promise<LabelledVideo[]> {
  await fs.mkdir(opts.dir, { recursive: true });
  const out: LabelledVideo[] = [];
  for (let i = 0; i < opts.count; i++) {
    const rng = createRng(opts.seed * 100_003 + i);
    const plan = planVideo(rng, opts.pool, `${opts.prefix}-${String(i).padStart(4, '0')}`, { augment: opts.augment ?? false });
    const truth = truthOf(plan);
    const file = path.join(opts.dir, `${plan.name}.${extensionOf(plan.codec)}`);
    const truthFile = path.join(opts.dir, `${plan.name}.json`);
    if (!(await exists(truthFile))) {
      const tmp = `${file}.part.${extensionOf(plan.codec)}`;
      await runTool(opts.ffmpeg, recipeArgs(plan, tmp), { timeoutMs: 600_000 });
      await fs.rename(tmp, file);
      await fs.writeFile(truthFile, JSON.stringify(truthJson(truth)));
    }
    const info = await probe(opts.ffprobe, file);
    const analysis = await analyzeVideo({ ffmpeg: opts.ffmpeg, input: file, info, analyzer: null });
    const frames = analysis.track.count;
    if (Math.abs(frames - truth.frames) > 1) throw new Error(`${file}: decoded ${frames} frames, the recipe says ${truth.frames}`);
    const v: LabelledVideo = { name: plan.name, file, truth, plan, frames, features: lstmFeatures(analysis.track), labels: labelsFor(truth, frames) };
    out.push(v);
    opts.onVideo?.(i, v);
  }
  return out;
}

/** The truth file format `reeltag eval shots` reads. */
export function truthJson(t: Truth) {
  return {
    fps: t.fps,
    frames: t.frames,
    transitions: t.transitions.map((x) => ({ type: x.type, start_frame: x.startFrame, end_frame: x.endFrame })),
  };
}

/** Training windows: random-offset slices of every video, WINDOW frames each. */
export function windows(videos: LabelledVideo[], window: number, stride: number, rng: () => number): { x: Float32Array; y: Float32Array; count: number } {
  const picks: { v: LabelledVideo; start: number }[] = [];
  for (const v of videos) {
    if (v.frames < window) continue;
    const jitter = Math.floor(rng() * stride);
    for (let s = jitter; s + window <= v.frames; s += stride) picks.push({ v, start: s });
  }
  const x = new Float32Array(picks.length * window * LSTM_FEATURES);
  const y = new Float32Array(picks.length * window * CLASSES.length);
  for (const [b, { v, start }] of picks.entries()) {
    x.set(v.features.subarray(start * LSTM_FEATURES, (start + window) * LSTM_FEATURES), b * window * LSTM_FEATURES);
    for (let t = 0; t < window; t++) y[(b * window + t) * CLASSES.length + v.labels[start + t]!] = 1;
  }
  return { x, y, count: picks.length };
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}
