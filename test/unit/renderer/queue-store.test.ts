import { describe, expect, it } from 'vitest';
import type { AddFileResult } from '../../../renderer/src/lib/transport.js';
import { QueueStore, overallFraction } from '../../../renderer/src/stores/queue.svelte.js';
import { FakeClient } from './fake-client.js';

const file = (name: string) => new File(['x'], name, { type: 'video/mp4' });

describe('QueueStore', () => {
  it('turns a dropped file into its job and follows it to the end', async () => {
    const client = new FakeClient();
    let progress: ((f: number) => void) | undefined;
    client.addFile.mockImplementation(async (_f, opts) => {
      progress = opts?.onProgress;
      progress?.(0.5);
      return { ok: true, jobIds: [7] };
    });
    const q = new QueueStore(client);
    const adding = q.add([file('beach.mp4')]);
    expect(q.items[0]).toMatchObject({ name: 'beach.mp4', status: 'uploading' });
    await adding;
    expect(q.items).toHaveLength(1);
    expect(q.items[0]).toMatchObject({ key: 'j7', jobId: 7, status: 'pending', name: 'beach.mp4' });

    q.onProgress({ jobId: 7, path: '/lib/media/beach.mp4', stage: 'decode', fraction: 0.5 });
    expect(q.items[0]).toMatchObject({ status: 'running', stage: 'decode', name: 'beach.mp4' });
    expect(q.items[0]!.fraction).toBeCloseTo(overallFraction('decode', 0.5));
    expect(q.active).toHaveLength(1);
    q.onEnd({ jobId: 7, path: '/lib/media/beach.mp4', status: 'ok', clips: 4, mediaId: 1 });
    expect(q.items[0]).toMatchObject({ status: 'ok', fraction: 1, clips: 4 });
    // A late progress event does not reopen it.
    q.onProgress({ jobId: 7, path: '/lib/media/beach.mp4', stage: 'store', fraction: 0 });
    expect(q.items[0]!.status).toBe('ok');
    q.clearFinished();
    expect(q.items).toHaveLength(0);
  });

  it("keeps each failed file's reason", async () => {
    const client = new FakeClient();
    client.addFile.mockImplementation(async (f): Promise<AddFileResult> => (f.name === 'huge.mov' ? { ok: false, message: 'upload is over the limit' } : { ok: true, jobIds: [3] }));
    const q = new QueueStore(client);
    await q.add([file('notes.mp4'), file('huge.mov')]);
    q.onEnd({ jobId: 3, path: '/lib/media/notes.mp4', status: 'error', error: 'not a video: Invalid data found when processing input' });
    expect(q.failed.map((i) => [i.name, i.error])).toEqual([
      ['notes.mp4', 'not a video: Invalid data found when processing input'],
      ['huge.mov', 'upload is over the limit'],
    ]);
  });

  it('merges events that overtake the upload answer, and jobs from listJobs', async () => {
    const client = new FakeClient();
    const q = new QueueStore(client);
    client.addFile.mockImplementation(async () => {
      q.onProgress({ jobId: 9, path: '/lib/media/a.mp4', stage: 'hash', fraction: 0 });
      return { ok: true, jobIds: [9] };
    });
    await q.add([file('a.mp4')]);
    expect(q.items.map((i) => i.key)).toEqual(['j9']);

    client.handlers.listJobs = () => [
      { id: 9, path: '/lib/media/a.mp4', status: 'pending', error: null, mediaId: null, attempts: 0, createdAt: 0, updatedAt: 0, progress: null },
      { id: 4, path: '/v/old.mp4', status: 'done', error: null, mediaId: 1, attempts: 1, createdAt: 0, updatedAt: 0, progress: null },
      { id: 5, path: '/v/stopped.mp4', status: 'error', error: 'cancelled by the user', mediaId: null, attempts: 1, createdAt: 0, updatedAt: 0, progress: null },
    ];
    await q.load();
    // The running row is not set back to pending by an older list.
    expect(q.items.find((i) => i.jobId === 9)?.status).toBe('running');
    expect(q.items.find((i) => i.jobId === 4)).toMatchObject({ status: 'ok', name: 'old.mp4', fraction: 1 });
    expect(q.items.find((i) => i.jobId === 5)).toMatchObject({ status: 'cancelled' });
  });

  it('a folder becomes the jobs of its files', async () => {
    const client = new FakeClient();
    client.addFile.mockResolvedValue({ ok: true, jobIds: [1, 2] });
    client.handlers.listJobs = () => [1, 2].map((id) => ({ id, path: `/footage/${id}.mp4`, status: 'pending' as const, error: null, mediaId: null, attempts: 0, createdAt: 0, updatedAt: 0, progress: null }));
    const q = new QueueStore(client);
    await q.add([file('footage')]);
    expect(q.items.map((i) => i.name).sort()).toEqual(['1.mp4', '2.mp4']);
  });

  it('cancels jobs through the backend and uploads locally', async () => {
    const client = new FakeClient();
    let aborted = false;
    client.addFile.mockImplementation(
      (_f, opts) =>
        new Promise((resolve) =>
          opts?.signal?.addEventListener('abort', () => {
            aborted = true;
            resolve({ ok: false, message: 'upload cancelled' });
          }),
        ),
    );
    const q = new QueueStore(client);
    const adding = q.add([file('a.mp4'), file('b.mp4')]);
    await Promise.resolve();
    await q.cancel(q.items[1]!);
    await q.cancel(q.items[0]!);
    await adding;
    expect(aborted).toBe(true);
    expect(q.items.map((i) => i.status)).toEqual(['cancelled', 'cancelled']);
    expect(client.addFile).toHaveBeenCalledTimes(1);

    q.onProgress({ jobId: 12, path: '/x.mp4', stage: 'decode', fraction: 0.1 });
    await q.cancel(q.items.at(-1)!);
    expect(client.callsOf('cancelJob')).toEqual([{ jobId: 12 }]);
  });
});
