// The pipeline worker entry (dist/main/worker/entry.js) in a worker_threads worker, the way the
// Electron main process drives it through a utilityProcess: init, calls, media look-ups, close.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FromWorker, ToWorker } from '../../../main/worker/protocol.js';
import { seededService, type Seeded } from '../../unit/server/helpers.js';

const entry = path.resolve(import.meta.dirname, '../../../dist/main/worker/entry.js');
let s: Seeded;
let worker: Worker;
const inbox: FromWorker[] = [];

const next = async (match: (m: FromWorker) => boolean): Promise<FromWorker> => {
  for (let i = 0; i < 500; i++) {
    const at = inbox.findIndex(match);
    if (at >= 0) return inbox.splice(at, 1)[0]!;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no answer from the worker');
};
const send = (m: ToWorker) => worker.postMessage(m);

beforeAll(async () => {
  if (!fs.existsSync(entry)) throw new Error('dist/main/worker/entry.js is missing: run `npx tsc -p tsconfig.build.json` (npm test builds first)');
  s = seededService();
  await s.service.close(); // the worker opens the library itself
  worker = new Worker(entry);
  worker.on('message', (m: FromWorker) => inbox.push(m));
  send({ type: 'init', config: { libraryDir: s.service.libraryDir(), cacheDir: path.join(s.dir, 'cache'), version: '4.5.6', transport: 'electron' } });
  await next((m) => m.type === 'ready');
});
afterAll(async () => {
  await worker?.terminate();
  await s?.cleanup();
});

describe('worker entry', () => {
  it('answers contract calls, validating them', async () => {
    send({ type: 'call', id: 1, method: 'listClips', request: { tag: 'dog' } });
    expect(await next((m) => m.type === 'result' && m.id === 1)).toMatchObject({ result: { ok: true, value: { total: 2 } } });
    send({ type: 'call', id: 2, method: 'appInfo', request: {} });
    expect(await next((m) => m.type === 'result' && m.id === 2)).toMatchObject({ result: { ok: true, value: { version: '4.5.6', transport: 'electron' } } });
    send({ type: 'call', id: 3, method: 'clipDetail', request: { clipId: 0 } });
    expect(await next((m) => m.type === 'result' && m.id === 3)).toMatchObject({ result: { ok: false, error: { code: 'invalid_input' } } });
    send({ type: 'call', id: 4, method: 'eval', request: {} });
    expect(await next((m) => m.type === 'result' && m.id === 4)).toMatchObject({ result: { ok: false, error: { code: 'unknown_method' } } });
  });

  it('streams events and resolves media ids to library files only', async () => {
    send({ type: 'call', id: 5, method: 'tagClips', request: { clipIds: [s.clipIds[0]], names: ['fav'] } });
    expect(await next((m) => m.type === 'event')).toMatchObject({ event: { event: 'libraryChanged', payload: { reason: 'tags' } } });
    send({ type: 'media', id: 6, route: { kind: 'video', mediaId: s.mediaId } });
    expect(await next((m) => m.type === 'media' && m.id === 6)).toEqual({ type: 'media', id: 6, lookup: { kind: 'file', path: s.videoPath } });
    send({ type: 'media', id: 7, route: { kind: 'thumb', clipId: s.clipIds[0]! } });
    const thumb = (await next((m) => m.type === 'media' && m.id === 7)) as { lookup: { kind: string; data: Uint8Array } };
    expect(Buffer.from(thumb.lookup.data)).toEqual(s.thumbnail);
    send({ type: 'media', id: 8, route: { kind: 'video', mediaId: 999 } });
    expect(await next((m) => m.type === 'media' && m.id === 8)).toMatchObject({ lookup: { kind: 'missing' } });
  });

  it('closes the library and stops on request', async () => {
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    send({ type: 'close' });
    expect(await next((m) => m.type === 'closed')).toEqual({ type: 'closed' });
    expect(await exited).toBe(0);
  });
});

describe('worker entry with a broken library', () => {
  it('reports fatal instead of crashing', async () => {
    const bad = path.join(s.dir, 'not-a-library');
    fs.mkdirSync(bad, { recursive: true });
    fs.writeFileSync(path.join(bad, 'library.sqlite'), 'this is not sqlite');
    const w = new Worker(entry);
    const message = new Promise<FromWorker>((resolve) => w.once('message', resolve));
    w.postMessage({ type: 'init', config: { libraryDir: bad, cacheDir: bad, version: '0', transport: 'electron' } } satisfies ToWorker);
    expect(await message).toMatchObject({ type: 'fatal', message: expect.stringMatching(/not a database|not a Reeltag library/) });
    w.postMessage({ type: 'call', id: 1, method: 'appInfo', request: {} } satisfies ToWorker);
    const answer = await new Promise<FromWorker>((resolve) => w.once('message', resolve));
    expect(answer).toMatchObject({ type: 'result', result: { ok: false, error: { code: 'unavailable' } } });
    await w.terminate();
  });
});
