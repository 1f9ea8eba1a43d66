// Full-text search over clips: file names and tag names (FTS5, unicode61 with diacritics removed,
// ranked by bm25). User input never reaches FTS5 as syntax: every word becomes a quoted string
// token, so quotes, *, -, AND/OR/NOT, NEAR and parentheses are searched for, not interpreted.
import type { ClipRecord } from '../../../shared/types.js';
import { CLIP_COLUMNS, clipFilterSql, hydrateClips, type ClipFilters, type ClipRow } from './clip-rows.js';
import type { LibraryContext } from './context.js';

export interface SearchOptions extends ClipFilters {
  /** 100 by default. */
  limit?: number;
  offset?: number;
}

// bm25 column weights, in clip_search column order (file_name, tags): a tag describes this clip,
// a file name every clip of the video.
const WEIGHTS = '1.0, 2.0';

/**
 * FTS5 query for what the user typed: all words must match (implicit AND), the last one as a
 * prefix ("do" finds "dog"). Words without a letter or digit are dropped (they hold no token
 * and an empty string token is an error). Returns undefined when nothing searchable is left.
 */
export function toFtsQuery(input: string): string | undefined {
  const words = input.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return undefined;
  return words.map((w, i) => `"${w.replaceAll('"', '""')}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** Clips whose file name or tags match and that pass the filters, best first (ties in video order). */
export function search(ctx: LibraryContext, query: string, opts: SearchOptions = {}): ClipRecord[] {
  const fts = toFtsQuery(query);
  if (fts === undefined) return [];
  const { where, args } = clipFilterSql(opts, 'collect');
  // Ranked and cut on ids and scores alone; only the page's rows are then read in full (a deep
  // offset otherwise sorts every skipped hit with all its columns).
  const rows = ctx.db
    .prepare(
      `WITH hits AS (
         SELECT c.id AS id, bm25(clip_search, ${WEIGHTS}) AS score
         FROM clip_search JOIN clips c ON c.id = clip_search.rowid
         WHERE clip_search MATCH ? AND ${where}
         ORDER BY score, c.media_id, c.idx
         LIMIT ? OFFSET ?)
       SELECT ${CLIP_COLUMNS} FROM hits JOIN clips c ON c.id = hits.id JOIN media m ON m.id = c.media_id
       ORDER BY hits.score, c.media_id, c.idx`,
    )
    .all(fts, ...args, opts.limit ?? 100, opts.offset ?? 0) as ClipRow[];
  return hydrateClips(ctx.db, rows);
}

/** How many clips `search` finds for the query and filters without limit and offset. */
export function searchCount(ctx: LibraryContext, query: string, filters: ClipFilters = {}): number {
  const fts = toFtsQuery(query);
  if (fts === undefined) return 0;
  const { where, args } = clipFilterSql(filters, 'collect');
  return ctx.db
    .prepare(`SELECT count(*) FROM clip_search JOIN clips c ON c.id = clip_search.rowid WHERE clip_search MATCH ? AND ${where}`)
    .pluck()
    .get(fts, ...args) as number;
}
