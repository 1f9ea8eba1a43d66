import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createWorkerClient, type WorkerChannel } from '../../../main/app/worker-client.js';
import type { FromWorker, ToWorker } from '../../../main/worker/protocol.js';

function fakeChannel() {
  const emitter = new EventEmitter();
  const sent: ToWorker[] = [];
  let killed = false;
  const channel = Object.assign(emitter, { postMessage: (m: ToWorker) => sent.push(m), kill: () => (killed = true) }) as unknown as WorkerChannel;
  return { channel, sent, reply: (m: FromWorker) => emitter.emit('message', m), exit: (code: number) => emitter.emit('exit', code), killed: () => killed };
}
const config = { libraryDir: '/lib', cacheDir: '/cache', version: '1', transport: 'electron' as const };

describe('createWorkerClient', () => {
  it('matches answers to calls by id, even out of order', async () => {
    const w = fakeChannel();
    const client = createWorkerClient(w.channel, config);
    expect(w.sent[0]).toEqual({ type: 'init', config });
    w.reply({ type: 'ready' });
    await client.ready;
    const a = client.call('listTags', {});
    const b = client.call('listMedia', {});
    const [, ca, cb] = w.sent as Array<{ id: number }>;
    w.reply({ type: 'result', id: cb!.id, result: { ok: true, value: 'b' } });
    w.reply({ type: 'result', id: ca!.id, result: { ok: true, value: 'a' } });
    expect(await a).toEqual({ ok: true, value: 'a' });
    expect(await b).toEqual({ ok: true, value: 'b' });
  });

  it('reports a worker that cannot start, and answers later calls with unavailable', async () => {
    const w = fakeChannel();
    const client = createWorkerClient(w.channel, config);
    const pending = client.call('appInfo', {});
    w.reply({ type: 'fatal', message: 'NODE_MODULE_VERSION 127 vs 140' });
    await expect(client.ready).rejects.toThrow(/NODE_MODULE_VERSION/);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await client.call('appInfo', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await client.media({ kind: 'video', mediaId: 1 })).toEqual({ kind: 'missing' });
  });

  it('closes politely, and kills a worker that does not stop', async () => {
    const w = fakeChannel();
    const client = createWorkerClient(w.channel, config);
    w.reply({ type: 'ready' });
    const closing = client.close(50);
    expect(w.sent.at(-1)).toEqual({ type: 'close' });
    w.exit(0);
    await closing;
    expect(w.killed()).toBe(false);

    const stuck = fakeChannel();
    const c2 = createWorkerClient(stuck.channel, config);
    stuck.reply({ type: 'ready' });
    await c2.close(20);
    expect(stuck.killed()).toBe(true);
  });
});
