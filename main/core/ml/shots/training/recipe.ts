// The data recipe of the shot tagger: continuous shots of real footage spliced with
// transitions whose frames are known exactly, plus hard negatives inside shots. Each planned
// video is rendered by ONE ffmpeg run (trim → concat / xfade → encode with a varied codec,
// size and frame rate), so the tagger trains on what the real decoder really outputs.
// Everything is drawn from a seeded PRNG: the same seed plans the same videos.
import type { TransitionType } from '../../../../../shared/types.js';

export type SegmentSource =
  | { kind: 'lavfi'; spec: string }
  | { kind: 'video'; path: string; startSec: number; speed: number; flip: boolean; zoom: number; cropX: number; cropY: number; swing?: Swing }
  | { kind: 'photo'; path: string; motion: 'pan-fast' | 'pan-slow' | 'zoom-in' | 'zoom-out' | 'still' };

/**
 * Hard negative: a handheld camera swinging across the (zoomed) footage, the whole picture sliding
 * for seconds — to a frame-difference feature much like a dissolve.
 */
export interface Swing {
  /** Sways per second, horizontally; vertically 0.6 × that. */
  hz: number;
  phase: number;
}

/**
 * Hard negative: murky footage (underwater, fog, a dim room) — low contrast, a colour cast, soft
 * focus and grain, where a blend of two frames looks much like the frame between them.
 */
export interface Look {
  contrast: number;
  tint: 'blue' | 'green' | 'grey';
  blur: number;
  grain: number;
}

/**
 * Hard negative (recipe 3): a veil of spray, bubbles or smoke — a blurred, ever-changing blob
 * texture (ffmpeg's `life` source) that swells over the shot to `depth` and ebbs away again.
 * Pixel by pixel that is a blend with something else, like a dissolve, but it comes and goes
 * inside one shot, and its texture churns instead of holding still.
 */
export interface Veil {
  frame: number;
  frames: number;
  depth: number;
  /** Blob cells across the frame's width. */
  cells: number;
  blur: number;
  seed: number;
}

/** Hard negatives: changes inside a shot that are not transitions. Frames count from the segment's start. */
export type Effect =
  | { kind: 'flash'; frame: number; frames: number }
  | { kind: 'light-fade'; frame: number; frames: number; depth: number };

export interface Segment {
  source: SegmentSource;
  frames: number;
  effects: Effect[];
  look?: Look;
  veil?: Veil;
}

/** Bumped whenever planning or rendering changes, so cached renders of an older recipe are not reused. */
export const RECIPE_VERSION = 3;

export interface Join {
  type: TransitionType;
  /** Frames the transition spans in the output; 0 for a cut. */
  frames: number;
}

export type Codec = 'h264' | 'mpeg4' | 'vp9' | 'mpeg2';

export interface RecipeVideo {
  name: string;
  fps: number;
  width: number;
  height: number;
  codec: Codec;
  quality: number;
  segments: Segment[];
  /** joins[i] joins segments[i] and segments[i + 1]. */
  joins: Join[];
}

export interface TruthTransition {
  type: TransitionType;
  startFrame: number;
  endFrame: number;
}

export interface Truth {
  fps: number;
  frames: number;
  transitions: TruthTransition[];
}

// ---- seeded randomness -------------------------------------------------------------------------

export { createRng, type Rng } from '../../../random.js';
import type { Rng } from '../../../random.js';

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();
const intBetween = (rng: Rng, lo: number, hi: number) => Math.floor(between(rng, lo, hi + 1));

// ---- planning ----------------------------------------------------------------------------------

export interface FootagePool {
  videos: { path: string; durationSec: number }[];
  photos: string[];
}

const SIZES: [number, number][] = [
  [320, 180],
  [426, 240],
  [480, 270],
  [640, 360],
  [400, 300],
  [512, 384],
];
const FPS = [24, 25, 30];
const CODECS: Codec[] = ['h264', 'h264', 'mpeg4', 'vp9', 'mpeg2'];

