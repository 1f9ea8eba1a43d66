// Picks how the UI talks to the core: Electron IPC when the preload exposed window.reeltag,
// else browser mode over HTTP (same origin as the page). Both are the ReeltagClient of
// shared/client.ts, typed from shared/contract.ts; this adds one thing the shared client cannot
// give: upload progress (fetch has none), through XMLHttpRequest in browser mode.
import { createHttpClient, createIpcClient, type EventSourceCtor, type FetchLike, type ReeltagClient } from '../../../shared/client.js';
import { UPLOAD_PATH, type ReeltagBridge, type Result, type UploadResult } from '../../../shared/contract.js';

/** What adding one dropped file (or, in Electron, folder) came to. */
export type AddFileResult = { ok: true; jobIds: number[] } | { ok: false; message: string };

export interface AddFileOptions {
  /** 0..1 of the bytes sent (browser mode only; Electron reads files in place). */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export interface Transport extends ReeltagClient {
  addFile(file: File, opts?: AddFileOptions): Promise<AddFileResult>;
}

/** The parts of `window` this module reads (a plain object in tests). */
export interface TransportHost {
  reeltag?: unknown;
  fetch?: FetchLike;
  EventSource?: EventSourceCtor;
  XMLHttpRequest?: typeof XMLHttpRequest;
}

function isBridge(value: unknown): value is ReeltagBridge {
  const b = value as Partial<ReeltagBridge> | undefined;
  return !!b && b.transport === 'electron' && typeof b.invoke === 'function' && typeof b.on === 'function';
}

export function createTransport(host: TransportHost): Transport {
  if (isBridge(host.reeltag)) {
    const client = createIpcClient(host.reeltag);
    return {
      ...client,
      async addFile(file) {
        const r = await client.addFiles([file]);
        const failed = r.failed[0];
        return failed && r.jobIds.length === 0 ? { ok: false, message: failed.message } : { ok: true, jobIds: r.jobIds };
      },
    };
  }
  if (!host.fetch || !host.EventSource) throw new Error('Reeltag needs fetch and EventSource in browser mode');
  const fetchFn = host.fetch;
  const client = createHttpClient({ fetch: (url, init) => fetchFn(url, init), EventSource: host.EventSource });
  const Xhr = host.XMLHttpRequest;
  return {
    ...client,
    async addFile(file, opts = {}) {
      if (!Xhr) {
        const r = await client.addFiles([file]);
        return r.failed[0] ? { ok: false, message: r.failed[0].message } : { ok: true, jobIds: r.jobIds };
      }
      return uploadWithProgress(Xhr, file, opts);
    },
  };
}

function uploadWithProgress(Xhr: typeof XMLHttpRequest, file: File, opts: AddFileOptions): Promise<AddFileResult> {
  return new Promise((resolve) => {
    const xhr = new Xhr();
    const onAbort = () => xhr.abort();
    const done = (r: AddFileResult) => {
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    xhr.open('POST', `${UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: Result<UploadResult> | undefined;
      try {
        body = JSON.parse(xhr.responseText) as Result<UploadResult>;
      } catch {
        // not JSON: say the status below
      }
      if (body?.ok) done({ ok: true, jobIds: body.value.jobIds });
      else done({ ok: false, message: body && !body.ok ? body.error.message : `upload failed (HTTP ${xhr.status})` });
    };
    xhr.onerror = () => done({ ok: false, message: 'upload failed: Reeltag is not reachable' });
    xhr.onabort = () => done({ ok: false, message: 'upload cancelled' });
    if (opts.signal?.aborted) return done({ ok: false, message: 'upload cancelled' });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(file);
  });
}
