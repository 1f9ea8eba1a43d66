// The persistent ingest queue. Jobs live in the library, so a crash or a kill leaves them
// 'running' or 'pending'; the next start puts interrupted ones back and runs them again.
import type { Transition } from '../../../shared/types.js';
import { ingestFile, type IngestProgress, type IngestTimings, type PipelineContext } from './pipeline.js';

export type QueueEvent =
  | { type: 'job-start'; jobId: number; path: string; index: number; total: number }
  | { type: 'job-progress'; jobId: number; path: string; progress: IngestProgress }
  | { type: 'job-end'; jobId: number; path: string; result: JobResult };

export type JobResult =
  | { path: string; status: 'ok'; clips: number; mediaId: number; transitions: Transition[]; timings: IngestTimings }
  | { path: string; status: 'skipped'; clips: number; mediaId: number; reason: string }
  | { path: string; status: 'error'; error: string };

/** Enqueues the given files (already expanded) and runs every pending job, old ones included. */
export async function runQueue(
  ctx: PipelineContext,
  files: string[],
  opts: { signal?: AbortSignal; onEvent?: (e: QueueEvent) => void } = {},
): Promise<JobResult[]> {
  const { library } = ctx;
  library.jobs.resetInterrupted();
  library.jobs.enqueue(files);
  const results: JobResult[] = [];
  const total = () => results.length + library.jobs.counts().pending + 1;
  for (;;) {
    opts.signal?.throwIfAborted();
    const job = library.jobs.claimNext();
    if (!job) break;
    opts.onEvent?.({ type: 'job-start', jobId: job.id, path: job.path, index: results.length, total: total() });
    let result: JobResult;
    try {
      const outcome = await ingestFile(ctx, job.path, {
        signal: opts.signal,
        onProgress: (progress) => opts.onEvent?.({ type: 'job-progress', jobId: job.id, path: job.path, progress }),
      });
      library.jobs.finish(job.id, { mediaId: outcome.mediaId });
      result =
        outcome.status === 'ok'
          ? { path: job.path, status: 'ok', clips: outcome.clips, mediaId: outcome.mediaId, transitions: outcome.transitions, timings: outcome.timings }
          : { path: job.path, status: 'skipped', clips: outcome.clips, mediaId: outcome.mediaId, reason: outcome.reason };
    } catch (e) {
      // Cancelling leaves the job 'running': the next start resumes it, like after a crash.
      if (opts.signal?.aborted) throw e;
      const error = (e as Error).message || String(e);
      library.jobs.fail(job.id, error);
      result = { path: job.path, status: 'error', error };
    }
    results.push(result);
    opts.onEvent?.({ type: 'job-end', jobId: job.id, path: job.path, result });
  }
  return results;
}
