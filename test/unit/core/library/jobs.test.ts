import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLibrary, type Library } from '../../../../main/core/library/db.js';
import * as jobs from '../../../../main/core/library/jobs.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
let lib: Library;
beforeEach(() => {
  const t = tempDir();
  [dir, cleanup] = [path.join(t.dir, 'lib'), t.cleanup];
  let now = 100;
  lib = openLibrary(dir, { now: () => now++ });
});
afterEach(() => {
  lib.close();
  cleanup();
});

describe('jobs', () => {
  it('enqueues in order and skips paths that already have a live job', () => {
    const ids = jobs.enqueue(lib, ['/a.mp4', '/b.mp4', '/a.mp4']);
    expect(ids).toHaveLength(2);
    expect(jobs.enqueue(lib, ['/b.mp4', '/c.mp4'])).toEqual([ids[1]! + 1]);
    expect(jobs.list(lib).map((j) => [j.path, j.status, j.attempts])).toEqual([
      ['/a.mp4', 'pending', 0], ['/b.mp4', 'pending', 0], ['/c.mp4', 'pending', 0],
    ]);
    // Once done, the same path may be queued again.
    const claim = jobs.claimNext(lib)!;
    jobs.finish(lib, claim.id, { mediaId: null });
    expect(jobs.enqueue(lib, ['/a.mp4'])).toHaveLength(1);
    expect(() => jobs.enqueue(lib, [''])).toThrow(/empty path/);
  });

  it('claims oldest first, once, counting attempts; finish and fail settle a job', () => {
    lib.jobs.enqueue(['/a.mp4', '/b.mp4', '/c.mp4']);
    const a = lib.jobs.claimNext()!;
    const b = lib.jobs.claimNext()!;
    expect([a.path, a.attempts, b.path]).toEqual(['/a.mp4', 1, '/b.mp4']);
    const mediaId = lib.markMediaError({ path: '/a.mp4', fileName: 'a.mp4', sizeBytes: 0, mtimeMs: 0, contentHash: null, error: 'empty' });
    lib.jobs.finish(a.id, { mediaId });
    lib.jobs.fail(b.id, 'decode failed');
    expect(lib.jobs.counts()).toEqual({ pending: 1, running: 0, done: 1, error: 1 });
    expect(lib.jobs.list({ status: 'done' })).toMatchObject([{ id: a.id, mediaId, error: null }]);
    expect(lib.jobs.list({ status: 'error' })).toMatchObject([{ id: b.id, error: 'decode failed', attempts: 1 }]);
    const [job] = lib.jobs.list({ status: 'error' });
    expect(job!.updatedAt).toBeGreaterThan(job!.createdAt);
    expect(() => lib.jobs.finish(999, { mediaId: null })).toThrow(/no job with id 999/);
    lib.jobs.claimNext();
    expect(lib.jobs.claimNext()).toBeUndefined();
  });

  it('survive close and reopen; resetInterrupted puts running jobs back', () => {
    lib.jobs.enqueue(['/a.mp4', '/b.mp4', '/c.mp4']);
    const a = lib.jobs.claimNext()!;
    lib.jobs.claimNext();
    lib.jobs.finish(a.id, { mediaId: null });
    lib.close(); // "crash" with /b.mp4 running

    lib = openLibrary(dir);
    expect(lib.jobs.counts()).toEqual({ pending: 1, running: 1, done: 1, error: 0 });
    expect(lib.jobs.resetInterrupted()).toBe(1);
    expect(lib.jobs.counts()).toEqual({ pending: 2, running: 0, done: 1, error: 0 });
    const again = lib.jobs.claimNext()!;
    expect([again.path, again.attempts]).toEqual(['/b.mp4', 2]);
  });
});
