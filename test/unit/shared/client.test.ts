import { describe, expect, it, vi } from 'vitest';
import { createHttpClient, createIpcClient, type EventSourceLike, type FetchLike } from '../../../shared/client.js';
import type { ReeltagBridge, Result } from '../../../shared/contract.js';

describe('http client', () => {
  it('POSTs JSON to /api/<method>, reads Results, uploads files one by one, and fans events out', async () => {
    const calls: { url: string; init: Parameters<FetchLike>[1] }[] = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push({ url, init });
      if (url.startsWith('/api/upload')) return { status: 200, json: async () => ({ ok: true, value: { path: '/lib/media/a.mp4', jobIds: [7] } }) };
      if (url === '/api/listTags') return { status: 200, json: async () => ({ ok: true, value: [] }) };
      return { status: 502, json: async () => Promise.reject(new Error('not json')) };
    };
    const sources: FakeSource[] = [];
    class FakeSource implements EventSourceLike {
      handlers = new Map<string, (e: { data: string }) => void>();
      constructor(readonly url: string) {
        sources.push(this);
      }
      addEventListener(type: string, fn: (e: { data: string }) => void) {
        this.handlers.set(type, fn);
      }
      close() {}
    }
    const client = createHttpClient({ fetch, EventSource: FakeSource });
    expect(await client.call('listTags', {})).toEqual({ ok: true, value: [] });
    expect(calls[0]).toMatchObject({ url: '/api/listTags', init: { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } } });
    expect(await client.call('appInfo', {})).toEqual({ ok: false, error: { code: 'internal', message: 'HTTP 502' } });

    const file = { name: 'a b.mp4', size: 3 };
    expect(await client.addFiles([file])).toEqual({ jobIds: [7], failed: [] });
    expect(calls.at(-1)).toMatchObject({ url: '/api/upload?name=a%20b.mp4', init: { body: file } });

    const seen: unknown[] = [];
    const off = client.on('jobEnd', (p) => seen.push(p));
    client.on('jobEnd', () => seen.push('second'));
    expect(sources).toHaveLength(1);
    expect(sources[0]!.url).toBe('/api/events');
    sources[0]!.handlers.get('jobEnd')!({ data: '{"jobId":1}' });
    off();
    sources[0]!.handlers.get('jobEnd')!({ data: '{"jobId":2}' });
    expect(seen).toEqual([{ jobId: 1 }, 'second', 'second']);
    expect(client.mediaUrl({ kind: 'video', mediaId: 4 })).toBe('/media/video/4');
  });
});

describe('ipc client', () => {
  it('invokes through the bridge and ingests dropped files in place', async () => {
    const invoke = vi.fn(async (method: string, request: unknown): Promise<Result<unknown>> => ({ ok: true, value: method === 'ingest' ? { files: (request as { paths: string[] }).paths, jobIds: [1] } : null }));
    const bridge: ReeltagBridge = { transport: 'electron', invoke, on: () => () => undefined, pathForFile: (f) => ((f as { name: string }).name === 'virtual' ? '' : `/videos/${(f as { name: string }).name}`) };
    const client = createIpcClient(bridge);
    const result = await client.addFiles([{ name: 'a.mp4', size: 1 }, { name: 'virtual', size: 1 }]);
    expect(invoke).toHaveBeenCalledWith('ingest', { paths: ['/videos/a.mp4'] });
    expect(result).toEqual({ jobIds: [1], failed: [{ name: 'virtual', message: 'this file has no path on disk' }] });
    expect(client.mediaUrl({ kind: 'thumb', clipId: 9 })).toBe('reeltag-media://library/thumb/9');
  });
});
