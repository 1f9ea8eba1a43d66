// The user's word on a clip's tags. A user row is never overwritten by the model (see ingest.ts);
// removing a tag stores a user row with confidence 0 ("user says no") instead of deleting, so the
// next re-ingest cannot bring the model's tag back.
import type { TagKind } from '../../../shared/types.js';
import { LIVE_TAG } from './clip-rows.js';
import { writeTx, type LibraryContext } from './context.js';
import { checkTagKind, normalizeTagName, tagIdLookup } from './tag-ids.js';

function requireClip(ctx: LibraryContext, clipId: number): void {
  if (ctx.db.prepare('SELECT 1 FROM clips WHERE id = ?').get(clipId) === undefined) {
    throw new Error(`no clip with id ${clipId}`);
  }
}

const UPSERT_USER = `INSERT INTO clip_tags (clip_id, tag_id, confidence, source) VALUES (?, ?, ?, 'user')
  ON CONFLICT (clip_id, tag_id) DO UPDATE SET confidence = excluded.confidence, source = 'user'`;

/** Tags the clip by hand (confidence 1, source 'user'); replaces a model row or an earlier "no". */
export function setUserTag(ctx: LibraryContext, clipId: number, name: string, kind: TagKind = 'custom'): void {
  writeTx(ctx.db, () => {
    requireClip(ctx, clipId);
    const tagId = tagIdLookup(ctx.db)(name, kind);
    ctx.db.prepare(UPSERT_USER).run(clipId, tagId, 1);
  });
}

/**
 * Removes a tag from a clip and remembers it as the user's "no". Without `kind`, every tag of that
 * name on the clip (whatever its kind) is refused; with `kind`, that tag is refused even if the
 * clip does not carry it yet. Returns how many tags are now refused on the clip by this call.
 */
export function removeUserTag(ctx: LibraryContext, clipId: number, name: string, kind?: TagKind): number {
  return writeTx(ctx.db, () => {
    requireClip(ctx, clipId);
    const tagIds =
      kind === undefined
        ? (ctx.db
            .prepare('SELECT ct.tag_id FROM clip_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.clip_id = ? AND t.name = ?')
            .pluck()
            .all(clipId, normalizeTagName(name)) as number[])
        : [tagIdLookup(ctx.db)(name, checkTagKind(kind))];
    const upsert = ctx.db.prepare(UPSERT_USER);
    for (const tagId of tagIds) upsert.run(clipId, tagId, 0);
    return tagIds.length;
  });
}

export interface TagSummary {
  name: string;
  kind: TagKind;
  /** Clips carrying the tag, not counting the user's "no" rows. */
  clips: number;
}

/** Tags in use on at least one clip, by kind then name. */
export function list(ctx: LibraryContext, opts: { kind?: TagKind } = {}): TagSummary[] {
  // Count per tag_id first (a covering scan of clip_tags_tag), then name the survivors.
  return ctx.db
    .prepare(
      `SELECT t.name AS name, t.kind AS kind, n.clips AS clips
       FROM (SELECT ct.tag_id, count(*) AS clips FROM clip_tags ct WHERE ${LIVE_TAG} GROUP BY ct.tag_id) n
       JOIN tags t ON t.id = n.tag_id
       ${opts.kind === undefined ? '' : 'WHERE t.kind = ?'}
       ORDER BY t.kind, t.name`,
    )
    .all(...(opts.kind === undefined ? [] : [opts.kind])) as TagSummary[];
}
