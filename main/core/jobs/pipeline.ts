// One ingest, as data flows: hash → probe → decode once (features, CNN, thumbnails) → shots →
// clips → store in one transaction. Any failure is thrown as an IngestError with a reason a
// user can act on; the queue records it against the file and moves on.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Transition } from '../../../shared/types.js';
import { probe } from '../media/index.js';
import { contentHash, markMediaError, storeIngest, type Library } from '../library/index.js';
import type { ShotDetector } from '../ml/shots/detector.js';
import type { TagScorer } from '../ml/tags/scorer.js';
import { aggregateClips } from './stages/aggregate.js';
import { analyzeVideo, type FrameAnalyzer } from './stages/analyze.js';
import { segment, type SegmentOptions } from './stages/segment.js';

export interface PipelineContext {
  library: Library;
  ffmpeg: string;
  ffprobe: string;
  analyzer: FrameAnalyzer;
  detector: ShotDetector;
  /** Applies the library's custom tags to new clips; none are applied without it. */
  tagScorer?: TagScorer;
  maxSamples?: number;
  objectEvery?: number;
  segment?: SegmentOptions;
  probeTimeoutMs?: number;
  stallTimeoutMs?: number;
}

export type IngestStage = 'hash' | 'probe' | 'decode' | 'shots' | 'store';

export interface IngestProgress {
  stage: IngestStage;
  /** 0..1 within the decode stage; other stages report 0 then move on. */
  fraction: number;
}

export type IngestOutcome =
  | { status: 'ok'; mediaId: number; clips: number; transitions: Transition[]; timings: IngestTimings }
  | { status: 'skipped'; mediaId: number; clips: number; reason: string };

export interface IngestTimings {
  totalMs: number;
  decodeMs: number;
  /** Every-frame shot features, computed during the decode. */
  featureMs: number;
  cnnTailMs: number;
  shotsMs: number;
  /** Scoring the new clips with the library's custom tags. */
  customTagsMs: number;
  storeMs: number;
}

export class IngestError extends Error {
  override name = 'IngestError';
}

export async function ingestFile(
  ctx: PipelineContext,
  file: string,
  opts: { signal?: AbortSignal; onProgress?: (p: IngestProgress) => void } = {},
): Promise<IngestOutcome> {
  const started = performance.now();
  const report = (stage: IngestStage, fraction = 0) => opts.onProgress?.({ stage, fraction });
  const abs = path.resolve(file);
  const fileName = path.basename(abs);

  report('hash');
  const stat = await statFile(abs);
  const hash = stat.size > 0 ? await contentHash(abs) : null;
  const known = hash ? ctx.library.media.findByHash(hash) : undefined;
  if (known && known.status === 'ok') {
    const clips = ctx.library.clips.list({ mediaId: known.id }).length;
    const reason = known.path === abs ? 'already in the library' : `same content as ${known.path}, already in the library`;
    return { status: 'skipped', mediaId: known.id, clips, reason };
  }

  const fail = (error: string): never => {
    markMediaError(ctx.library, { path: abs, fileName, sizeBytes: stat.size, mtimeMs: stat.mtimeMs, contentHash: hash, error });
    throw new IngestError(error);
  };
  if (stat.size === 0) fail('empty file (0 bytes)');

  report('probe');
  const info = await probe(ctx.ffprobe, abs, { signal: opts.signal, timeoutMs: ctx.probeTimeoutMs ?? 30_000 }).catch((e: Error) =>
    fail(e.message),
  );

  report('decode', 0);
  const analysis = await analyzeVideo({
    ffmpeg: ctx.ffmpeg,
    input: abs,
    info,
    analyzer: ctx.analyzer,
    maxSamples: ctx.maxSamples,
    objectEvery: ctx.objectEvery,
    stallTimeoutMs: ctx.stallTimeoutMs,
    signal: opts.signal,
    onProgress: (f) => report('decode', f),
  }).catch((e: Error) => (opts.signal?.aborted ? Promise.reject(e) : fail(`decode failed: ${e.message}`)));
  if (analysis.track.count === 0) fail('no video frames could be decoded');

  report('shots');
  const shotsStart = performance.now();
  const fps = info.fps > 0 ? info.fps : 25;
  const transitions = await ctx.detector.detect(analysis.track, fps);
  const spans = segment(transitions, analysis.track.count, fps, ctx.segment);
  const clips = aggregateClips(spans, fps, analysis.frames, analysis.track, analysis.thumbnails, transitions);
  const shotsMs = performance.now() - shotsStart;
  const tagsStart = performance.now();
  const tagScores = ctx.tagScorer ? await ctx.tagScorer.score(ctx.library, clips.map((c) => c.sequence)) : [];
  const customTagsMs = performance.now() - tagsStart;

  report('store');
  const storeStart = performance.now();
  opts.signal?.throwIfAborted();
  const stored = storeIngest(ctx.library, {
    path: abs,
    fileName,
    contentHash: hash!,
    sizeBytes: stat.size,
    mtimeMs: stat.mtimeMs,
    info: { ...info, frameCount: analysis.track.count },
    clips: clips.map((c, i) => ({ ...c, tagScores: tagScores[i] ?? [] })),
  });
  const storeMs = performance.now() - storeStart;
  // A tag retrained between the scoring above and the store made those scores stale, and the store
  // dropped them: score the clips again with the model stored now.
  if (ctx.tagScorer) await ctx.tagScorer.scoreMissing(ctx.library, stored.clipIds);
  return {
    status: 'ok',
    mediaId: stored.mediaId,
    clips: stored.clipIds.length,
    transitions,
    timings: { totalMs: performance.now() - started, decodeMs: analysis.decodeMs, featureMs: analysis.featureMs, cnnTailMs: analysis.cnnTailMs, shotsMs, customTagsMs, storeMs },
  };
}

async function statFile(abs: string) {
  try {
    const stat = await fs.stat(abs);
    if (stat.isDirectory()) throw new IngestError('is a folder, not a video file');
    if (!stat.isFile()) throw new IngestError('not a regular file (device, socket or pipe)');
    return stat;
  } catch (e) {
    if (e instanceof IngestError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new IngestError('symbolic link loop: the link leads round in a circle, never to a file');
    if (code === 'ENOENT') {
      const link = await fs.lstat(abs).then((l) => l.isSymbolicLink(), () => false);
      throw new IngestError(link ? 'broken symbolic link: what it points to does not exist' : 'file not found');
    }
    if (code === 'EACCES' || code === 'EPERM') throw new IngestError('permission denied');
    throw new IngestError(`cannot read file: ${(e as Error).message}`);
  }
}
