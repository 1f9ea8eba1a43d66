// Reading clips: listing with filters, one clip, and its thumbnail / embedding blobs (fetched
// separately so lists never carry megabytes of jpeg).
import type { ClipRecord, TagKind } from '../../../shared/types.js';
import { CLIP_COLUMNS, LIVE_TAG, hydrateClips, type ClipRow } from './clip-rows.js';
import type { LibraryContext } from './context.js';
import { decodeEmbedding } from './embedding-codec.js';

export interface ClipListOptions {
  mediaPath?: string;
  mediaId?: number;
  /** Only clips carrying this tag (any kind unless `kind` is given); user "no" rows don't count. */
  tag?: string;
  /** Only clips with a tag of this kind (combined with `tag`: that tag of that kind). */
  kind?: TagKind;
  /** No limit by default. */
  limit?: number;
  offset?: number;
}

/** Clips ordered by media (in the order they were added) then by position in the video. */
export function list(ctx: LibraryContext, opts: ClipListOptions = {}): ClipRecord[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (opts.mediaId !== undefined) {
    where.push('c.media_id = ?');
    args.push(opts.mediaId);
  }
  if (opts.mediaPath !== undefined) {
    where.push('m.path = ?');
    args.push(opts.mediaPath);
  }
  if (opts.tag !== undefined || opts.kind !== undefined) {
    const tagWhere: string[] = [];
    if (opts.tag !== undefined) {
      tagWhere.push('t.name = ?');
      args.push(opts.tag.trim());
    }
    if (opts.kind !== undefined) {
      tagWhere.push('t.kind = ?');
      args.push(opts.kind);
    }
    where.push(`c.id IN (SELECT ct.clip_id FROM clip_tags ct JOIN tags t ON t.id = ct.tag_id
      WHERE ${tagWhere.join(' AND ')} AND ${LIVE_TAG})`);
  }
  args.push(opts.limit ?? -1, opts.offset ?? 0);
  const rows = ctx.db
    .prepare(
      `SELECT ${CLIP_COLUMNS} FROM clips c JOIN media m ON m.id = c.media_id
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY c.media_id, c.idx LIMIT ? OFFSET ?`,
    )
    .all(...args) as ClipRow[];
  return hydrateClips(ctx.db, rows);
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
