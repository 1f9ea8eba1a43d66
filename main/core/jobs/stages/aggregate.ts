// Per-clip tags with confidence, a representative thumbnail and a clip embedding, from the
// CNN results of the sampled frames and the every-frame features that fall inside the clip.
import { RATING_CLASSES, type ClipExtent, type FrameAnalysis, type TagKind, type Transition } from '../../../../shared/types.js';
import { FeatureTrack, OFF_LUMA, OFF_SAT, gridDistance } from '../../ml/shots/features.js';
import { spread } from '../../library/sequence-codec.js';
import type { ClipSpan } from './segment.js';

export interface TaggedClip extends ClipExtent {
  tags: { name: string; kind: TagKind; confidence: number }[];
  thumbnail: Buffer | null;
  embedding: Float32Array | null;
  /** Per-sample embeddings inside the clip, spread over it: what custom-tag heads read. */
  sequence: Float32Array[] | null;
}

export interface Thumbnail {
  time: number;
  jpeg: Buffer;
}

/** Object detections below this (max over the clip's frames) are not tagged. */
const OBJECT_MIN = 0.4;
/** The NSFW head false-alarms on non-human content (FACTS.md): only a clear majority counts. */
const RATING_MIN = 0.6;

export function aggregateClips(
  spans: ClipSpan[],
  fps: number,
  frames: FrameAnalysis[],
  track: FeatureTrack,
  thumbnails: Thumbnail[],
  transitions: Transition[],
): TaggedClip[] {
  const rate = fps > 0 ? fps : 25;
  return spans.map((span) => {
    const start = span.startFrame / rate;
    const end = (span.endFrame + 1) / rate;
    const inside = framesFor(frames, start, end);
    const tags = [
      ...objectTags(inside),
      ...ratingTags(inside),
      ...attributeTags(track, span),
      ...transitionTags(span, transitions),
    ];
    return {
      ...span,
      start,
      end,
      tags,
      thumbnail: nearest(thumbnails, (start + end) / 2)?.jpeg ?? null,
      embedding: meanEmbedding(inside),
      sequence: inside.length > 0 ? spread(inside.map((f) => f.embedding)) : null,
    };
  });
}

/** Samples inside [start, end); a clip shorter than the sampling interval borrows the nearest one. */
function framesFor(frames: FrameAnalysis[], start: number, end: number): FrameAnalysis[] {
  const inside = frames.filter((f) => f.time >= start && f.time < end);
  if (inside.length > 0) return inside;
  const n = nearest(frames, (start + end) / 2);
  return n ? [n] : [];
}

function nearest<T extends { time: number }>(items: T[], time: number): T | undefined {
  let best: T | undefined;
  for (const it of items) if (!best || Math.abs(it.time - time) < Math.abs(best.time - time)) best = it;
  return best;
}

/** An object's confidence is its best detection in the clip: one clear sighting is enough to find it. */
function objectTags(frames: FrameAnalysis[]): TaggedClip['tags'] {
  const best = new Map<string, number>();
  for (const f of frames) for (const o of f.objects) best.set(o.label, Math.max(best.get(o.label) ?? 0, o.score));
  return [...best]
    .filter(([, score]) => score >= OBJECT_MIN)
    .sort((a, b) => b[1] - a[1])
    .map(([name, score]) => ({ name, kind: 'object' as const, confidence: round3(score) }));
}

/** The rating is the class with the highest mean probability, if it is a clear majority. */
function ratingTags(frames: FrameAnalysis[]): TaggedClip['tags'] {
  if (frames.length === 0) return [];
  let best: { name: string; p: number } | undefined;
  for (const cls of RATING_CLASSES) {
    const p = frames.reduce((s, f) => s + f.rating[cls], 0) / frames.length;
    if (!best || p > best.p) best = { name: cls, p };
  }
  return best && best.p >= RATING_MIN ? [{ name: best.name, kind: 'rating', confidence: round3(best.p) }] : [];
}

/** Simple visual attributes from the every-frame features. */
function attributeTags(track: FeatureTrack, span: ClipSpan): TaggedClip['tags'] {
  const last = Math.min(span.endFrame, track.count - 1);
  const n = last - span.startFrame + 1;
  if (n <= 0) return [];
  let luma = 0;
  let sat = 0;
  let motion = 0;
  for (let i = span.startFrame; i <= last; i++) {
    const row = track.row(i);
    luma += row[OFF_LUMA]!;
    sat += row[OFF_SAT]!;
    if (i > span.startFrame) motion += gridDistance(track.row(i - 1), row);
  }
  luma /= n;
  sat /= n;
  motion = n > 1 ? motion / (n - 1) : 0;
  const tags: TaggedClip['tags'] = [];
  if (luma < 0.18) tags.push({ name: 'dark', kind: 'attribute', confidence: round3(clamp01(1 - luma / 0.18 + 0.5)) });
  if (sat < 0.04) tags.push({ name: 'black-and-white', kind: 'attribute', confidence: round3(clamp01(1 - sat / 0.04 + 0.5)) });
  if (n > 1 && motion < 0.002) tags.push({ name: 'static', kind: 'attribute', confidence: round3(clamp01(1 - motion / 0.002 + 0.5)) });
  if (motion > 0.04) tags.push({ name: 'fast-motion', kind: 'attribute', confidence: round3(clamp01(0.5 + (motion - 0.04) / 0.08)) });
  return tags;
}

function transitionTags(span: ClipSpan, transitions: Transition[]): TaggedClip['tags'] {
  const tags: TaggedClip['tags'] = [];
  const conf = (type: string, frame: number) =>
    transitions.find((t) => t.type === type && frame >= t.startFrame - 1 && frame <= t.endFrame + 1)?.confidence ?? 0.5;
  if (span.startTransition) tags.push({ name: `${span.startTransition}-in`, kind: 'transition', confidence: conf(span.startTransition, span.startFrame) });
  if (span.endTransition) tags.push({ name: `${span.endTransition}-out`, kind: 'transition', confidence: conf(span.endTransition, span.endFrame + 1) });
  return tags;
}

function meanEmbedding(frames: FrameAnalysis[]): Float32Array | null {
  if (frames.length === 0) return null;
  const dim = frames[0]!.embedding.length;
  const out = new Float32Array(dim);
  for (const f of frames) for (let i = 0; i < dim; i++) out[i]! += f.embedding[i]!;
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += out[i]! * out[i]!;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dim; i++) out[i]! /= norm;
  return out;
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
