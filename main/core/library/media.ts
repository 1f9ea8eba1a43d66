// Reading media rows. Writes happen in ingest.ts (storeIngest, markMediaError), one transaction
// per video.
import type { MediaInfo, MediaRecord, MediaStatus } from '../../../shared/types.js';
import type { LibraryContext } from './context.js';

/**
 * A MediaRecord plus the fields the pipeline needs to skip unchanged files without hashing them.
 * (Candidates for MediaRecord itself; shared/types.ts is not ours to change.)
 */
export interface StoredMedia extends MediaRecord {
  mtimeMs: number;
  updatedAt: number;
}

interface MediaRow {
  id: number;
  path: string;
  fileName: string;
  contentHash: string | null;
  sizeBytes: number;
  mtimeMs: number;
  status: MediaStatus;
  error: string | null;
  infoJson: string | null;
  addedAt: number;
  updatedAt: number;
}

const SELECT = `SELECT id, path, file_name AS fileName, content_hash AS contentHash, size_bytes AS sizeBytes,
  mtime_ms AS mtimeMs, status, error, info_json AS infoJson, added_at AS addedAt, updated_at AS updatedAt
  FROM media`;

function toRecord({ infoJson, ...row }: MediaRow): StoredMedia {
  return { ...row, info: infoJson === null ? null : (JSON.parse(infoJson) as MediaInfo) };
}

function one(ctx: LibraryContext, where: string, value: unknown, order = 'id'): StoredMedia | undefined {
  const row = ctx.db.prepare(`${SELECT} WHERE ${where} ORDER BY ${order} LIMIT 1`).get(value) as MediaRow | undefined;
  return row && toRecord(row);
}

export function get(ctx: LibraryContext, id: number): StoredMedia | undefined {
  return one(ctx, 'id = ?', id);
}

export function findByPath(ctx: LibraryContext, path: string): StoredMedia | undefined {
  return one(ctx, 'path = ?', path);
}

/**
 * A media row with this content hash. The same video can sit at several paths (copies, or a failed
 * attempt next to a good one): an 'ok' row is preferred, then the oldest.
 */
export function findByHash(ctx: LibraryContext, hash: string): StoredMedia | undefined {
  return one(ctx, 'content_hash = ?', hash, "status = 'ok' DESC, id");
}

/** Every media row ordered by path, optionally only those with one status. */
export function list(ctx: LibraryContext, opts: { status?: MediaStatus } = {}): StoredMedia[] {
  const rows = (
    opts.status === undefined
      ? ctx.db.prepare(`${SELECT} ORDER BY path`).all()
      : ctx.db.prepare(`${SELECT} WHERE status = ? ORDER BY path`).all(opts.status)
  ) as MediaRow[];
  return rows.map(toRecord);
}