/**
 * `augment` adds the recipe-2 hard negatives (murky looks, swinging cameras) to training plans. It
 * draws extra numbers only when on, so plans without it are the recipe-1 plans, to the frame: the
 * validation set stays the one every earlier model was scored on.
 */
export function planVideo(rng: Rng, pool: FootagePool, name: string, opts: { shots?: [number, number]; augment?: boolean } = {}): RecipeVideo {
  const [width, height] = pick(rng, SIZES);
  const fps = pick(rng, FPS);
  const codec = pick(rng, CODECS);
  const [minShots, maxShots] = opts.shots ?? [5, 9];
  const count = intBetween(rng, minShots, maxShots);
  const joins: Join[] = [];
  for (let i = 0; i + 1 < count; i++) {
    const r = rng();
    // Cuts dominate real edits; gradual transitions are rarer but must be learned.
    if (r < 0.5) joins.push({ type: 'cut', frames: 0 });
    else if (r < 0.78) joins.push({ type: 'dissolve', frames: intBetween(rng, 5, 40) });
    else joins.push({ type: 'fade', frames: intBetween(rng, 10, 40) });
  }
  const segments: Segment[] = [];
  for (let i = 0; i < count; i++) {
    const before = i > 0 ? joins[i - 1]!.frames : 0;
    const after = i < joins.length ? joins[i]!.frames : 0;
    // Room for both transitions (each eats one extra frame) plus 0.8 s of clean shot between them.
    const frames = Math.max(before + after + 2 + Math.round(0.8 * fps), Math.round(between(rng, 1.5, 5) * fps));
    // Neighbouring shots come from different footage, as in an edit: a dissolve between two
    // moments of one static camera is invisible, and no editor would call it a transition.
    const previous = segments.at(-1)?.source;
    const avoid = previous && previous.kind !== 'lavfi' ? previous.path : undefined;
    const source = pickSource(rng, pool, frames / fps, avoid, opts.augment ?? false);
    const effects = pickEffects(rng, frames, before, after, fps);
    const look = opts.augment && source.kind !== 'lavfi' && rng() < 0.3 ? pickLook(rng) : undefined;
    segments.push({ source, frames, effects, ...(look && { look }) });
  }
  const quality = rng();
  // Veils are drawn last, so every earlier draw — and so every recipe-2 plan — stays as it was.
  if (opts.augment) {
    for (const [i, seg] of segments.entries()) {
      const veil = rng() < 0.3 ? pickVeil(rng, seg.frames, i > 0 ? joins[i - 1]!.frames : 0, i < joins.length ? joins[i]!.frames : 0, fps) : undefined;
      if (veil) seg.veil = veil;
    }
  }
  return { name, fps, width, height, codec, quality, segments, joins };
}

/** A veil that swells and ebbs within the shot's clean middle (clear of both transitions). */
function pickVeil(rng: Rng, frames: number, before: number, after: number, fps: number): Veil | undefined {
  const lo = before + 3;
  const hi = frames - after - 4;
  const len = Math.min(hi - lo, Math.round(between(rng, 0.6, 2.5) * fps));
  // Drawn whether or not the shot has room, so later draws do not depend on it.
  const veil = { depth: between(rng, 0.25, 0.7), cells: intBetween(rng, 24, 96), blur: between(rng, 2, 8), seed: intBetween(rng, 1, 1_000_000) };
  if (len < 8) return undefined;
  return { frame: intBetween(rng, lo, hi - len), frames: len, ...veil };
}

/**
 * A shot must be continuous: a clip never loops (the loop point would be an unlabelled cut), so
 * only footage long enough for the segment at the drawn speed is eligible; else a photo.
 */
