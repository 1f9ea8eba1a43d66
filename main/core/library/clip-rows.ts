// Turning clip rows into ClipRecords, and the clip filters, shared by clips.ts and search.ts.
import type { ClipRecord, ClipTag, TagKind } from '../../../shared/types.js';
import type { Db } from './context.js';

/** A clip_tags row counts as a tag unless it is the user's "no" (source 'user', confidence 0). */
export const LIVE_TAG = `NOT (ct.source = 'user' AND ct.confidence = 0)`;

/** Columns of a ClipRow; FROM clips c JOIN media m must follow. */
export const CLIP_COLUMNS = `
  c.id AS id, c.media_id AS mediaId, m.path AS mediaPath, c.start_sec AS start, c.end_sec AS "end",
  c.start_frame AS startFrame, c.end_frame AS endFrame,
  c.start_transition AS startTransition, c.end_transition AS endTransition,
  EXISTS (SELECT 1 FROM clip_thumbnails th WHERE th.clip_id = c.id) AS hasThumbnail`;

/** Filters of listing, search and their counts; given together they all apply (AND). */
export interface ClipFilters {
  mediaPath?: string;
  mediaId?: number;
  /** Only clips carrying this tag (any kind unless `kind` is given); user "no" rows don't count. */
  tag?: string;
  /** Only clips with a tag of this kind (combined with `tag`: that tag of that kind). */
  kind?: TagKind;
}

/**
 * The filters as one condition on `clips c` ('TRUE' when there are none) and its arguments.
 * `tagPlan` picks how a tag filter is spelled, because that picks SQLite's plan (measured with
 * EXPLAIN QUERY PLAN at 100k clips):
 * - 'probe': EXISTS, checked clip by clip through the clip's own clip_tags rows; under ORDER BY
 *   ... LIMIT the walk in (media_id, idx) order stops once the page is full;
 * - 'collect': IN, the tag's clips read from the clip_tags_tag index first; the cost follows the
 *   tag's clips, not the library (counts, deep pages of rare tags, and search, where SQLite puts a
 *   bloom filter on it).
 * A kind without a tag is always probed: collected, it is most of the library several times over
 * (every clip has a rating, most have several objects) and de-duplicating that costs more.
 */
export function clipFilterSql(f: ClipFilters, tagPlan: 'probe' | 'collect'): { where: string; args: unknown[] } {
  const terms: string[] = [];
  const args: unknown[] = [];
  if (f.mediaId !== undefined) {
    terms.push('c.media_id = ?');
    args.push(f.mediaId);
  }
  if (f.mediaPath !== undefined) {
    terms.push('c.media_id = (SELECT id FROM media WHERE path = ?)');
    args.push(f.mediaPath);
  }
  if (f.tag !== undefined) {
    const tag = tagRowsSql(f.tag, f.kind);
    args.push(...tag.args);
    terms.push(tagPlan === 'collect' ? `c.id IN (SELECT ct.clip_id ${tag.sql})` : `EXISTS (SELECT 1 ${tag.sql} AND ct.clip_id = c.id)`);
  } else if (f.kind !== undefined) {
    terms.push(`EXISTS (SELECT 1 FROM clip_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.clip_id = c.id AND t.kind = ? AND ${LIVE_TAG})`);
    args.push(f.kind);
  }
  return { where: terms.length > 0 ? terms.join(' AND ') : 'TRUE', args };
}

/**
 * FROM/WHERE of the live clip_tags rows `ct` of the filter's tag (that tag of that kind with
 * `kind`). The tag ids come first, once: a name has at most one tag per kind.
 */
function tagRowsSql(tag: string, kind: TagKind | undefined): { sql: string; args: unknown[] } {
  return {
    sql: `FROM clip_tags ct WHERE ct.tag_id IN (SELECT t.id FROM tags t WHERE t.name = ?${kind === undefined ? '' : ' AND t.kind = ?'})
      AND ${LIVE_TAG}`,
    args: kind === undefined ? [tag.trim()] : [tag.trim(), kind],
  };
}

/**
 * The plan for listing clips `offset` to `offset + limit` (limit -1: to the end) in library order
 * with these filters. Probing walks about (offset + limit) * clips / m clips to fill the page, m
 * being the tag's clips; collecting reads the m clips and sorts them, about twice the cost per
 * clip (measured). So collect when 2m is below both that walk and the whole library; m is
 * counted only up to that bound, which keeps the check itself cheap.
 */
export function listTagPlan(db: Db, f: ClipFilters, offset: number, limit: number): 'probe' | 'collect' {
  // Without a tag there is nothing to collect; within one video the walk is always short.
  if (f.tag === undefined || f.mediaId !== undefined || f.mediaPath !== undefined) return 'probe';
  const clips = db.prepare('SELECT count(*) FROM clips').pluck().get() as number;
  const walk = limit < 0 ? clips : Math.sqrt(((offset + limit) * clips) / 2);
  const bound = Math.ceil(Math.min(clips / 2, walk));
  const tag = tagRowsSql(f.tag, f.kind);
  const rows = db.prepare(`SELECT count(*) FROM (SELECT 1 ${tag.sql} LIMIT ?)`).pluck().get(...tag.args, bound) as number;
  return rows < bound ? 'collect' : 'probe';
}

/** A clips row as SQLite returns it: the record's fields, tags apart, and the thumbnail flag as 0/1. */
export interface ClipRow extends Omit<ClipRecord, 'tags' | 'hasThumbnail'> {
  hasThumbnail: 0 | 1;
}

/** Adds the tags of every row in one query; keeps the order of rows. */
export function hydrateClips(db: Db, rows: ClipRow[]): ClipRecord[] {
  if (rows.length === 0) return [];
  const byClip = new Map<number, ClipTag[]>(rows.map((r) => [r.id, []]));
  const tagRows = db
    .prepare(
      `SELECT ct.clip_id AS clipId, t.name AS name, t.kind AS kind, ct.confidence AS confidence, ct.source AS source
       FROM clip_tags ct JOIN tags t ON t.id = ct.tag_id
       WHERE ct.clip_id IN (SELECT value FROM json_each(?)) AND ${LIVE_TAG}
       ORDER BY ct.clip_id, ct.source = 'user' DESC, ct.confidence DESC, t.name`,
    )
    .all(JSON.stringify([...byClip.keys()])) as Array<ClipTag & { clipId: number }>;
  for (const { clipId, ...tag } of tagRows) byClip.get(clipId)?.push(tag);
  return rows.map((r) => ({ ...r, hasThumbnail: r.hasThumbnail === 1, tags: byClip.get(r.id) ?? [] }));
}
