// The contract's implementation on top of ReeltagService: one handler per method, the ingest
// runner (one run at a time, cancel, progress) and the event stream. Transport-free: the
// Electron worker host and the HTTP server both wrap it. Plain Node, never electron.
import type { QueueEvent } from '../core/jobs/queue.js';
import type { ReeltagService } from '../core/service.js';
import {
  ContractError,
  type AnyEvent,
  type EventName,
  type EventPayload,
  type Handlers,
  type JobInfo,
  type JobProgress,
  type JobStage,
  type TrainProgressEvent,
} from '../../shared/contract.js';

export const CANCELLED = 'cancelled by the user';
const DEFAULT_PAGE = 100;
const DEFAULT_JOB_LIST = 200;
const DEFAULT_SIMILAR = 24;
/** Decode progress arrives per chunk; the UI needs far fewer updates than that. */
const PROGRESS_INTERVAL_MS = 100;

export interface BackendOptions {
  transport: 'electron' | 'http';
  version: string;
  /** Run jobs left pending or interrupted by an earlier run (default true). */
  resume?: boolean;
  now?: () => number;
}

export interface Backend {
  handlers: Handlers;
  /** Every event, in order; returns the unsubscribe function. */
  subscribe(listener: (event: AnyEvent) => void): () => void;
  /** Resolves when no ingest run is active (tests, shutdown). */
  idle(): Promise<void>;
  /** Cancels the active run (its job resumes on the next start) and stops taking work. */
  close(): Promise<void>;
}

/** The ReeltagService methods the backend uses (tests may pass a real service or a fake). */
export type BackendService = Pick<
  ReeltagService,
  | 'lib'
  | 'ingest'
  | 'libraryDir'
  | 'backendReport'
  | 'clipPage'
  | 'mediaList'
  | 'tagCounts'
  | 'clipDetail'
  | 'tagClips'
  | 'untagClips'
  | 'renameTag'
  | 'enqueue'
  | 'similarClips'
  | 'tagModels'
  | 'trainTag'
  | 'setTagThreshold'
  | 'reviewTag'
  | 'forgetTag'
>;

