// What every crash test asks of a library after a kill.
import { expect } from 'vitest';
import type { Library } from '../../../main/core/library/index.js';

/** SQLite's integrity and foreign-key checks pass, and the full-text index agrees with its content. */
export function expectIntact(l: Library, what: string): void {
  expect(l.db.pragma('integrity_check', { simple: true }), what).toBe('ok');
  expect(l.db.pragma('foreign_key_check'), what).toEqual([]);
  // Throws SQLITE_CORRUPT_VTAB when the full-text index disagrees with its own content.
  l.db.prepare(`INSERT INTO clip_search (clip_search) VALUES ('integrity-check')`).run();
}
