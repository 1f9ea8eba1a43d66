// The contract's handlers and the ingest runner on a real (temp) library. The runner tests swap
// service.ingest for a stand-in that walks the real job queue, so no ffmpeg or model runs here.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueEvent } from '../../../main/core/jobs/queue.js';
import { CANCELLED, createBackend, type Backend } from '../../../main/worker/backend.js';
import type { AnyEvent } from '../../../shared/contract.js';
import { dispatch } from '../../../shared/dispatch.js';
import { seededService, type Seeded } from './helpers.js';

let s: Seeded;
let backend: Backend;
let events: AnyEvent[];

beforeEach(() => {
  s = seededService();
  backend = createBackend(s.service, { transport: 'http', version: '9.9.9' });
  events = [];
  backend.subscribe((e) => events.push(e));
});
afterEach(async () => {
  await backend.close();
  await s.cleanup();
});

const call = async (method: string, request: unknown) => dispatch(backend.handlers, method, request);
const value = async <T = never>(method: string, request: unknown): Promise<T> => {
  const r = await call(method, request);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};

describe('reading', () => {
  it('appInfo says where the library is, without starting inference', async () => {
    expect(await value('appInfo', {})).toEqual({ name: 'Reeltag', version: '9.9.9', libraryDir: s.service.libraryDir(), transport: 'http', backend: null, platform: process.platform });
  });

  it('listClips pages, filters and searches, with the total', async () => {
    type Page = { clips: { id: number; mediaId: number }[]; total: number; limit: number; offset: number };
    const all = await value<Page>('listClips', {});
    expect(all).toMatchObject({ total: 4, limit: 100, offset: 0 });
    const page = await value<Page>('listClips', { limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.clips.map((c) => c.id)).toEqual(all.clips.slice(1, 3).map((c) => c.id));
    expect((await value<Page>('listClips', { tag: 'DOG' })).total).toBe(2);
    expect((await value<Page>('listClips', { kind: 'attribute' })).total).toBe(1);
    expect((await value<Page>('listClips', { mediaId: s.otherMediaId })).clips.map((c) => c.id)).toEqual(s.otherClipIds);
    expect((await value<Page>('listClips', { query: 'dog' })).total).toBe(2);
    expect((await value<Page>('listClips', { query: 'beach' })).total).toBe(3);
    expect((await value<Page>('listClips', { query: 'beach', tag: 'person' })).total).toBe(1);
    expect((await value<Page>('listClips', { query: 'car', mediaId: s.mediaId })).total).toBe(0);
  });

  it('listMedia, listTags', async () => {
    const media = await value<{ id: number; status: string; fileName: string }[]>('listMedia', {});
    expect(media.map((m) => m.fileName)).toEqual(['beach day.mp4', 'city night.mp4']);
    expect(Object.keys(media[0]!).sort()).toEqual(['addedAt', 'contentHash', 'error', 'fileName', 'id', 'info', 'path', 'sizeBytes', 'status']);
    expect(await value('listTags', { kind: 'object' })).toEqual([
      { name: 'car', kind: 'object', clips: 1 },
      { name: 'dog', kind: 'object', clips: 2 },
      { name: 'person', kind: 'object', clips: 1 },
    ]);
  });

  it('clipDetail gives the timeline and where each tag occurs', async () => {
    const d = await value<{ clip: { id: number }; media: { id: number }; timeline: { id: number }[]; occurrences: { name: string; spans: { clipId: number; start: number; end: number }[] }[] }>(
      'clipDetail',
      { clipId: s.clipIds[0] },
    );
    expect(d.clip.id).toBe(s.clipIds[0]);
    expect(d.media.id).toBe(s.mediaId);
    expect(d.timeline.map((c) => c.id)).toEqual(s.clipIds);
    const dog = d.occurrences.find((o) => o.name === 'dog')!;
    expect(dog.spans.map((x) => [x.clipId, x.start, x.end])).toEqual([[s.clipIds[0], 0, 2], [s.clipIds[2], 4, 6]]);
    expect(await call('clipDetail', { clipId: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('tag edits', () => {
  type Edit = { clips: { id: number; tags: { name: string; kind: string; source: string; confidence: number }[] }[] };

  it('adds, removes and renames user tags, and says the library changed', async () => {
    const added = await value<Edit>('tagClips', { clipIds: [s.clipIds[1], s.clipIds[0]], names: ['Keeper'] });
    expect(added.clips.map((c) => c.id)).toEqual([s.clipIds[1], s.clipIds[0]]);
    for (const c of added.clips) expect(c.tags).toContainEqual({ name: 'Keeper', kind: 'custom', source: 'user', confidence: 1 });
    expect(events.at(-1)).toEqual({ event: 'libraryChanged', payload: { reason: 'tags', mediaIds: [s.mediaId], clipIds: [s.clipIds[1], s.clipIds[0]] } });

    const removed = await value<Edit>('untagClips', { clipIds: [s.clipIds[0]], names: ['dog'] });
    expect(removed.clips[0]!.tags.map((t) => t.name)).not.toContain('dog');
    expect((await value<{ total: number }>('listClips', { tag: 'dog' })).total).toBe(1);

    const renamed = await value<Edit>('renameTag', { clipIds: s.clipIds, from: 'person', to: 'human' });
    expect(renamed.clips[1]!.tags).toContainEqual({ name: 'human', kind: 'object', source: 'user', confidence: 1 });
    expect(renamed.clips[1]!.tags.map((t) => t.name)).not.toContain('person');
    // Clips without "person" are left alone.
    expect(renamed.clips[2]!.tags.map((t) => t.name)).toEqual(['dog']);
  });

  it('is all or nothing when a clip does not exist', async () => {
    expect(await call('tagClips', { clipIds: [s.clipIds[0], 4242], names: ['x'] })).toMatchObject({ ok: false, error: { code: 'not_found', message: 'no clip with id 4242' } });
    expect((await value<{ total: number }>('listClips', { tag: 'x' })).total).toBe(0);
  });
});

describe('the ingest runner', () => {
  /** Walks the real queue like runQueue; each job waits for `release` (or the abort). */
  function stubIngest(outcome: (path: string) => 'ok' | 'error' = () => 'ok') {
    const gates: Array<() => void> = [];
    const lib = s.service.lib();
    s.service.ingest = async (_inputs, opts = {}) => {
      lib.jobs.resetInterrupted();
      for (;;) {
        opts.signal?.throwIfAborted();
        const job = lib.jobs.claimNext();
        if (!job) return [];
        const emit = (e: QueueEvent) => opts.onEvent?.(e);
        emit({ type: 'job-start', jobId: job.id, path: job.path, index: 0, total: 1 });
        emit({ type: 'job-progress', jobId: job.id, path: job.path, progress: { stage: 'decode', fraction: 0.5 } });
        await new Promise<void>((resolve, reject) => {
          gates.push(resolve);
          opts.signal?.addEventListener('abort', () => reject(opts.signal!.reason), { once: true });
        });
        if (outcome(job.path) === 'ok') {
          lib.jobs.finish(job.id, { mediaId: null });
          emit({ type: 'job-end', jobId: job.id, path: job.path, result: { path: job.path, status: 'ok', clips: 3, mediaId: s.mediaId, transitions: [], timings: { totalMs: 0, decodeMs: 0, featureMs: 0, cnnTailMs: 0, shotsMs: 0, customTagsMs: 0, storeMs: 0 } } });
        } else {
          lib.jobs.fail(job.id, 'boom');
          emit({ type: 'job-end', jobId: job.id, path: job.path, result: { path: job.path, status: 'error', error: 'boom' } });
        }
      }
    };
    const release = async () => {
      while (gates.length === 0) await new Promise((r) => setTimeout(r, 5));
      gates.shift()!();
    };
    return { release };
  }
  const waitFor = async (check: () => boolean) => {
    for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(check()).toBe(true);
  };
  const ends = () => events.filter((e) => e.event === 'jobEnd').map((e) => e.payload);

  it('runs queued files one at a time and reports progress and the end', async () => {
    const { release } = stubIngest((p) => (p.endsWith('b.mp4') ? 'error' : 'ok'));
    const started = await value<{ files: string[]; jobIds: number[] }>('ingest', { paths: ['/nowhere/a.mp4', '/nowhere/b.mp4'] });
    expect(started.files).toEqual(['/nowhere/a.mp4', '/nowhere/b.mp4']);
    expect(started.jobIds).toHaveLength(2);
    await waitFor(() => events.some((e) => e.event === 'jobProgress' && e.payload.stage === 'decode'));
    const jobs = await value<{ id: number; status: string; progress: unknown }[]>('listJobs', {});
    expect(jobs.map((j) => [j.status, j.progress])).toEqual([['running', { stage: 'decode', fraction: 0.5 }], ['pending', null]]);
    await release();
    await release();
    await backend.idle();
    expect(ends()).toEqual([
      { jobId: started.jobIds[0], path: '/nowhere/a.mp4', status: 'ok', clips: 3, mediaId: s.mediaId },
      { jobId: started.jobIds[1], path: '/nowhere/b.mp4', status: 'error', error: 'boom' },
    ]);
    expect(events.filter((e) => e.event === 'libraryChanged').map((e) => e.payload.reason)).toEqual(['ingest', 'ingest']);
  });

  it('cancels a pending job, then the running one, and nothing else', async () => {
    stubIngest();
    const { jobIds } = await value<{ jobIds: number[] }>('ingest', { paths: ['/n/a.mp4', '/n/b.mp4', '/n/c.mp4'] });
    const [a, b, c] = jobIds as [number, number, number];
    await waitFor(() => events.some((e) => e.event === 'jobProgress' && e.payload.jobId === a));
    expect(await value('cancelJob', { jobId: b })).toEqual({ cancelled: true });
    expect(ends()).toEqual([{ jobId: b, path: '/n/b.mp4', status: 'cancelled', error: CANCELLED }]);
    expect(await value('cancelJob', { jobId: a })).toEqual({ cancelled: true });
    await waitFor(() => ends().length === 2);
    expect(ends()[1]).toEqual({ jobId: a, path: '/n/a.mp4', status: 'cancelled', error: CANCELLED });
    // c goes on running after the cancel.
    await waitFor(() => events.some((e) => e.event === 'jobProgress' && e.payload.jobId === c));
    expect(await value('cancelAllJobs', {})).toEqual({ cancelled: 1 });
    await backend.idle();
    const jobs = await value<{ id: number; status: string; error: string }[]>('listJobs', {});
    expect(jobs.map((j) => [j.status, j.error])).toEqual([['error', CANCELLED], ['error', CANCELLED], ['error', CANCELLED]]);
    expect(await value('cancelJob', { jobId: a })).toEqual({ cancelled: false });
    expect(await call('cancelJob', { jobId: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('fails every queued job once, with the reason, when a run cannot start', async () => {
    s.service.ingest = async () => {
      throw new Error('ffmpeg not found: install it');
    };
    await value('ingest', { paths: ['/n/a.mp4', '/n/b.mp4'] });
    await backend.idle();
    expect(ends().map((e) => [e.status, e.error])).toEqual([['error', 'ffmpeg not found: install it'], ['error', 'ffmpeg not found: install it']]);
    expect((await value<{ status: string }[]>('listJobs', { status: 'pending' })).length).toBe(0);
  });
});

describe('custom tags and more like this', () => {
  it('refuses to train a tag with fewer than 5 examples, clearly, and knows no model for it', async () => {
    await value('tagClips', { clipIds: s.clipIds, names: ['goal'] });
    const r = await call('trainTag', { name: 'goal' });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/has 3 example clip\(s\); tag at least 5/) } });
    expect(events.filter((e) => e.event === 'trainEnd')).toEqual([{ event: 'trainEnd', payload: { name: 'goal', status: 'error', error: expect.stringMatching(/tag at least 5/) } }]);
    expect(await call('setTagThreshold', { name: 'goal', threshold: 0.4 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('reviewTag', { name: 'goal' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await value('listTagModels', {})).toEqual([]);
    expect(await value('forgetTag', { name: 'goal' })).toEqual({ forgotten: false });
    expect((await call('setTagThreshold', { name: 'goal', threshold: 2 })).ok).toBe(false); // validated: 0..1
  });

  it('runs one training at a time, reports progress, and cancels it', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    s.service.trainTag = (name, opts = {}) =>
      new Promise((_resolve, reject) => {
        opts.onProgress?.('cross-validate', 0.3);
        started();
        opts.signal?.addEventListener('abort', () => reject(opts.signal!.reason as Error));
      });
    expect(await value('trainingStatus', {})).toBeNull();
    const training = call('trainTag', { name: 'goal' });
    await running;
    // A window that opens now learns what runs, as far as the last progress event said.
    expect(await value('trainingStatus', {})).toEqual({ name: 'goal', phase: 'cross-validate', fraction: 0.3 });
    expect(await call('trainTag', { name: 'other' })).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/already training "goal"/) } });
    expect(await value('cancelTraining', {})).toEqual({ cancelled: true });
    expect(await training).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await value('cancelTraining', {})).toEqual({ cancelled: false });
    expect(await value('trainingStatus', {})).toBeNull();
    expect(events).toContainEqual({ event: 'trainProgress', payload: { name: 'goal', phase: 'cross-validate', fraction: 0.3 } });
    expect(events).toContainEqual({ event: 'trainEnd', payload: { name: 'goal', status: 'cancelled', error: expect.stringMatching(/cancelled/) } });
  });

  it('similarClips: not_found for an unknown clip, nothing for a clip without an embedding', async () => {
    expect(await call('similarClips', { clipId: 99999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await value('similarClips', { clipId: s.clipIds[0] })).toEqual([]);
  });
});