function pickSource(rng: Rng, pool: FootagePool, seconds: number, avoid: string | undefined, augment: boolean): SegmentSource {
  const speed = pick(rng, [0.5, 1, 1, 1, 1.5, 2]);
  const fits = pool.videos.filter((v) => v.path !== avoid && v.durationSec - 0.2 >= seconds * speed);
  const photos = pool.photos.filter((p) => p !== avoid);
  if (photos.length > 0 && (fits.length === 0 || rng() < 0.3)) {
    const motion = pick(rng, ['pan-fast', 'pan-fast', 'pan-slow', 'zoom-in', 'zoom-out', 'still'] as const);
    return { kind: 'photo', path: pick(rng, photos), motion };
  }
  if (fits.length === 0) throw new Error(`no footage lasts ${(seconds * speed).toFixed(1)} s and there are no photos`);
  const v = pick(rng, fits);
  const startSec = between(rng, 0, v.durationSec - 0.2 - seconds * speed);
  const source = {
    kind: 'video' as const,
    path: v.path,
    // Seeking into an MPEG program stream can land a few frames late, and a shot that ends in the
    // last 0.2 s of its file then comes out short (seen in recipe 2). Recipe-1 plans keep their
    // start so that the validation set stays the same; the draw is the same either way.
    startSec: augment ? Math.max(0, Math.min(startSec, v.durationSec - SEEK_MARGIN_SEC - seconds * speed)) : startSec,
    speed,
    flip: rng() < 0.5,
    zoom: pick(rng, [1, 1, 1.3, 1.8]),
    cropX: rng(),
    cropY: rng(),
  };
  // The crop needs room to swing in.
  if (augment && rng() < 0.3) return { ...source, zoom: pick(rng, [1.5, 1.8, 2.2]), swing: { hz: between(rng, 0.2, 1.2), phase: rng() } };
  return source;
}

/** Room a recipe-2 shot leaves before the end of its footage. */
const SEEK_MARGIN_SEC = 0.6;

function pickLook(rng: Rng): Look {
  return { contrast: between(rng, 0.35, 0.75), tint: pick(rng, ['blue', 'green', 'grey'] as const), blur: between(rng, 0.5, 3), grain: intBetween(rng, 5, 30) };
}

function pickEffects(rng: Rng, frames: number, before: number, after: number, fps: number): Effect[] {
  const effects: Effect[] = [];
  const lo = before + 3;
  const hi = frames - after - 4;
  if (hi - lo < 6) return effects;
  if (rng() < 0.3) effects.push({ kind: 'flash', frame: intBetween(rng, lo, hi - 3), frames: intBetween(rng, 1, 3) });
  if (rng() < 0.2) {
    const len = Math.min(hi - lo, Math.round(between(rng, 0.6, 1.5) * fps));
    if (len >= 6) effects.push({ kind: 'light-fade', frame: intBetween(rng, lo, hi - len), frames: len, depth: between(rng, 0.2, 0.5) });
  }
  return effects;
}

/** Frame-exact ground truth of a planned video. */
export function truthOf(video: RecipeVideo): Truth {
  const starts = segmentStarts(video);
  const transitions = video.joins.map((join, i): TruthTransition => {
    const next = starts[i + 1]!;
    // A cut: the last frame of one shot, the first of the next. Gradual: the next shot starts at
    // xfade's frame at progress 0 (still pure A); the blended frames follow it.
    return join.type === 'cut' ? { type: 'cut', startFrame: next - 1, endFrame: next } : { type: join.type, startFrame: next + 1, endFrame: next + join.frames };
  });
  return { fps: video.fps, frames: lengthOf(video, starts), transitions };
}

/**
 * The output frame where each segment begins: where the previous one ends for a cut, and D + 1
 * frames earlier for a gradual join of D blended frames (xfade spends one frame at progress 0).
 */
export function segmentStarts(video: RecipeVideo): number[] {
  const starts = [0];
  for (const [i, join] of video.joins.entries()) {
    const end = starts[i]! + video.segments[i]!.frames;
    starts.push(join.type === 'cut' ? end : end - join.frames - 1);
  }
  return starts;
}

/** The rendered video's frame count. */
function lengthOf(video: RecipeVideo, starts = segmentStarts(video)): number {
  return video.segments.length === 0 ? 0 : starts.at(-1)! + video.segments.at(-1)!.frames;
}

/** What a segment shows, in a few words: the footage file (swinging or not), or the photo and its motion. */
function sourceLabel(s: SegmentSource): string {
  if (s.kind === 'lavfi') return s.spec;
  const file = s.path.slice(s.path.lastIndexOf('/') + 1);
  return s.kind === 'photo' ? `${file} (${s.motion})` : `${file}${s.swing ? ' (swinging)' : ''}`;
}

