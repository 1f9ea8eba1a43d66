// Turning clip rows into ClipRecords, shared by clips.ts and search.ts.
import type { ClipRecord, ClipTag, TransitionType } from '../../../shared/types.js';
import type { Db } from './context.js';

/** A clip_tags row counts as a tag unless it is the user's "no" (source 'user', confidence 0). */
export const LIVE_TAG = `NOT (ct.source = 'user' AND ct.confidence = 0)`;

/** Columns of a ClipRow; FROM clips c JOIN media m must follow. */
export const CLIP_COLUMNS = `
  c.id AS id, c.media_id AS mediaId, m.path AS mediaPath, c.start_sec AS start, c.end_sec AS "end",
  c.start_frame AS startFrame, c.end_frame AS endFrame,
  c.start_transition AS startTransition, c.end_transition AS endTransition,
  EXISTS (SELECT 1 FROM clip_thumbnails th WHERE th.clip_id = c.id) AS hasThumbnail`;

export interface ClipRow {
  id: number;
  mediaId: number;
  mediaPath: string;
  start: number;
  end: number;
  startFrame: number;
  endFrame: number;
  startTransition: TransitionType | null;
  endTransition: TransitionType | null;
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
