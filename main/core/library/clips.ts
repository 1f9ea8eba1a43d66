// Reading clips: listing with filters, one clip, and its thumbnail / embedding blobs (fetched
// separately so lists never carry megabytes of jpeg).
import type { ClipRecord } from '../../../shared/types.js';
import { CLIP_COLUMNS, clipFilterSql, hydrateClips, listTagPlan, type ClipFilters, type ClipRow } from './clip-rows.js';
import type { LibraryContext } from './context.js';
import { decodeEmbedding } from './embedding-codec.js';

export interface ClipListOptions extends ClipFilters {
  /** No limit by default. */
  limit?: number;
  offset?: number;
}

/** Clips ordered by media (in the order they were added) then by position in the video. */
export function list(ctx: LibraryContext, opts: ClipListOptions = {}): ClipRecord[] {
  const limit = opts.limit ?? -1;
  const offset = opts.offset ?? 0;
  const { where, args } = clipFilterSql(opts, listTagPlan(ctx.db, opts, offset, limit));
  // The page is cut from ids alone (the (media_id, idx) index covers them), so a deep offset skips
  // index entries instead of reading and joining every row before it.
  const rows = ctx.db
    .prepare(
      `SELECT ${CLIP_COLUMNS} FROM clips c JOIN media m ON m.id = c.media_id
       WHERE c.id IN (SELECT c.id FROM clips c WHERE ${where} ORDER BY c.media_id, c.idx LIMIT ? OFFSET ?)
       ORDER BY c.media_id, c.idx`,
    )
    .all(...args, limit, offset) as ClipRow[];
  return hydrateClips(ctx.db, rows);
}

/** How many clips `list` returns for these filters without limit and offset. */
export function count(ctx: LibraryContext, filters: ClipFilters = {}): number {
  const { where, args } = clipFilterSql(filters, 'collect');
  return ctx.db.prepare(`SELECT count(*) FROM clips c WHERE ${where}`).pluck().get(...args) as number;
}

export function get(ctx: LibraryContext, id: number): ClipRecord | undefined {
  const rows = ctx.db
    .prepare(`SELECT ${CLIP_COLUMNS} FROM clips c JOIN media m ON m.id = c.media_id WHERE c.id = ?`)
    .all(id) as ClipRow[];
  return hydrateClips(ctx.db, rows)[0];
}

/** The clip's jpeg thumbnail; undefined when the clip has none or does not exist. */
export function thumbnail(ctx: LibraryContext, id: number): Buffer | undefined {
  return ctx.db.prepare('SELECT jpeg FROM clip_thumbnails WHERE clip_id = ?').pluck().get(id) as Buffer | undefined;
}

/** The clip's embedding; undefined when the clip has none or does not exist. */
export function embedding(ctx: LibraryContext, id: number): Float32Array | undefined {
  const blob = ctx.db.prepare('SELECT vector FROM clip_embeddings WHERE clip_id = ?').pluck().get(id) as
    | Buffer
    | undefined;
  return blob && decodeEmbedding(blob);
}

/** Clips by id, in the order of `ids`; ids with no clip are left out. */
export function byIds(ctx: LibraryContext, ids: readonly number[]): ClipRecord[] {
  if (ids.length === 0) return [];
  const rows = ctx.db
    .prepare(`SELECT ${CLIP_COLUMNS} FROM clips c JOIN media m ON m.id = c.media_id WHERE c.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as ClipRow[];
  const byId = new Map(hydrateClips(ctx.db, rows).map((c) => [c.id, c]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