/** What the video shows at an output frame. */
export function sourceAt(video: RecipeVideo, frame: number): string {
  const starts = segmentStarts(video);
  let k = 0;
  while (k + 1 < starts.length && starts[k + 1]! <= frame) k++;
  return sourceLabel(video.segments[k]!.source);
}

// ---- rendering ---------------------------------------------------------------------------------

export function extensionOf(codec: Codec): string {
  return codec === 'vp9' ? 'webm' : codec === 'mpeg2' ? 'mpg' : codec === 'mpeg4' ? 'avi' : 'mp4';
}

function codecArgs(codec: Codec, quality: number): string[] {
  switch (codec) {
    case 'h264':
      return ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(Math.round(18 + 12 * quality)), '-pix_fmt', 'yuv420p'];
    case 'mpeg4':
      return ['-c:v', 'mpeg4', '-q:v', String(Math.round(2 + 6 * quality))];
    case 'vp9':
      return ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '0', '-crf', String(Math.round(28 + 14 * quality))];
    case 'mpeg2':
      return ['-c:v', 'mpeg2video', '-q:v', String(Math.round(2 + 6 * quality))];
  }
}

function inputArgs(s: SegmentSource): string[] {
  if (s.kind === 'lavfi') return ['-f', 'lavfi', '-i', s.spec];
  if (s.kind === 'photo') return ['-i', `file:${s.path}`];
  return ['-ss', s.startSec.toFixed(3), '-i', `file:${s.path}`];
}

function sourceFilter(s: SegmentSource, v: RecipeVideo, frames: number): string {
  const { width: w, height: h, fps } = v;
  if (s.kind === 'lavfi') return `fps=${fps},scale=${w}:${h}`;
  if (s.kind === 'photo') {
    const n = Math.max(1, frames - 1);
    const z = { 'pan-fast': '2.2', 'pan-slow': '1.4', 'zoom-in': `1+0.8*on/${n}`, 'zoom-out': `1.8-0.8*on/${n}`, still: '1.15' }[s.motion];
    const x = s.motion.startsWith('pan') ? `(iw-iw/zoom)*on/${n}` : 'iw/2-iw/zoom/2';
    // zoompan renders each output frame from the still: d frames out of one frame in.
    return `scale=${2 * w}:${2 * h}:force_original_aspect_ratio=increase,crop=${2 * w}:${2 * h},zoompan=z='${z}':x='${x}':y='ih/2-ih/zoom/2':d=${frames}:s=${w}x${h}:fps=${fps}`;
  }
  const zw = 2 * Math.round((w * s.zoom) / 2);
  const zh = 2 * Math.round((h * s.zoom) / 2);
  const sway = (hz: number, phase: number) => `0.5+0.5*sin(2*PI*(${hz.toFixed(3)}*t+${phase.toFixed(3)}))`;
  const x = s.swing ? sway(s.swing.hz, s.swing.phase) : s.cropX.toFixed(3);
  const y = s.swing ? sway(0.6 * s.swing.hz, s.swing.phase + 0.25) : s.cropY.toFixed(3);
  return [
    `setpts=(PTS-STARTPTS)/${s.speed}`,
    `fps=${fps}`,
    `scale=${zw}:${zh}:force_original_aspect_ratio=increase`,
    `crop=${w}:${h}:(iw-${w})*(${x}):(ih-${h})*(${y})`,
    ...(s.flip ? ['hflip'] : []),
  ].join(',');
}

function lookFilter(l: Look): string {
  const tint = { blue: 'rm=-0.2:gm=0.05:bm=0.25', green: 'rm=-0.2:gm=0.2:bm=0.05', grey: 'rm=0:gm=0:bm=0' }[l.tint];
  return [
    `eq=contrast=${l.contrast.toFixed(3)}:brightness=-0.05:saturation=0.6`,
    `colorbalance=${tint}`,
    `gblur=sigma=${l.blur.toFixed(2)}`,
    `noise=alls=${l.grain}:allf=t`,
    'format=yuv420p',
  ].join(',');
}

