// The contract between the UI and the core: every method (name → request validator, response
// type) and every event, declared once. Electron IPC (main/app + main/preload), browser mode
// (main/server) and the renderer all derive from these tables; nothing is declared twice.
// Plain data only: no node, DOM or electron imports.
//
// Results always cross as Result<T>: { ok: true, value } | { ok: false, error: { code, message } }.
import type { ClipRecord, JobRecord, JobStatus, MediaRecord, MediaStatus, ScoredClip, TagKind, TagModelInfo } from './types.js';
// The domain types responses are made of, so the renderer can import everything from here.
export type { ClipRecord, ClipTag, JobStatus, MediaInfo, MediaRecord, MediaStatus, ScoredClip, TagKind, TagModelInfo, TagQuality, TagSource, TransitionType } from './types.js';
import { arr, int, num, obj, oneOf, optional, refine, str, type Infer, type Validator } from './validate.js';

// ---- results and errors ----------------------------------------------------------------------

export type ErrorCode =
  /** The request failed validation (wrong type, too long, unknown field). */
  | 'invalid_input'
  /** No such method in this table. */
  | 'unknown_method'
  /** The clip / media / job named in the request does not exist. */
  | 'not_found'
  /** The caller is not the app's own window (IPC) or lacks the token / right origin (HTTP). */
  | 'forbidden'
  /** Request body or upload over its size limit. */
  | 'too_large'
  /** The backend is not running (worker crashed or still starting). */
  | 'unavailable'
  /** The user cancelled the operation (training a tag). */
  | 'cancelled'
  /** The request is valid but cannot be done now (e.g. too few examples to train, a training already running). */
  | 'conflict'
  /** Anything else; the message says what. */
  | 'internal';

export interface ContractErrorInfo {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractErrorInfo };

