// The persistent ingest queue. Every state change is a single statement (or one transaction), so
// several processes can share the queue: claimNext hands a job to exactly one of them.
import { writeTx, type LibraryContext } from './context.js';

import type { JobKind, JobRecord, JobStatus } from '../../../shared/types.js';

export type { JobKind, JobRecord, JobStatus };

export interface JobClaim {
  id: number;
  path: string;
  /** Including this one. */
  attempts: number;
}

const SELECT = `SELECT id, kind, path, status, error, media_id AS mediaId, attempts,
  created_at AS createdAt, updated_at AS updatedAt FROM jobs`;

/**
 * Queues an ingest per path, in order. A path that already has a pending or running job is skipped
 * (the partial unique index jobs_live_path decides, atomically). Returns the ids of the new jobs.
 */
export function enqueue(ctx: LibraryContext, paths: readonly string[]): number[] {
  return writeTx(ctx.db, () => {
    const now = ctx.now();
    const insert = ctx.db
      .prepare(
        `INSERT INTO jobs (kind, path, status, created_at, updated_at) VALUES ('ingest', ?, 'pending', ?, ?)
         ON CONFLICT DO NOTHING RETURNING id`,
      )
      .pluck();
    const ids: number[] = [];
    for (const path of paths) {
      if (typeof path !== 'string' || path.length === 0) throw new Error('jobs.enqueue: empty path');
      const id = insert.get(path, now, now) as number | undefined;
      if (id !== undefined) ids.push(id);
    }
    return ids;
  });
}

/**
 * Puts jobs left 'running' by a crash back to 'pending'. Call once at start-up, before any worker
 * of this library runs (it cannot tell a crashed worker from a live one in another process).
 * Returns how many were reset.
 */
export function resetInterrupted(ctx: LibraryContext): number {
  return ctx.db
    .prepare("UPDATE jobs SET status = 'pending', updated_at = ? WHERE status = 'running'")
    .run(ctx.now()).changes;
}

/** Takes the oldest pending job: pending → running, attempts + 1, in one statement. */
export function claimNext(ctx: LibraryContext): JobClaim | undefined {
  return ctx.db
    .prepare(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, updated_at = ?
       WHERE id = (SELECT id FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1)
       RETURNING id, path, attempts`,
    )
    .get(ctx.now()) as JobClaim | undefined;
}

function settle(ctx: LibraryContext, id: number, sql: string, ...args: unknown[]): void {
  const { changes } = ctx.db.prepare(sql).run(...args, ctx.now(), id);
  if (changes === 0) throw new Error(`no job with id ${id}`);
}

export function finish(ctx: LibraryContext, id: number, result: { mediaId: number | null }): void {
  settle(ctx, id, "UPDATE jobs SET status = 'done', error = NULL, media_id = ?, updated_at = ? WHERE id = ?", result.mediaId);
}

export function fail(ctx: LibraryContext, id: number, error: string): void {
  settle(ctx, id, "UPDATE jobs SET status = 'error', error = ?, updated_at = ? WHERE id = ?", String(error));
}

/** Jobs in queue order (oldest first). */
export function list(ctx: LibraryContext, opts: { status?: JobStatus } = {}): JobRecord[] {
  return (
    opts.status === undefined
      ? ctx.db.prepare(`${SELECT} ORDER BY id`).all()
      : ctx.db.prepare(`${SELECT} WHERE status = ? ORDER BY id`).all(opts.status)
  ) as JobRecord[];
}

export function counts(ctx: LibraryContext): Record<JobStatus, number> {
  const out: Record<JobStatus, number> = { pending: 0, running: 0, done: 0, error: 0 };
  const rows = ctx.db.prepare('SELECT status, count(*) AS n FROM jobs GROUP BY status').all() as Array<{
    status: JobStatus;
    n: number;
  }>;
  for (const { status, n } of rows) out[status] = n;
  return out;
}