export function createBackend(service: BackendService, opts: BackendOptions): Backend {
  const now = opts.now ?? Date.now;
  const listeners = new Set<(event: AnyEvent) => void>();
  const progress = new Map<number, JobProgress & { at: number }>();
  /** Jobs the user cancelled while they ran: settled once the run has stopped. */
  const cancelling = new Set<number>();
  let current: { jobId: number; path: string } | null = null;
  let controller: AbortController | null = null;
  let running: Promise<void> | null = null;
  let closed = false;
  /** The custom-tag training in progress (one at a time: each one uses every core it gets). */
  /** The custom tag training now running, with its last progress (trainingStatus). */
  let training: { name: string; controller: AbortController; progress: TrainProgressEvent } | null = null;

  function emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const message = { event, payload } as AnyEvent;
    for (const listener of listeners) {
      try {
        listener(message);
      } catch {
        // A broken listener (a closed socket) must not stop the others or the pipeline.
      }
    }
  }

  function onQueueEvent(e: QueueEvent): void {
    if (e.type === 'job-start') {
      current = { jobId: e.jobId, path: e.path };
      progress.set(e.jobId, { stage: 'hash', fraction: 0, at: now() });
      emit('jobProgress', { jobId: e.jobId, path: e.path, stage: 'hash', fraction: 0 });
    } else if (e.type === 'job-progress') {
      const stage: JobStage = e.progress.stage;
      const last = progress.get(e.jobId);
      const t = now();
      // `at` is when an event last went out: within a stage, at most one per interval.
      const quiet = last !== undefined && last.stage === stage && t - last.at < PROGRESS_INTERVAL_MS && e.progress.fraction < 1;
      progress.set(e.jobId, { stage, fraction: e.progress.fraction, at: quiet ? last.at : t });
      if (!quiet) emit('jobProgress', { jobId: e.jobId, path: e.path, stage, fraction: e.progress.fraction });
    } else {
      progress.delete(e.jobId);
      current = null;
      const r = e.result;
      if (r.status === 'error') {
        emit('jobEnd', { jobId: e.jobId, path: e.path, status: 'error', error: r.error });
        // The failed file now has a media row with its error.
        emit('libraryChanged', { reason: 'ingest', mediaIds: [], clipIds: [] });
      } else {
        cancelling.delete(e.jobId); // finished before the cancel reached it
        emit('jobEnd', {
          jobId: e.jobId,
          path: e.path,
          status: r.status,
          clips: r.clips,
          mediaId: r.mediaId,
          ...(r.status === 'skipped' && { error: r.reason }),
        });
        if (r.status === 'ok') emit('libraryChanged', { reason: 'ingest', mediaIds: [r.mediaId], clipIds: [] });
      }
    }
  }

  function endCancelled(jobId: number, path: string): void {
    progress.delete(jobId);
    emit('jobEnd', { jobId, path, status: 'cancelled', error: CANCELLED });
  }

  /** Marks a job cancelled in the library unless it already ended. */
  function settleCancelled(jobId: number): void {
    const job = service.lib().jobs.list().find((j) => j.id === jobId);
    if (job && (job.status === 'running' || job.status === 'pending')) {
      service.lib().jobs.fail(jobId, CANCELLED);
      endCancelled(jobId, job.path);
    }
  }

  function failQueued(message: string): void {
    const lib = service.lib();
    for (const job of [...lib.jobs.list({ status: 'running' }), ...lib.jobs.list({ status: 'pending' })]) {
      service.lib().jobs.fail(job.id, message);
      emit('jobEnd', { jobId: job.id, path: job.path, status: 'error', error: message });
    }
  }

  async function loop(): Promise<void> {
    for (;;) {
      const counts = service.lib().jobs.counts();
      if (closed || counts.pending + counts.running === 0) return;
      const run = new AbortController();
      controller = run;
      try {
        // ingest([]) enqueues nothing and runs every pending job, including ones queued while it runs.
        await service.ingest([], { signal: run.signal, onEvent: onQueueEvent });
      } catch (e) {
        if (!run.signal.aborted) {
          // The run could not start (no ffmpeg, no inference backend) or broke down: every queued
          // job would fail the same way, so say it once per job instead of retrying forever.
          const message = (e as Error).message || String(e);
          failQueued(message);
        }
      } finally {
        controller = null;
        const stopped = current;
        current = null;
        for (const jobId of cancelling) settleCancelled(jobId);
        cancelling.clear();
        if (stopped) progress.delete(stopped.jobId);
      }
    }
  }

  function kick(): void {
    if (closed || running) return;
    running = loop().finally(() => {
      running = null;
      // Jobs queued between the last check and the end of the run.
      const counts = service.lib().jobs.counts();
      if (!closed && counts.pending > 0) kick();
    });
  }

  function cancel(jobId: number): boolean {
    const job = service.lib().jobs.list().find((j) => j.id === jobId);
    if (!job) throw new ContractError('not_found', `no job with id ${jobId}`);
    if (current?.jobId === jobId && controller) {
      cancelling.add(jobId);
      controller.abort(new Error(CANCELLED));
      return true;
    }
    if (job.status === 'pending') {
      service.lib().jobs.fail(jobId, CANCELLED);
      endCancelled(jobId, job.path);
      return true;
    }
    return false;
  }

  const handlers: Handlers = {
    appInfo: async () => ({
      name: 'Reeltag',
      version: opts.version,
      libraryDir: service.libraryDir(),
      transport: opts.transport,
      backend: await service.backendReport(),
      platform: process.platform,
    }),

    listClips: (r) => {
      const limit = r.limit ?? DEFAULT_PAGE;
      const offset = r.offset ?? 0;
      const { clips, total } = service.clipPage({ query: r.query, kind: r.kind, tag: r.tag, mediaId: r.mediaId }, { limit, offset });
      return { clips, total, limit, offset };
    },

    listMedia: (r) => service.mediaList(r),
    listTags: (r) => service.tagCounts(r),
    clipDetail: (r) => service.clipDetail(r.clipId),

    tagClips: (r) => {
      const clips = service.tagClips(r.clipIds, r.names, r.kind);
      emit('libraryChanged', { reason: 'tags', mediaIds: [...new Set(clips.map((c) => c.mediaId))], clipIds: r.clipIds });
      return { clips };
    },
    untagClips: (r) => {
      const clips = service.untagClips(r.clipIds, r.names, r.kind);
      emit('libraryChanged', { reason: 'tags', mediaIds: [...new Set(clips.map((c) => c.mediaId))], clipIds: r.clipIds });
      return { clips };
    },
    renameTag: (r) => {
      const clips = service.renameTag(r.clipIds, r.from, r.to, r.kind);
      emit('libraryChanged', { reason: 'tags', mediaIds: [...new Set(clips.map((c) => c.mediaId))], clipIds: r.clipIds });
      return { clips };
    },

    ingest: async (r) => {
      if (closed) throw new ContractError('unavailable', 'Reeltag is shutting down');
      const started = await service.enqueue(r.paths);
      kick();
      return started;
    },

    cancelJob: (r) => ({ cancelled: cancel(r.jobId) }),

    cancelAllJobs: () => {
      let n = 0;
      for (const job of service.lib().jobs.list({ status: 'pending' })) {
        service.lib().jobs.fail(job.id, CANCELLED);
        endCancelled(job.id, job.path);
        n++;
      }
      if (current && controller) {
        cancelling.add(current.jobId);
        controller.abort(new Error(CANCELLED));
        n++;
      }
      return { cancelled: n };
    },

    similarClips: (r) => service.similarClips(r.clipId, r.limit ?? DEFAULT_SIMILAR),
    listTagModels: () => service.tagModels(),
    reviewTag: (r) => service.reviewTag(r.name, { order: r.order ?? 'uncertain', limit: r.limit ?? DEFAULT_SIMILAR }),

    setTagThreshold: (r) => {
      const info = service.setTagThreshold(r.name, r.threshold);
      emit('libraryChanged', { reason: 'train', mediaIds: [], clipIds: [] });
      return info;
    },

    trainTag: async (r) => {
      if (closed) throw new ContractError('unavailable', 'Reeltag is shutting down');
      if (training) throw new ContractError('conflict', `already training "${training.name}"; cancel it or wait`);
      const controller = new AbortController();
      training = { name: r.name, controller, progress: { name: r.name, phase: 'examples', fraction: 0 } };
      const running = training;
      try {
        const info = await service.trainTag(r.name, {
          threshold: r.threshold,
          signal: controller.signal,
          onProgress: (phase, fraction) => {
            running.progress = { name: r.name, phase, fraction };
            emit('trainProgress', running.progress);
          },
        });
        emit('trainEnd', { name: r.name, status: 'ok' });
        emit('libraryChanged', { reason: 'train', mediaIds: [], clipIds: [] });
        return info;
      } catch (e) {
        if (controller.signal.aborted) {
          const message = `training "${r.name}" was cancelled; the library is as it was`;
          emit('trainEnd', { name: r.name, status: 'cancelled', error: message });
          throw new ContractError('cancelled', message);
        }
        emit('trainEnd', { name: r.name, status: 'error', error: e instanceof Error ? e.message : String(e) });
        throw e;
      } finally {
        training = null;
      }
    },

    forgetTag: (r) => {
      if (training?.name.trim().toLowerCase() === r.name.trim().toLowerCase()) {
        throw new ContractError('conflict', `"${r.name}" is training; cancel it first`);
      }
      const forgotten = service.forgetTag(r.name);
      if (forgotten) emit('libraryChanged', { reason: 'train', mediaIds: [], clipIds: [] });
      return { forgotten };
    },

    cancelTraining: () => {
      if (!training) return { cancelled: false };
      training.controller.abort(new Error(CANCELLED));
      return { cancelled: true };
    },

    trainingStatus: () => (training ? { ...training.progress } : null),

    listJobs: (r) => {
      const jobs = service.lib().jobs.list(r.status === undefined ? {} : { status: r.status });
      return jobs.slice(-(r.limit ?? DEFAULT_JOB_LIST)).map(
        ({ kind: _kind, ...job }): JobInfo => ({
          ...job,
          progress: job.status === 'running' ? toProgress(progress.get(job.id)) : null,
        }),
      );
    },
  };

  if (opts.resume ?? true) {
    const counts = service.lib().jobs.counts();
    if (counts.pending + counts.running > 0) kick();
  }

  return {
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async idle() {
      while (running) await running;
    },
    async close() {
      closed = true;
      // Not marked cancelled: like a crash, the interrupted job runs again on the next start.
      controller?.abort(new Error('Reeltag is shutting down'));
      training?.controller.abort(new Error('Reeltag is shutting down'));
      while (running) await running;
      listeners.clear();
    },
  };
}

function toProgress(p: (JobProgress & { at: number }) | undefined): JobProgress | null {
  return p ? { stage: p.stage, fraction: p.fraction } : null;
}
