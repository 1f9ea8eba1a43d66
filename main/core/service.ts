// The core's one entry point: the CLI calls it directly, the desktop app and browser mode
// reach it through the contract in shared/. Expensive things (the library, the inference
// workers) open on first use and close together.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClipRecord, MediaRecord, MediaStatus, ScoredClip, TagKind, TagModelInfo, Transition } from '../../shared/types.js';
import { ContractError, type ClipDetail, type TrainPhase } from '../../shared/contract.js';
import { expandInputs } from './jobs/expand.js';
import { runQueue, type JobResult, type QueueEvent } from './jobs/queue.js';
import { analyzeVideo } from './jobs/stages/analyze.js';
import { openLibrary, search, type Library, type StoredMedia, type TagSummary } from './library/index.js';
import { locateBinaries, probe } from './media/index.js';
import { createInferencePool, type BackendName, type BackendReport, type InferencePool } from './ml/index.js';
import type { ShotDetector } from './ml/shots/detector.js';
import { createHistogramDetector } from './ml/shots/histogram-detector.js';
import { createLstmDetector, SHOT_MODEL_DIR } from './ml/shots/lstm-detector.js';
import { evaluateAgainstTruth, type TagTruthEvaluation } from './ml/tags/evaluate.js';
import { MIN_POSITIVES } from './ml/tags/examples.js';
import { runTraining } from './ml/tags/run-training.js';
import { TagScorer } from './ml/tags/scorer.js';
import { DEFAULT_SETTINGS, type TrainSettings } from './ml/tags/train.js';

export interface CoreConfig {
  libraryDir: string;
  cacheDir: string;
  env?: NodeJS.ProcessEnv;
  /** Inference worker threads (default: 2 where there are 2+ cores; `reeltag bench` measured 1.5–1.7× over one). */
  workers?: number;
  backend?: BackendName;
  maxSamples?: number;
  /** Shot detector: the trained LSTM (default) or the first histogram detector, for comparison. */
  shots?: 'lstm' | 'histogram';
  /** Object detection on every Nth sampled frame (default 2: CenterNet is ~80 % of the CNN time). */
  objectEvery?: number;
  /** For tests and other transports: a pool that already exists. */
  workerUrl?: URL;
  /** The compiled custom-tag training worker (tests point at dist/). */
  trainWorkerUrl?: URL;
  /** Custom-tag training settings (tests shorten them). */
  trainSettings?: Partial<TrainSettings>;
}

/** Most background negatives one training uses. */
const MAX_BACKGROUND = 200;

export interface ShotsReport {
  fps: number;
  frames: number;
  transitions: Transition[];
}

export class ReeltagService {
  private library: Library | undefined;
  private pool: Promise<InferencePool> | undefined;
  private readonly detector: ShotDetector;
  private readonly tagScorer: TagScorer;

  constructor(private readonly config: CoreConfig) {
    this.detector = chooseShotDetector(config);
    this.tagScorer = new TagScorer({ backend: config.backend });
  }

  private binaries() {
    return locateBinaries(this.config.env ?? process.env);
  }

  lib(): Library {
    this.library ??= openLibrary(this.config.libraryDir);
    return this.library;
  }

  inference(): Promise<InferencePool> {
    this.pool ??= createInferencePool({
      cacheDir: this.config.cacheDir,
      workers: this.config.workers ?? Math.min(2, os.availableParallelism()),
      backend: this.config.backend,
      workerUrl: this.config.workerUrl,
    });
    return this.pool;
  }

  async ingest(inputs: string[], opts: { signal?: AbortSignal; onEvent?: (e: QueueEvent) => void } = {}): Promise<JobResult[]> {
    const { ffmpeg, ffprobe } = this.binaries();
    const files = await expandInputs(inputs);
    const analyzer = await this.inference();
    return runQueue(
      { library: this.lib(), ffmpeg, ffprobe, analyzer, detector: this.detector, tagScorer: this.tagScorer, maxSamples: this.config.maxSamples, objectEvery: this.config.objectEvery ?? 2 },
      files,
      opts,
    );
  }

