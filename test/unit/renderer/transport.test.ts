import { describe, expect, it, vi } from 'vitest';
import type { EventSourceLike, FetchLike } from '../../../shared/client.js';
import type { ReeltagBridge, Result } from '../../../shared/contract.js';
import { createTransport } from '../../../renderer/src/lib/transport.js';

class NoEvents implements EventSourceLike {
  addEventListener() {}
  close() {}
}

describe('createTransport', () => {
  it('uses the preload bridge in Electron: calls, events, and dropped files by path', async () => {
    const invoke = vi.fn(async (method: string, request: unknown): Promise<Result<unknown>> =>
      method === 'ingest' ? { ok: true, value: { files: (request as { paths: string[] }).paths, jobIds: [4] } } : { ok: true, value: [] },
    );
    const on = vi.fn(() => () => undefined);
    const bridge: ReeltagBridge = { transport: 'electron', invoke, on, pathForFile: (f) => ((f as File).name === 'clip.mov' ? '/home/me/clip.mov' : '') };
    const t = createTransport({ reeltag: bridge });
    expect(t.transport).toBe('electron');
    expect(await t.call('listTags', {})).toEqual({ ok: true, value: [] });
    t.on('jobEnd', () => undefined);
    expect(on).toHaveBeenCalledWith('jobEnd', expect.any(Function));
    expect(await t.addFile(new File(['x'], 'clip.mov'))).toEqual({ ok: true, jobIds: [4] });
    expect(invoke).toHaveBeenLastCalledWith('ingest', { paths: ['/home/me/clip.mov'] });
    expect(await t.addFile(new File(['x'], 'pasted.png'))).toEqual({ ok: false, message: 'this file has no path on disk' });
    expect(t.mediaUrl({ kind: 'video', mediaId: 3 })).toBe('reeltag-media://library/video/3');
  });

  it('speaks HTTP in browser mode and uploads with progress', async () => {
    const fetch: FetchLike = vi.fn(async () => ({ status: 200, json: async () => ({ ok: true, value: [] }) }));
    const sent: { url: string; body: unknown; headers: Record<string, string> }[] = [];
    class FakeXhr {
      upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
      onload: (() => void) | null = null;
      onerror: (() => void) | null = null;
      onabort: (() => void) | null = null;
      status = 0;
      responseText = '';
      url = '';
      headers: Record<string, string> = {};
      open(_m: string, url: string) {
        this.url = url;
      }
      setRequestHeader(k: string, v: string) {
        this.headers[k] = v;
      }
      abort() {
        this.onabort?.();
      }
      send(body: unknown) {
        sent.push({ url: this.url, body, headers: this.headers });
        this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
        this.status = this.url.includes('bad') ? 400 : 200;
        this.responseText = this.url.includes('bad')
          ? JSON.stringify({ ok: false, error: { code: 'invalid_input', message: 'upload was cut short' } })
          : JSON.stringify({ ok: true, value: { path: '/lib/media/a b.mp4', jobIds: [8] } });
        this.onload?.();
      }
    }
    const t = createTransport({ fetch, EventSource: NoEvents, XMLHttpRequest: FakeXhr as unknown as typeof XMLHttpRequest });
    expect(t.transport).toBe('http');
    expect(await t.call('listMedia', {})).toEqual({ ok: true, value: [] });
    expect(fetch).toHaveBeenCalledWith('/api/listMedia', expect.objectContaining({ method: 'POST', body: '{}' }));

    const progress: number[] = [];
    const file = new File(['xx'], 'a b.mp4');
    expect(await t.addFile(file, { onProgress: (f) => progress.push(f) })).toEqual({ ok: true, jobIds: [8] });
    expect(sent[0]).toMatchObject({ url: '/api/upload?name=a%20b.mp4', body: file, headers: { 'content-type': 'application/octet-stream' } });
    expect(progress).toEqual([0.5]);
    expect(await t.addFile(new File(['x'], 'bad.mp4'))).toEqual({ ok: false, message: 'upload was cut short' });
    const cancelled = new AbortController();
    cancelled.abort();
    expect(await t.addFile(file, { signal: cancelled.signal })).toEqual({ ok: false, message: 'upload cancelled' });
    expect(t.mediaUrl({ kind: 'thumb', clipId: 2 })).toBe('/media/thumb/2');
  });

  it('refuses to start without fetch and EventSource', () => {
    expect(() => createTransport({})).toThrow(/fetch and EventSource/);
  });
});
