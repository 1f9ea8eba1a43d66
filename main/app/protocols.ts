// Handlers for the app's two schemes, as plain (Request) => Response functions so they run and
// test without Electron: reeltag-app:// serves the built renderer, reeltag-media:// serves library
// videos (Range) and thumbnails by id.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { MEDIA_HOST, MEDIA_SCHEME, parseMediaRoutePath, type MediaRoute } from '../../shared/contract.js';
import { contentTypeOf } from '../server/content-type.js';
import { mediaReply, type MediaReply } from '../server/media-reply.js';
import { contentSecurityPolicy } from '../server/security-headers.js';
import { resolveStaticFile } from '../server/static-files.js';
import type { MediaLookup } from '../worker/protocol.js';
import { APP_HOST, APP_SCHEME } from './origins.js';

export const APP_CSP = contentSecurityPolicy({ mediaSources: [`${MEDIA_SCHEME}:`] });

function toResponse(reply: MediaReply): Response {
  const body = reply.body instanceof Readable ? (Readable.toWeb(reply.body) as ReadableStream<Uint8Array>) : reply.body;
  return new Response(body as ConstructorParameters<typeof Response>[0], { status: reply.status, headers: reply.headers });
}

function textResponse(status: number, message: string): Response {
  return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } });
}

/** The route of a reeltag-media:// URL, or null for anything that is not exactly one. */
export function mediaRouteOf(url: string): MediaRoute | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${MEDIA_SCHEME}:` || u.host !== MEDIA_HOST || u.search !== '') return null;
  return parseMediaRoutePath(u.pathname.slice(1));
}

export function createMediaProtocolHandler(lookup: (route: MediaRoute) => Promise<MediaLookup>): (request: Request) => Promise<Response> {
  return async (request) => {
    const route = mediaRouteOf(request.url);
    if (!route) return textResponse(404, 'not found');
    let found: MediaLookup;
    try {
      found = await lookup(route);
    } catch {
      return textResponse(503, 'the Reeltag worker is not running');
    }
    return toResponse(await mediaReply(found, { method: request.method, range: request.headers.get('range') }));
  };
}

export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    let u: URL;
    try {
      u = new URL(request.url);
    } catch {
      return textResponse(404, 'not found');
    }
    if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return textResponse(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'method not allowed');
    const index = path.join(rendererDir, 'index.html');
    if (!(await fsp.stat(index).catch(() => null))) {
      return new Response(
        `<!doctype html><meta charset="utf-8"><title>Reeltag</title><body style="font:16px system-ui;margin:4em">` +
          `<h1>The Reeltag UI is not built yet</h1><p>Build the renderer (vite build in renderer/ writes renderer/dist), then restart.</p>`,
        { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" } },
      );
    }
    let file = await resolveStaticFile(rendererDir, u.pathname);
    if (!file && path.extname(u.pathname) === '') file = await resolveStaticFile(rendererDir, '/index.html');
    if (!file) return textResponse(404, 'not found');
    const headers: Record<string, string> = { 'content-type': contentTypeOf(file), 'x-content-type-options': 'nosniff' };
    if (file.endsWith('.html')) headers['content-security-policy'] = APP_CSP;
    return new Response(request.method === 'HEAD' ? null : await fsp.readFile(file), { status: 200, headers });
  };
}