  clips(query: { mediaPath?: string; tag?: string; kind?: TagKind; limit?: number; offset?: number } = {}): ClipRecord[] {
    return this.lib().clips.list(query);
  }

  search(query: string, opts: { limit?: number; offset?: number } = {}): ClipRecord[] {
    return search(this.lib(), query, opts);
  }

  /** Shot transitions of one video, without the library or the CNN. */
  async shots(file: string, opts: { signal?: AbortSignal } = {}): Promise<ShotsReport> {
    const { ffmpeg, ffprobe } = this.binaries();
    const info = await probe(ffprobe, file, { signal: opts.signal, timeoutMs: 30_000 });
    const analysis = await analyzeVideo({ ffmpeg, input: file, info, analyzer: null, signal: opts.signal });
    const fps = info.fps > 0 ? info.fps : 25;
    return { fps, frames: analysis.track.count, transitions: await this.detector.detect(analysis.track, fps) };
  }

  // ---- Added for the UI transports (shared/contract.ts); the job runner with cancel and events
  // lives in main/worker/backend.ts. Small reads and edits that delegate to the library.

  /** The library folder this service opens. */
  libraryDir(): string {
    return this.config.libraryDir;
  }

  /** The inference backend once the workers run; null before (this never starts them). */
  async backendReport(): Promise<BackendReport | null> {
    const pool = this.pool;
    if (!pool) return null;
    return pool.then((p) => p.backend, () => null);
  }

  /**
   * A page of clips and how many match in all. With a query, full-text ranked and then filtered;
   * without, in library order. Paging and the count happen in SQL, in one read transaction.
   */
  clipPage(filter: ClipFilter, page: { limit: number; offset: number }): { clips: ClipRecord[]; total: number } {
    const lib = this.lib();
    const filters = { mediaId: filter.mediaId, tag: filter.tag, kind: filter.kind };
    const query = filter.query !== undefined && filter.query.trim() !== '' ? filter.query : undefined;
    // One read transaction: the total and the page come from the same snapshot even while an
    // ingest commits; past the end, the page query is skipped.
    return lib.db.transaction(() => {
      const total = query !== undefined ? lib.searchCount(query, filters) : lib.clips.count(filters);
      if (page.offset >= total) return { clips: [], total };
      const opts = { ...filters, limit: page.limit, offset: page.offset };
      return { clips: query !== undefined ? lib.search(query, opts) : lib.clips.list(opts), total };
    }).deferred();
  }

  mediaList(opts: { status?: MediaStatus } = {}): MediaRecord[] {
    return this.lib().media.list(opts).map(toMediaRecord);
  }

  tagCounts(opts: { kind?: TagKind } = {}): TagSummary[] {
    return this.lib().tags.list(opts);
  }

  /** One clip, its video, the video's clips in order and where each of the clip's tags occurs. */
  clipDetail(clipId: number): ClipDetail {
    const lib = this.lib();
    const clip = lib.clips.get(clipId);
    if (!clip) throw new ContractError('not_found', `no clip with id ${clipId}`);
    const media = lib.media.get(clip.mediaId);
    if (!media) throw new ContractError('not_found', `no media with id ${clip.mediaId}`);
    const timeline = lib.clips.list({ mediaId: clip.mediaId });
    const occurrences = clip.tags.map((tag) => ({
      name: tag.name,
      kind: tag.kind,
      spans: timeline.flatMap((c) => {
        const t = c.tags.find((x) => x.kind === tag.kind && sameTagName(x.name, tag.name));
        return t ? [{ clipId: c.id, start: c.start, end: c.end, confidence: t.confidence }] : [];
      }),
    }));
    return { clip, media: toMediaRecord(media), timeline, occurrences };
  }

  /** The user's tags on every clip (source 'user'), all or nothing. Returns the clips as now. */
  tagClips(clipIds: number[], names: string[], kind: TagKind = 'custom'): ClipRecord[] {
    return this.editClips(clipIds, (id) => {
      for (const name of names) this.lib().tags.setUserTag(id, name, kind);
    });
  }

