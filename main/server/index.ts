// Browser mode: the contract over HTTP on 127.0.0.1 (node:http, no framework).
//   POST /api/<method>   JSON body → Result JSON         GET /api/events   server-sent events
//   POST /api/upload?name=…   raw bytes → saved to <library>/media/ and ingested
//   GET  /media/video/<mediaId>, /media/thumb/<clipId>   (Range requests for video)
//   GET  /*   the built renderer (renderer/dist), or a 503 page saying it is not built
// Every request must carry the run's token (cookie set on first load, or a Bearer header) and a
// Host of 127.0.0.1:PORT / localhost:PORT; POSTs must come from that origin.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  API_PREFIX,
  EVENTS_PATH,
  LIMITS,
  MEDIA_HTTP_PREFIX,
  UPLOAD_PATH,
  parseMediaRoutePath,
  type ErrorCode,
  type Result,
  type UploadResult,
} from '../../shared/contract.js';
import { dispatch, err, toErrorInfo } from '../../shared/dispatch.js';
import { createBackend, type Backend, type BackendService } from '../worker/backend.js';
import { lookupMedia, type MediaLookupService } from '../worker/media-lookup.js';
import { contentTypeOf } from './content-type.js';
import { bearerToken, cookieValue, isAllowedHost, isAllowedOrigin, sameToken, tokenCookieName } from './guard.js';
import { mediaReply, type MediaReply } from './media-reply.js';
import { COMMON_HEADERS, contentSecurityPolicy } from './security-headers.js';
import { resolveStaticFile } from './static-files.js';
import { receiveUpload } from './upload.js';

export type ServerService = BackendService & MediaLookupService;

export interface ServerOptions {
  service: ServerService;
  /** 0 picks a free port. */
  port: number;
  /** Loopback only; 127.0.0.1 by default. */
  host?: string;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** Fixed token (tests); a random one per run otherwise. */
  token?: string;
  version?: string;
  /** Per upload; 16 GiB by default. */
  maxUploadBytes?: number;
  /** Run jobs left over from an earlier run (default true). */
  resume?: boolean;
}

export interface RunningServer {
  /** http://127.0.0.1:PORT/?token=… — what to open in a browser. */
  url: string;
  port: number;
  token: string;
  backend: Backend;
  /** Stops accepting, ends event streams, cancels the active ingest run (it resumes next time). */
  close(): Promise<void>;
}

const DEFAULT_MAX_UPLOAD = 16 * 1024 ** 3;
const MAX_EVENT_CLIENTS = 32;
const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unknown_method: 404,
  not_found: 404,
  forbidden: 403,
  too_large: 413,
  unavailable: 503,
  cancelled: 409,
  conflict: 409,
  internal: 500,
};