function effectFilter(e: Effect): string {
  if (e.kind === 'flash') return `eq=brightness=0.6:contrast=0.6:enable='between(n,${e.frame},${e.frame + e.frames - 1})'`;
  const { frame: a, frames: f, depth } = e;
  // Light dims (a cloud, a lamp) and stays dimmed: a change inside a shot, not a fade.
  return `eq=eval=frame:brightness='-${depth.toFixed(3)}*clip((n-${a})/${f},0,1)'`;
}

/** The veil's texture: blurred blobs of Conway's life, churning a little every frame. */
function veilSource(veil: Veil, v: RecipeVideo): string {
  const h = Math.max(4, Math.round((veil.cells * v.height) / v.width));
  return `life=s=${veil.cells}x${h}:mold=10:r=${v.fps}:ratio=0.5:random_seed=${veil.seed}:death_color=black:life_color=white:mold_color=#808080`;
}

/** ffmpeg arguments rendering a planned video to `out` in one run. */
export function recipeArgs(v: RecipeVideo, out: string): string[] {
  const veiled = v.segments.flatMap((s, i) => (s.veil ? [{ i, veil: s.veil }] : []));
  const inputs = [...v.segments.flatMap((s) => inputArgs(s.source)), ...veiled.flatMap(({ veil }) => ['-f', 'lavfi', '-i', veilSource(veil, v)])];
  const chains = v.segments.map((s, i) =>
    [
      `[${i}:v]${sourceFilter(s.source, v, s.frames)}`,
      ...(s.look ? [lookFilter(s.look)] : []),
      'setsar=1',
      'format=yuv420p',
      `trim=end_frame=${s.frames}`,
      'setpts=PTS-STARTPTS',
      ...s.effects.map(effectFilter),
      `settb=1/${v.fps}[${s.veil ? `p${i}` : `s${i}`}]`,
    ].join(','),
  );
  for (const [k, { i, veil }] of veiled.entries()) {
    const { frame: a, frames: f, depth } = veil;
    chains.push(
      `[${v.segments.length + k}:v]scale=${v.width}:${v.height},gblur=sigma=${veil.blur.toFixed(2)},setsar=1,format=yuv420p,trim=end_frame=${v.segments[i]!.frames},setpts=PTS-STARTPTS,settb=1/${v.fps}[v${i}]`,
      `[p${i}][v${i}]blend=shortest=1:all_expr='A+(B-A)*${depth.toFixed(3)}*sin(PI*clip((N-${a})/${f},0,1))',settb=1/${v.fps}[s${i}]`,
    );
  }
  const joins: string[] = [];
  const starts = segmentStarts(v);
  let cur = 's0';
  for (const [i, join] of v.joins.entries()) {
    const next = `s${i + 1}`;
    const out = `j${i}`;
    if (join.type === 'cut') {
      joins.push(`[${cur}][${next}]concat=n=2:v=1:a=0,settb=1/${v.fps}[${out}]`);
    } else {
      const transition = join.type === 'dissolve' ? 'fade' : 'fadeblack';
      // xfade's first frame is at progress 0 (still pure A), so D blended frames take a
      // duration of D + 1 frames, from where the next segment starts (measured: shots-recipe.test.ts).
      const offset = starts[i + 1]! / v.fps;
      const duration = (join.frames + 1) / v.fps;
      joins.push(`[${cur}][${next}]xfade=transition=${transition}:duration=${duration.toFixed(6)}:offset=${offset.toFixed(6)},settb=1/${v.fps}[${out}]`);
    }
    cur = out;
  }
  const graph = [...chains, ...joins].join(';');
  return [
    '-v', 'error', '-nostdin', '-y',
    ...inputs,
    '-filter_complex', graph,
    '-map', `[${cur}]`,
    '-frames:v', String(lengthOf(v, starts)),
    '-r', String(v.fps),
    ...codecArgs(v.codec, v.quality),
    '-an',
    out,
  ];
}
