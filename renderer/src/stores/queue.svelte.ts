// The ingest queue as the user sees it: one row per dropped file (while it uploads or is being
// added) and per job, with its stage, a progress fraction, and the reason when it failed.
// Fed by jobProgress / jobEnd events; listJobs fills it on start and after a folder is added.
import type { ReeltagClient } from '../../../shared/client.js';
import type { JobEndEvent, JobInfo, JobProgressEvent, JobStage } from '../../../shared/contract.js';
import { baseName } from '../lib/format.js';
import type { AddFileOptions, AddFileResult } from '../lib/transport.js';

export type QueueStatus = 'uploading' | 'pending' | 'running' | 'ok' | 'skipped' | 'error' | 'cancelled';

export interface QueueItem {
  /** "u3" for a file being added, "j12" for job 12. */
  key: string;
  jobId: number | null;
  name: string;
  status: QueueStatus;
  stage: JobStage | null;
  /** 0..1 of the whole job (or of the upload while uploading). */
  fraction: number;
  error: string | null;
  clips: number | null;
}

export interface QueueClient extends Pick<ReeltagClient, 'call'> {
  addFile(file: File, opts?: AddFileOptions): Promise<AddFileResult>;
}

/** Where each stage starts and ends in the row's bar (decode is most of the time). */
const STAGE_SPAN: Record<JobStage, [number, number]> = {
  hash: [0, 0.04],
  probe: [0.04, 0.08],
  decode: [0.08, 0.9],
  shots: [0.9, 0.96],
  store: [0.96, 1],
};

export function overallFraction(stage: JobStage, fraction: number): number {
  const [a, b] = STAGE_SPAN[stage];
  return a + (b - a) * Math.max(0, Math.min(1, fraction));
}

const CANCELLED_MESSAGE = 'cancelled by the user';

function fromJob(job: JobInfo): QueueItem {
  const status: QueueStatus =
    job.status === 'done' ? 'ok' : job.status === 'error' ? (job.error === CANCELLED_MESSAGE ? 'cancelled' : 'error') : job.status;
  return {
    key: `j${job.id}`,
    jobId: job.id,
    name: baseName(job.path),
    status,
    stage: job.progress?.stage ?? null,
    fraction: status === 'ok' ? 1 : job.progress ? overallFraction(job.progress.stage, job.progress.fraction) : 0,
    error: status === 'error' || status === 'cancelled' ? job.error : null,
    clips: null,
  };
}

export class QueueStore {
  items = $state<QueueItem[]>([]);
  readonly #client: QueueClient;
  readonly #uploads = new Map<string, AbortController>();
  #nextUpload = 1;

  constructor(client: QueueClient) {
    this.#client = client;
  }

  get active(): QueueItem[] {
    return this.items.filter((i) => i.status === 'uploading' || i.status === 'pending' || i.status === 'running');
  }

  get failed(): QueueItem[] {
    return this.items.filter((i) => i.status === 'error');
  }

  get finished(): QueueItem[] {
    return this.items.filter((i) => i.status === 'ok' || i.status === 'skipped' || i.status === 'error' || i.status === 'cancelled');
  }

  /** The jobs the backend knows (the most recent ones), merged into the rows. */
  async load(limit = 100): Promise<void> {
    const r = await this.#client.call('listJobs', { limit });
    if (!r.ok) return;
    for (const job of r.value) this.#upsert(fromJob(job), false);
  }