function page(title: string, body: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><meta charset="utf-8"><title>Reeltag — ${esc(title)}</title>` +
    `<body style="font:16px system-ui;max-width:40em;margin:4em auto;padding:0 1em"><h1>${esc(title)}</h1><p>${esc(body)}</p>`;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error(`browser mode listens on 127.0.0.1 only, not ${host}`);
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) throw new Error('token must be 16..128 characters of A-Z a-z 0-9 _ -');
  const maxUpload = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;
  const { service } = opts;
  const backend = createBackend(service, { transport: 'http', version: opts.version ?? '0.0.0', resume: opts.resume });
  const eventClients = new Set<http.ServerResponse>();
  let port = 0;

  const send = (res: http.ServerResponse, status: number, headers: Record<string, string>, body?: string | Uint8Array): void => {
    if (res.headersSent) {
      res.end();
      return;
    }
    res.writeHead(status, { ...COMMON_HEADERS, ...headers });
    res.end(body);
  };
  const sendJson = (res: http.ServerResponse, result: Result<unknown>, extra: Record<string, string> = {}): void =>
    send(res, result.ok ? 200 : STATUS[result.error.code], { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra }, JSON.stringify(result));
  const sendHtml = (res: http.ServerResponse, status: number, title: string, body: string): void =>
    send(res, status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" }, page(title, body));

  async function sendReply(res: http.ServerResponse, reply: MediaReply): Promise<void> {
    res.writeHead(reply.status, { ...COMMON_HEADERS, ...reply.headers });
    if (reply.body instanceof Readable) {
      // A player that seeks drops the connection mid-body: that is normal, not an error.
      await pipeline(reply.body, res).catch(() => reply.body instanceof Readable && reply.body.destroy());
    } else res.end(reply.body ?? undefined);
  }

  async function readJson(req: http.IncomingMessage): Promise<unknown> {
    const limit = LIMITS.requestBody;
    if (Number(req.headers['content-length'] ?? 0) > limit) throw Object.assign(new Error(`request body over ${limit} bytes`), { code: 'too_large' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw Object.assign(new Error(`request body over ${limit} bytes`), { code: 'too_large' });
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw Object.assign(new Error('request body is not JSON'), { code: 'invalid_input' });
    }
  }

  function openEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (eventClients.size >= MAX_EVENT_CLIENTS) return sendJson(res, err('unavailable', 'too many event streams open'));
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    eventClients.add(res);
    const unsubscribe = backend.subscribe(({ event, payload }) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    ping.unref();
    req.socket.setTimeout(0);
    req.on('close', () => {
      unsubscribe();
      clearInterval(ping);
      eventClients.delete(res);
    });
    // Written after subscribing: a client that has read this cannot miss a later event.
    res.write('retry: 2000\n\n');
  }

  async function upload(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const name = url.searchParams.get('name');
    if (!name || name.length > 1024) return sendJson(res, err('invalid_input', 'upload needs ?name=<file name> (at most 1024 characters)'));
    let file: string;
    try {
      file = await receiveUpload(req, { dir: path.join(service.libraryDir(), 'media'), name, maxBytes: maxUpload });
    } catch (e) {
      // The rest of an oversized body is not read: close the connection after answering.
      return sendJson(res, { ok: false, error: toErrorInfo(e) }, { connection: 'close' });
    }
    const started = await dispatch(backend.handlers, 'ingest', { paths: [file] });
    if (!started.ok) return sendJson(res, started);
    const value: UploadResult = { path: file, jobIds: (started.value as { jobIds: number[] }).jobIds };
    sendJson(res, { ok: true, value });
  }

  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }, 'method not allowed');
    const index = path.join(opts.rendererDir, 'index.html');
    if (!fs.existsSync(index)) {
      return sendHtml(res, 503, 'The Reeltag UI is not built yet',
        `There is no ${index}. Build the renderer (vite build in renderer/ writes renderer/dist), then reload. ` +
          `The API under ${API_PREFIX} works already.`);
    }
    let file = await resolveStaticFile(opts.rendererDir, url.pathname);
    // Client-side routes ("/clips/12") get the app; missing assets ("/x.js") a 404.
    if (!file && path.extname(url.pathname) === '') file = await resolveStaticFile(opts.rendererDir, '/index.html');
    if (!file) return send(res, 404, { 'content-type': 'text/plain' }, 'not found');
    const st = await fsp.stat(file);
    const headers: Record<string, string> = {
      'content-type': contentTypeOf(file),
      'content-length': String(st.size),
      'cache-control': file.endsWith('.html') ? 'no-cache' : 'max-age=3600',
    };
    if (file.endsWith('.html')) headers['content-security-policy'] = contentSecurityPolicy({ mediaSources: [] });
    res.writeHead(200, { ...COMMON_HEADERS, ...headers });
    if (req.method === 'HEAD') return void res.end();
    await pipeline(fs.createReadStream(file), res).catch(() => undefined);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) {
      return send(res, 421, { 'content-type': 'text/plain' }, `Reeltag answers only to 127.0.0.1:${port} or localhost:${port}`);
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const isApi = url.pathname.startsWith(API_PREFIX);

    // First load: ?token=… becomes an HttpOnly cookie and leaves the address bar.
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && req.method === 'GET' && !isApi) {
      if (!sameToken(queryToken, token)) return sendHtml(res, 401, 'Wrong token', 'This link is from another run of reeltag serve: open the one it printed last.');
      url.searchParams.delete('token');
      return send(res, 303, {
        location: url.pathname + url.search,
        'set-cookie': `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'cache-control': 'no-store',
      });
    }
    const given = bearerToken(req.headers.authorization) ?? cookieValue(req.headers.cookie, tokenCookieName(port));
    if (!sameToken(given, token)) {
      if (isApi || url.pathname.startsWith(MEDIA_HTTP_PREFIX)) return sendJson(res, err('forbidden', 'missing or wrong token'), { 'www-authenticate': 'Bearer' });
      return sendHtml(res, 401, 'Open Reeltag from its link', 'Open the address that `reeltag serve` printed: it carries the token for this run.');
    }
    if (req.method === 'POST') {
      const site = req.headers['sec-fetch-site'];
      if (!isAllowedOrigin(req.headers.origin, port) || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
        return sendJson(res, err('forbidden', 'cross-origin request refused'));
      }
    }

    if (url.pathname === EVENTS_PATH) {
      if (req.method !== 'GET') return send(res, 405, { allow: 'GET' });
      return openEvents(req, res);
    }
    if (url.pathname === UPLOAD_PATH) {
      if (req.method !== 'POST') return send(res, 405, { allow: 'POST' });
      return upload(req, res, url);
    }
    if (isApi) {
      if (req.method !== 'POST') return send(res, 405, { allow: 'POST', 'content-type': 'text/plain' }, 'use POST');
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
        return send(res, 415, { 'content-type': 'application/json' }, JSON.stringify(err('invalid_input', 'send Content-Type: application/json')));
      }
      let input: unknown;
      try {
        input = await readJson(req);
      } catch (e) {
        const code = (e as { code?: ErrorCode }).code ?? 'invalid_input';
        return sendJson(res, err(code, (e as Error).message), code === 'too_large' ? { connection: 'close' } : {});
      }
      return sendJson(res, await dispatch(backend.handlers, url.pathname.slice(API_PREFIX.length), input));
    }
    if (url.pathname.startsWith(MEDIA_HTTP_PREFIX)) {
      // The raw path: "%2e%2e" or "../" never turn into a route.
      const route = parseMediaRoutePath(url.pathname.slice(MEDIA_HTTP_PREFIX.length));
      const lookup = route ? lookupMedia(service, route) : ({ kind: 'missing' } as const);
      return sendReply(res, await mediaReply(lookup, { method: req.method ?? 'GET', range: req.headers.range }));
    }
    return serveStatic(req, res, url);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, { ok: false, error: toErrorInfo(e) });
      else res.destroy();
    });
  });
  // Uploads of big videos take longer than Node's default 5-minute request timeout.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    backend,
    async close() {
      for (const res of eventClients) res.end();
      eventClients.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await backend.close();
      await closed;
    },
  };
}