  /** The user's "no" for these tags on every clip (without kind: every kind of that name). */
  untagClips(clipIds: number[], names: string[], kind?: TagKind): ClipRecord[] {
    return this.editClips(clipIds, (id) => {
      for (const name of names) this.lib().tags.removeUserTag(id, name, kind);
    });
  }

  /** On clips carrying `from`: the user's "no" for it and `to` as a user tag of the same kind. */
  renameTag(clipIds: number[], from: string, to: string, kind?: TagKind): ClipRecord[] {
    return this.editClips(clipIds, (id, clip) => {
      const carried = clip.tags.filter((t) => sameTagName(t.name, from) && (kind === undefined || t.kind === kind));
      if (carried.length === 0) return;
      const kinds = new Set(carried.map((t) => t.kind));
      this.lib().tags.removeUserTag(id, from, kind);
      this.lib().tags.setUserTag(id, to, kind ?? (kinds.size === 1 ? carried[0]!.kind : 'custom'));
    });
  }

  private editClips(clipIds: number[], edit: (id: number, clip: ClipRecord) => void): ClipRecord[] {
    const lib = this.lib();
    lib.transaction(() => {
      for (const id of clipIds) {
        const clip = lib.clips.get(id);
        if (!clip) throw new ContractError('not_found', `no clip with id ${id}`);
        edit(id, clip);
      }
    });
    return clipIds.map((id) => lib.clips.get(id)!);
  }

  /** Queues files and folders (expanded) without running them; ingest([]) runs what is queued. */
  async enqueue(inputs: string[]): Promise<{ files: string[]; jobIds: number[] }> {
    const files = await expandInputs(inputs);
    return { files, jobIds: this.lib().jobs.enqueue(files) };
  }

  /** The path of a media row, for playback; undefined when there is no such row. */
  mediaPath(mediaId: number): string | undefined {
    return this.lib().media.get(mediaId)?.path;
  }

  clipThumbnail(clipId: number): Buffer | undefined {
    return this.lib().clips.thumbnail(clipId);
  }

  // ---- "More like this" and custom tags ----

  /** The clips most like `clipId` by embedding (cosine), best first, never the clip itself. */
  similarClips(clipId: number, limit: number): ScoredClip[] {
    const lib = this.lib();
    if (!lib.clips.get(clipId)) throw new ContractError('not_found', `no clip with id ${clipId}`);
    return scoredClips(lib, lib.similar(clipId, limit));
  }

  tagModels(): TagModelInfo[] {
    return this.lib().tagModels.infos();
  }

  tagModel(name: string): TagModelInfo {
    const info = this.lib().tagModels.info(name);
    if (!info) throw new ContractError('not_found', `"${name}" has no trained model: tag ${MIN_POSITIVES} or more clips with it, then train it`);
    return info;
  }

  /**
   * Trains (or retrains) a custom tag from the user's examples in a worker thread, then stores the
   * model and its score for every clip in one transaction. Clips ingested while it trained are
   * scored right after. Nothing is written if it fails or is cancelled.
   */
  async trainTag(
    name: string,
    opts: { threshold?: number; signal?: AbortSignal; onProgress?: (phase: TrainPhase, fraction: number) => void } = {},
  ): Promise<TagModelInfo> {
    const lib = this.lib();
    const { positives } = lib.tagModels.examples(name);
    if (positives.length < MIN_POSITIVES) {
      throw new ContractError('conflict', `"${name}" has ${positives.length} example clip(s); tag at least ${MIN_POSITIVES} clips with it to teach it`);
    }
    const trained = await runTraining(
      {
        libraryDir: this.config.libraryDir,
        name,
        threshold: opts.threshold,
        settings: { ...DEFAULT_SETTINGS, ...this.config.trainSettings },
        maxBackground: MAX_BACKGROUND,
        backend: this.config.backend,
      },
      { signal: opts.signal, onProgress: opts.onProgress, workerUrl: this.config.trainWorkerUrl },
    );
    opts.signal?.throwIfAborted();
    opts.onProgress?.('store', 0.99);
    lib.tagModels.save({ name, threshold: trained.threshold, modelJson: trained.modelJson, weights: trained.weights, metrics: trained.metrics, scores: { clipIds: trained.clipIds, scores: trained.scores } });
    // Clips ingested while it trained were scored by the previous version, or not at all.
    await this.tagScorer.scoreMissing(lib, lib.tagModels.unscored(name));
    opts.onProgress?.('store', 1);
    return this.tagModel(name);
  }

