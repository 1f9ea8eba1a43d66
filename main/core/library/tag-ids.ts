// Looking up / creating tag rows; internal to the library's write paths.
import type { TagKind } from '../../../shared/types.js';
import type { Db } from './context.js';

export const TAG_KINDS: readonly TagKind[] = ['object', 'rating', 'transition', 'attribute', 'custom'];

const MAX_TAG_NAME = 200;

/** Trimmed name; throws on empty or absurd names so bad input fails with a readable message. */
export function normalizeTagName(name: string): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (n.length === 0) throw new Error('tag name is empty');
  if (n.length > MAX_TAG_NAME) throw new Error(`tag name longer than ${MAX_TAG_NAME} characters`);
  return n;
}

export function checkTagKind(kind: string): TagKind {
  if (!(TAG_KINDS as readonly string[]).includes(kind)) throw new Error(`unknown tag kind "${kind}"`);
  return kind as TagKind;
}

/**
 * Returns a function mapping (name, kind) to a tag id, creating the tag when missing. The cache
 * lives only as long as the caller keeps the function (one transaction), never at module level.
 */
export function tagIdLookup(db: Db): (name: string, kind: TagKind) => number {
  const insert = db.prepare('INSERT INTO tags (name, kind) VALUES (?, ?) ON CONFLICT (name, kind) DO NOTHING');
  const select = db.prepare('SELECT id FROM tags WHERE name = ? AND kind = ?').pluck();
  const cache = new Map<string, number>();
  return (rawName, rawKind) => {
    const name = normalizeTagName(rawName);
    const kind = checkTagKind(rawKind);
    // Same folding as COLLATE NOCASE (ASCII only), so the cache agrees with the UNIQUE index.
    const key = `${kind}\u0000${name.replace(/[A-Z]/g, (c) => c.toLowerCase())}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    insert.run(name, kind);
    const id = select.get(name, kind) as number;
    cache.set(key, id);
    return id;
  };
}
