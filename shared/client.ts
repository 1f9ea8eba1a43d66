// The renderer's side of the contract: one ReeltagClient interface, two transports. The renderer
// picks one at start-up (window.reeltag present → Electron IPC, else browser mode over HTTP) and
// never talks to a transport directly. Browser globals (fetch, EventSource) are passed in, so this
// file stays free of DOM types and runs under plain Node in tests.
import {
  API_PREFIX,
  EVENTS_PATH,
  MEDIA_HOST,
  MEDIA_HTTP_PREFIX,
  MEDIA_SCHEME,
  UPLOAD_PATH,
  mediaRoutePath,
  type EventName,
  type EventPayload,
  type MediaRoute,
  type MethodName,
  type ReeltagBridge,
  type RequestOf,
  type ResponseOf,
  type Result,
  type UploadResult,
} from './contract.js';

/** A dropped file: a DOM File in the renderer (only name and the object itself are used). */
export interface FileLike {
  readonly name: string;
  readonly size: number;
}

export interface AddFilesResult {
  jobIds: number[];
  /** Files that could not be added, with the reason (no path on disk, upload refused, …). */
  failed: { name: string; message: string }[];
}

export interface ReeltagClient {
  readonly transport: 'electron' | 'http';
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<Result<ResponseOf<M>>>;
  /** Returns a function that removes the listener. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** URL for <video src> / <img src>. */
  mediaUrl(route: MediaRoute): string;
  /** Dropped files: Electron ingests them where they are; browser mode uploads them first. */
  addFiles(files: readonly FileLike[]): Promise<AddFilesResult>;
}

/** Throws the error of a failed Result (for callers that prefer exceptions). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  const e = new Error(result.error.message) as Error & { code: string };
  e.code = result.error.code;
  throw e;
}

// ---- Electron ---------------------------------------------------------------------------------

export function createIpcClient(bridge: ReeltagBridge): ReeltagClient {
  const call = <M extends MethodName>(method: M, request: RequestOf<M>) =>
    bridge.invoke(method, request) as Promise<Result<ResponseOf<M>>>;
  return {
    transport: 'electron',
    call,
    on: (event, listener) => bridge.on(event, listener as (payload: unknown) => void),
    mediaUrl: (route) => `${MEDIA_SCHEME}://${MEDIA_HOST}/${mediaRoutePath(route)}`,
    async addFiles(files) {
      const failed: AddFilesResult['failed'] = [];
      const paths: string[] = [];
      for (const file of files) {
        const p = bridge.pathForFile(file);
        if (p) paths.push(p);
        else failed.push({ name: file.name, message: 'this file has no path on disk' });
      }
      if (paths.length === 0) return { jobIds: [], failed };
      const result = await call('ingest', { paths });
      if (!result.ok) return { jobIds: [], failed: [...failed, ...files.map((f) => ({ name: f.name, message: result.error.message }))] };
      return { jobIds: result.value.jobIds, failed };
    },
  };
}

// ---- browser mode -----------------------------------------------------------------------------

export interface FetchResponseLike {
  readonly status: number;
  json(): Promise<unknown>;
}
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown; credentials?: 'same-origin' },
) => Promise<FetchResponseLike>;

export interface EventSourceLike {
  addEventListener(type: string, listener: (e: { data: string }) => void): void;
  close(): void;
}
export type EventSourceCtor = new (url: string) => EventSourceLike;

export interface HttpClientOptions {
  fetch: FetchLike;
  EventSource: EventSourceCtor;
  /** '' (same origin, the default) or e.g. "http://127.0.0.1:5174". */
  baseUrl?: string;
}

async function readResult<T>(response: FetchResponseLike): Promise<Result<T>> {
  try {
    const body = (await response.json()) as Result<T>;
    if (body && typeof body === 'object' && typeof body.ok === 'boolean') return body;
  } catch {
    // fall through: not JSON (a proxy error page, a dropped connection)
  }
  return { ok: false, error: { code: response.status === 401 ? 'forbidden' : 'internal', message: `HTTP ${response.status}` } };
}

export function createHttpClient(opts: HttpClientOptions): ReeltagClient {
  const base = opts.baseUrl ?? '';
  let source: EventSourceLike | undefined;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const call = async <M extends MethodName>(method: M, request: RequestOf<M>): Promise<Result<ResponseOf<M>>> => {
    try {
      const response = await opts.fetch(`${base}${API_PREFIX}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        credentials: 'same-origin',
      });
      return await readResult<ResponseOf<M>>(response);
    } catch (e) {
      return { ok: false, error: { code: 'unavailable', message: `Reeltag is not reachable: ${(e as Error).message}` } };
    }
  };

  return {
    transport: 'http',
    call,
    on(event, listener) {
      source ??= new opts.EventSource(`${base}${EVENTS_PATH}`);
      let set = listeners.get(event);
      if (!set) {
        const fresh = new Set<(payload: unknown) => void>();
        listeners.set(event, fresh);
        set = fresh;
        source.addEventListener(event, (e) => {
          let payload: unknown;
          try {
            payload = JSON.parse(e.data);
          } catch {
            return;
          }
          for (const fn of fresh) fn(payload);
        });
      }
      const fn = listener as (payload: unknown) => void;
      set.add(fn);
      return () => {
        set.delete(fn);
      };
    },
    mediaUrl: (route) => `${base}${MEDIA_HTTP_PREFIX}${mediaRoutePath(route)}`,
    async addFiles(files) {
      const jobIds: number[] = [];
      const failed: AddFilesResult['failed'] = [];
      // One at a time: uploads share one disk and one link; parallel ones only interleave.
      for (const file of files) {
        try {
          const response = await opts.fetch(`${base}${UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`, {
            method: 'POST',
            headers: { 'content-type': 'application/octet-stream' },
            body: file,
            credentials: 'same-origin',
          });
          const result = await readResult<UploadResult>(response);
          if (result.ok) jobIds.push(...result.value.jobIds);
          else failed.push({ name: file.name, message: result.error.message });
        } catch (e) {
          failed.push({ name: file.name, message: (e as Error).message });
        }
      }
      return { jobIds, failed };
    },
  };
}