/** Thrown by handlers to choose the error code; anything else becomes 'internal'. */
export class ContractError extends Error {
  override name = 'ContractError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// ---- shared field validators -----------------------------------------------------------------

export const TAG_KINDS = ['object', 'rating', 'transition', 'attribute', 'custom'] as const satisfies readonly TagKind[];
export const MEDIA_STATUSES = ['pending', 'ok', 'error'] as const satisfies readonly MediaStatus[];
export const JOB_STATUSES = ['pending', 'running', 'done', 'error'] as const satisfies readonly JobStatus[];

/** Limits, exported so the UI can enforce them before a round trip. */
export const LIMITS = {
  tagName: 200,
  query: 200,
  path: 4096,
  pageSize: 500,
  /** Clips one tag edit may touch. */
  editClips: 1000,
  /** Tag names one tag edit may carry. */
  editTags: 50,
  ingestPaths: 1000,
  /** Clips one "more like this" or review request returns. */
  similar: 200,
  jobList: 1000,
  /** Bytes of one JSON request body (HTTP) — far above any valid request. */
  requestBody: 1 << 20,
} as const;

const id = int({ min: 1, max: Number.MAX_SAFE_INTEGER });
const tagKind = oneOf(TAG_KINDS);
/** At least one visible character, no control characters; the library trims. */
const tagName = str({ min: 1, max: LIMITS.tagName, pattern: /^(?=.*\S)\P{Cc}*$/u, patternName: 'no control characters, not blank' });
/** An absolute or relative path on the backend's machine; NUL never belongs in one. */
const filePath = refine(str({ min: 1, max: LIMITS.path }), (p) => (p.includes('\0') ? 'a path cannot contain NUL' : null));
const clipIds = arr(id, { min: 1, max: LIMITS.editClips, unique: true });
const num01 = () => num({ min: 0, max: 1 });

// ---- response types ---------------------------------------------------------------------------

/** Which tfjs backend runs inference, and why better ones were skipped (as `reeltag doctor`). */
export interface BackendInfo {
  name: string;
  package: string;
  gpu: boolean;
  simd: boolean | null;
  skipped: { package: string; reason: string }[];
}

export interface AppInfo {
  name: 'Reeltag';
  version: string;
  /** Absolute folder of the open library. */
  libraryDir: string;
  /** How this UI talks to the core. */
  transport: 'electron' | 'http';
  /** Null until the inference workers have started (they start with the first ingest). */
  backend: BackendInfo | null;
  /** Node's process.platform of the backend ("linux", "darwin", "win32"). */
  platform: string;
}

export interface ClipPage {
  clips: ClipRecord[];
  /** Clips matching the filters, all pages together. */
  total: number;
  limit: number;
  offset: number;
}

export interface TagCount {
  name: string;
  kind: TagKind;
  /** Clips carrying the tag (the user's removals don't count). */
  clips: number;
}

/** Where one of the clip's tags occurs in the same video (for marks on the timeline). */
export interface TagOccurrence {
  name: string;
  kind: TagKind;
  spans: { clipId: number; start: number; end: number; confidence: number }[];
}

export interface ClipDetail {
  clip: ClipRecord;
  media: MediaRecord;
  /** Every clip of the same video, in order. */
  timeline: ClipRecord[];
  /** One entry per tag on `clip`. */
  occurrences: TagOccurrence[];
}

export interface TagEditResult {
  /** The edited clips as they are now, in the order of the request's clipIds. */
  clips: ClipRecord[];
}

export interface IngestStarted {
  /** Files found (folders are expanded to the videos inside). */
  files: string[];
  /** New jobs; a file that already has a pending or running job is not queued twice. */
  jobIds: number[];
}

/** Phases of training a custom tag, in order (see main/core/ml/tags/train.ts). */
export const TRAIN_PHASES = ['examples', 'cross-validate', 'fit', 'apply', 'store'] as const;
export type TrainPhase = (typeof TRAIN_PHASES)[number];

/** The ingest stages, in order (see main/core/jobs/pipeline.ts). */
export const JOB_STAGES = ['hash', 'probe', 'decode', 'shots', 'store'] as const;
export type JobStage = (typeof JOB_STAGES)[number];

export interface JobProgress {
  stage: JobStage;
  /** 0..1 within the decode stage; other stages report 0. */
  fraction: number;
}

/** A queue entry as the UI sees it: the library's record plus live progress. */
export interface JobInfo extends Omit<JobRecord, 'kind'> {
  /** Latest progress while running, else null. */
  progress: JobProgress | null;
}

// ---- the method table -------------------------------------------------------------------------

/** Carries a response type at the type level only; responses come from our own backend. */
export interface Returns<T> {
  readonly __returns?: T;
}
export function returns<T>(): Returns<T> {
  return {};
}

export interface MethodSpec<Req, Res> {
  doc: string;
  request: Validator<Req>;
  response: Returns<Res>;
}

function method<Req, Res>(doc: string, request: Validator<Req>, response: Returns<Res>): MethodSpec<Req, Res> {
  return { doc, request, response };
}

export const methods = {
  appInfo: method('App name, version, library folder, transport and inference backend.', obj({}), returns<AppInfo>()),

  listClips: method(
    'A page of clips. Filters combine (AND). With `query`, clips are ranked by full-text match on ' +
      'file names and tags; without, in library order. limit defaults to 100.',
    obj({
      query: optional(str({ max: LIMITS.query })),
      kind: optional(tagKind),
      tag: optional(tagName),
      mediaId: optional(id),
      limit: optional(int({ min: 1, max: LIMITS.pageSize })),
      offset: optional(int({ min: 0, max: 10_000_000 })),
    }),
    returns<ClipPage>(),
  ),

  listMedia: method(
    'Every video in the library (ordered by path), with its status and error.',
    obj({ status: optional(oneOf(MEDIA_STATUSES)) }),
    returns<MediaRecord[]>(),
  ),

  listTags: method('Tags in use, with how many clips carry each, by kind then name.', obj({ kind: optional(tagKind) }), returns<TagCount[]>()),

  clipDetail: method(
    'One clip, its video, all clips of that video (the timeline) and where each of its tags occurs.',
    obj({ clipId: id }),
    returns<ClipDetail>(),
  ),

  tagClips: method(
    "Adds the user's tags (source 'user', confidence 1; kind defaults to 'custom') to every clip. " +
      'Re-tagging never overwrites them.',
    obj({ clipIds, names: arr(tagName, { min: 1, max: LIMITS.editTags }), kind: optional(tagKind) }),
    returns<TagEditResult>(),
  ),

  untagClips: method(
    "Removes tags from every clip and remembers the user's no, so re-tagging does not bring them " +
      'back. Without kind, every kind of that name goes.',
    obj({ clipIds, names: arr(tagName, { min: 1, max: LIMITS.editTags }), kind: optional(tagKind) }),
    returns<TagEditResult>(),
  ),

  renameTag: method(
    "On each clip that carries `from` (of `kind`, else any kind): removes it (the user's no) and " +
      "adds `to` as a user tag of the same kind ('custom' when `from` had several kinds).",
    obj({ clipIds, from: tagName, to: tagName, kind: optional(tagKind) }),
    returns<TagEditResult>(),
  ),

  ingest: method(
    'Queues files and folders (videos inside folders) for ingest, in place on disk; returns at once. ' +
      'Progress arrives as jobProgress / jobEnd events.',
    obj({ paths: arr(filePath, { min: 1, max: LIMITS.ingestPaths }) }),
    returns<IngestStarted>(),
  ),

  cancelJob: method(
    'Cancels a pending or running job (it ends with status "cancelled"). False when it had already ended.',
    obj({ jobId: id }),
    returns<{ cancelled: boolean }>(),
  ),

  cancelAllJobs: method('Cancels every pending and running job.', obj({}), returns<{ cancelled: number }>()),

  similarClips: method(
    'More like this: the clips most similar to one clip by CNN embedding (cosine), best first, ' +
      'never the clip itself. limit defaults to 24.',
    obj({ clipId: id, limit: optional(int({ min: 1, max: LIMITS.similar })) }),
    returns<ScoredClip[]>(),
  ),

  listTagModels: method('Every custom tag that has a trained model, with its quality and threshold.', obj({}), returns<TagModelInfo[]>()),

  trainTag: method(
    "Trains (or retrains) a custom tag's model from the clips the user tagged with it (5 or more) and " +
      'those they said "not this" for, cross-validates it, then scores every clip and tags those at or ' +
      'above the threshold (user rows are never overwritten). Resolves when done; trainProgress events ' +
      'report the way there; cancelTraining stops it and leaves the library as it was.',
    obj({ name: tagName, threshold: optional(num01()) }),
    returns<TagModelInfo>(),
  ),

  cancelTraining: method('Cancels the running training, if any.', obj({}), returns<{ cancelled: boolean }>()),

  trainingStatus: method(
    'The custom tag training now running, as its last trainProgress event said (phase and fraction), ' +
      'or null when none runs: a window opened or reloaded mid-training shows the bar at once.',
    obj({}),
    returns<TrainProgressEvent | null>(),
  ),

  setTagThreshold: method(
    "Moves a custom tag's threshold: clips scoring at or above it carry the tag. No model runs.",
    obj({ name: tagName, threshold: num01() }),
    returns<TagModelInfo>(),
  ),

  forgetTag: method(
    "Deletes a custom tag's model, its scores and the tags it gave. The user's own yes and no rows " +
      'stay, so training it again starts from them. False when the tag had no model.',
    obj({ name: tagName }),
    returns<{ forgotten: boolean }>(),
  ),

  reviewTag: method(
    "Clips the model scored for a custom tag that the user has not judged yet. order 'uncertain' " +
      "(default) puts the scores nearest the threshold first (the next clips worth a yes or no), and " +
      'among equally sure scores the clips most like the examples; ' +
      "'confidence' puts the highest first. limit defaults to 24.",
    obj({ name: tagName, order: optional(oneOf(['uncertain', 'confidence'] as const)), limit: optional(int({ min: 1, max: LIMITS.similar })) }),
    returns<ScoredClip[]>(),
  ),

  listJobs: method(
    'The most recent jobs (newest last), optionally of one status. limit defaults to 200.',
    obj({ status: optional(oneOf(JOB_STATUSES)), limit: optional(int({ min: 1, max: LIMITS.jobList })) }),
    returns<JobInfo[]>(),
  ),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type RequestOf<M extends MethodName> = Infer<Methods[M]['request']>;
export type ResponseOf<M extends MethodName> = Methods[M]['response'] extends Returns<infer T> ? T : never;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

/** What a backend implements: one function per method, given an already validated request. */
export type Handlers = { [M in MethodName]: (request: RequestOf<M>) => Promise<ResponseOf<M>> | ResponseOf<M> };

// ---- events -----------------------------------------------------------------------------------

export interface JobProgressEvent extends JobProgress {
  jobId: number;
  path: string;
}

export interface JobEndEvent {
  jobId: number;
  path: string;
  status: 'ok' | 'skipped' | 'error' | 'cancelled';
  /** For 'error' (and the reason for 'skipped'). */
  error?: string;
  /** Clips of the video, for 'ok' and 'skipped'. */
  clips?: number;
  mediaId?: number;
}

export interface TrainProgressEvent {
  /** The custom tag being trained. */
  name: string;
  phase: TrainPhase;
  /** 0..1 of the whole training. */
  fraction: number;
}

export interface TrainEndEvent {
  name: string;
  status: 'ok' | 'error' | 'cancelled';
  /** For 'error' and 'cancelled'. */
  error?: string;
}

export interface LibraryChangedEvent {
  reason: 'ingest' | 'tags' | 'train';
  /** Media whose rows or clips changed (empty when unknown). */
  mediaIds: number[];
  /** Clips whose tags changed. */
  clipIds: number[];
}

export interface EventSpec<T> {
  doc: string;
  payload: Returns<T>;
}

function event<T>(doc: string): EventSpec<T> {
  return { doc, payload: returns<T>() };
}

export const events = {
  jobProgress: event<JobProgressEvent>('A job moved on: stage and fraction (0..1 within decode).'),
  jobEnd: event<JobEndEvent>('A job finished: ok, skipped (already in the library), error or cancelled.'),
  trainProgress: event<TrainProgressEvent>("A custom tag's training moved on: phase and overall fraction."),
  trainEnd: event<TrainEndEvent>("A custom tag's training ended: trained, failed (why) or cancelled."),
  libraryChanged: event<LibraryChangedEvent>('Clips, tags or media changed: refetch what is on screen.'),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = (typeof events)[E]['payload'] extends Returns<infer T> ? T : never;
export type AnyEvent = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

// ---- transports -------------------------------------------------------------------------------

/** Electron: ipcMain.handle(IPC_METHOD_PREFIX + method); events on IPC_EVENT_CHANNEL as AnyEvent. */
export const IPC_METHOD_PREFIX = 'reeltag:';
export const IPC_EVENT_CHANNEL = 'reeltag:event';

/** Browser mode: POST API_PREFIX + method (JSON body), server-sent events at EVENTS_PATH. */
export const API_PREFIX = '/api/';
export const EVENTS_PATH = '/api/events';
/** POST UPLOAD_PATH?name=<file name>, raw bytes as the body: saved to <library>/media/ and ingested. */
export const UPLOAD_PATH = '/api/upload';

export interface UploadResult {
  /** Where the file was saved on the backend's disk. */
  path: string;
  jobIds: number[];
}

/**
 * Media (video files with Range support, and clip thumbnails) are addressed by id, never by path:
 *   Electron:     reeltag-media://library/video/<mediaId>, reeltag-media://library/thumb/<clipId>
 *   browser mode: /media/video/<mediaId>, /media/thumb/<clipId>
 */
export const MEDIA_SCHEME = 'reeltag-media';
export const MEDIA_HOST = 'library';
export const MEDIA_HTTP_PREFIX = '/media/';

export type MediaRoute = { kind: 'video'; mediaId: number } | { kind: 'thumb'; clipId: number };

export function mediaRoutePath(route: MediaRoute): string {
  return route.kind === 'video' ? `video/${route.mediaId}` : `thumb/${route.clipId}`;
}

/** Parses "video/12" / "thumb/7" exactly; anything else (dots, escapes, extra segments) is null. */
export function parseMediaRoutePath(routePath: string): MediaRoute | null {
  const m = /^(video|thumb)\/([1-9][0-9]{0,15})$/.exec(routePath);
  if (!m) return null;
  const n = Number(m[2]);
  if (!Number.isSafeInteger(n)) return null;
  return m[1] === 'video' ? { kind: 'video', mediaId: n } : { kind: 'thumb', clipId: n };
}

/**
 * What the preload exposes as `window.reeltag` (Electron only). The renderer normally uses a
 * ReeltagClient from shared/client.ts instead of this directly.
 */
export interface ReeltagBridge {
  readonly transport: 'electron';
  invoke(method: string, request: unknown): Promise<Result<unknown>>;
  /** Returns a function that removes the listener. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** The dropped File's path on disk (webUtils.getPathForFile); '' when it has none. */
  pathForFile(file: unknown): string;
}