  /** Dropped or picked files, added one after the other (uploads share one link). */
  async add(files: readonly File[]): Promise<void> {
    const rows = files.map((file) => {
      const key = `u${this.#nextUpload++}`;
      this.items.push({ key, jobId: null, name: file.name, status: 'uploading', stage: null, fraction: 0, error: null, clips: null });
      return { key, file };
    });
    let needSync = false;
    for (const { key, file } of rows) {
      // Cancelled (or cleared) while it waited for the files before it.
      if (this.#find(key)?.status !== 'uploading') continue;
      const controller = new AbortController();
      this.#uploads.set(key, controller);
      const result = await this.#client.addFile(file, {
        signal: controller.signal,
        onProgress: (f) => this.#patch(key, { fraction: f }),
      });
      this.#uploads.delete(key);
      if (!result.ok) {
        this.#patch(key, { status: controller.signal.aborted ? 'cancelled' : 'error', error: result.message, fraction: 0 });
        continue;
      }
      if (result.jobIds.length === 0) {
        this.#patch(key, { status: 'skipped', error: 'already in the queue', fraction: 1 });
        continue;
      }
      const [only, ...more] = result.jobIds;
      if (more.length > 0 || this.#byJob(only!)) {
        // A folder: its files come in as rows of their own (named by listJobs or by events).
        this.#remove(key);
        needSync ||= more.length > 0;
      } else this.#patch(key, { key: `j${only}`, jobId: only!, status: 'pending', fraction: 0 });
    }
    if (needSync) await this.load();
  }

  cancelUploadsFor(key: string): boolean {
    const c = this.#uploads.get(key);
    if (!c) return false;
    c.abort();
    return true;
  }

  async cancel(item: QueueItem): Promise<void> {
    if (item.jobId === null) {
      if (!this.cancelUploadsFor(item.key)) this.#patch(item.key, { status: 'cancelled', error: 'cancelled by the user' });
      return;
    }
    const r = await this.#client.call('cancelJob', { jobId: item.jobId });
    if (!r.ok) this.#patch(item.key, { error: r.error.message });
  }

  async cancelAll(): Promise<void> {
    for (const c of this.#uploads.values()) c.abort();
    await this.#client.call('cancelAllJobs', {});
  }

  clearFinished(): void {
    this.items = this.items.filter((i) => !['ok', 'skipped', 'error', 'cancelled'].includes(i.status));
  }

  onProgress(e: JobProgressEvent): void {
    this.#upsert(
      { key: `j${e.jobId}`, jobId: e.jobId, name: baseName(e.path), status: 'running', stage: e.stage, fraction: overallFraction(e.stage, e.fraction), error: null, clips: null },
      true,
    );
  }

  onEnd(e: JobEndEvent): void {
    const status: QueueStatus = e.status;
    this.#upsert(
      {
        key: `j${e.jobId}`,
        jobId: e.jobId,
        name: baseName(e.path),
        status,
        stage: null,
        fraction: status === 'ok' || status === 'skipped' ? 1 : 0,
        error: e.error ?? null,
        clips: e.clips ?? null,
      },
      true,
    );
  }

  #find(key: string): QueueItem | undefined {
    return this.items.find((i) => i.key === key);
  }

  #byJob(jobId: number): QueueItem | undefined {
    return this.items.find((i) => i.jobId === jobId);
  }

  #patch(key: string, change: Partial<QueueItem>): void {
    const item = this.#find(key);
    if (item) Object.assign(item, change);
  }

  #remove(key: string): void {
    this.items = this.items.filter((i) => i.key !== key);
  }

  /** Updates the job's row (keeping the dropped file's name) or adds one. */
  #upsert(next: QueueItem, fromEvent: boolean): void {
    const item = this.#byJob(next.jobId!);
    if (!item) {
      this.items.push(next);
      return;
    }
    // listJobs can be older than the events that already arrived.
    if (!fromEvent && (item.status === 'running' || isEnd(item.status)) && !isEnd(next.status)) return;
    // Progress after the end (events crossing) does not reopen a row.
    if (fromEvent && isEnd(item.status) && !isEnd(next.status)) return;
    Object.assign(item, { ...next, key: item.key, name: item.name, clips: next.clips ?? item.clips });
  }
}

function isEnd(s: QueueStatus): boolean {
  return s === 'ok' || s === 'skipped' || s === 'error' || s === 'cancelled';
}