  setTagThreshold(name: string, threshold: number): TagModelInfo {
    this.tagModel(name);
    this.lib().tagModels.setThreshold(name, threshold);
    return this.tagModel(name);
  }

  /**
   * The tag's model against a known truth: `isTag` says which clips really are the tag (given the
   * clip id and its video's file name). The user's examples are left out.
   */
  evalTag(name: string, isTag: (clip: { clipId: number; fileName: string }) => boolean): { model: TagModelInfo; library: TagTruthEvaluation } {
    const model = this.tagModel(name);
    const lib = this.lib();
    const { positives, negatives } = lib.tagModels.examples(name);
    const scored = lib.tagModels.scores(name).map((r) => ({ clipId: r.clipId, score: r.score, truth: isTag(r) }));
    return { model, library: evaluateAgainstTruth(scored, model.threshold, new Set([...positives, ...negatives])) };
  }

  /** Deletes a custom tag's model, scores and model rows; the user's rows stay. */
  forgetTag(name: string): boolean {
    return this.lib().tagModels.remove(name);
  }

  /** Scored clips the user has not judged: nearest the threshold first, or most confident first. */
  reviewTag(name: string, opts: { order: 'uncertain' | 'confidence'; limit: number }): ScoredClip[] {
    this.tagModel(name);
    const lib = this.lib();
    const likeness = opts.order === 'uncertain' ? lib.likeness(lib.tagModels.examples(name).positives) : undefined;
    return scoredClips(lib, lib.tagModels.review(name, opts.order, opts.limit, likeness));
  }

  async close(): Promise<void> {
    this.tagScorer.dispose();
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await pool.then((p) => p.close(), () => undefined);
    this.library?.close();
    this.library = undefined;
  }
}

/**
 * The trained LSTM ships in assets/models/shots; the histogram detector stands in only when asked
 * for (comparisons) or when the weights are missing from a broken install — `reeltag doctor` says which.
 */
export function chooseShotDetector(config: Pick<CoreConfig, 'shots' | 'backend'>): ShotDetector {
  if (config.shots === 'histogram' || !fs.existsSync(path.join(SHOT_MODEL_DIR(), 'model.json'))) return createHistogramDetector();
  return createLstmDetector({ backend: config.backend });
}

// ---- helpers of the transport methods above ----

export interface ClipFilter {
  query?: string;
  kind?: TagKind;
  tag?: string;
  mediaId?: number;
}

/** Tag names compare like the library's COLLATE NOCASE: trimmed, ASCII letters folded. */
function sameTagName(a: string, b: string): boolean {
  const fold = (s: string) => s.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
  return fold(a) === fold(b);
}

/** Clip ids with scores → the clips with their scores, in the same order (clips gone meanwhile are left out). */
function scoredClips(lib: Library, hits: ReadonlyArray<{ clipId: number; score: number }>): ScoredClip[] {
  const clips = new Map(lib.clips.byIds(hits.map((h) => h.clipId)).map((c) => [c.id, c]));
  return hits.flatMap((h) => {
    const clip = clips.get(h.clipId);
    return clip ? [{ clip, score: h.score }] : [];
  });
}

function toMediaRecord(m: StoredMedia): MediaRecord {
  return { id: m.id, path: m.path, fileName: m.fileName, contentHash: m.contentHash, sizeBytes: m.sizeBytes, status: m.status, error: m.error, info: m.info, addedAt: m.addedAt };
}
