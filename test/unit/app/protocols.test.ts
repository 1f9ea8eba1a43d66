// The media protocol (reeltag-media://) against a real temp library, and the app protocol.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, createMediaProtocolHandler, mediaRouteOf } from '../../../main/app/protocols.js';
import { lookupMedia } from '../../../main/worker/media-lookup.js';
import { seededService, VIDEO_BYTES, type Seeded } from '../server/helpers.js';

let s: Seeded;
let handler: (r: Request) => Promise<Response>;
let linkMediaId: number;
let dirMediaId: number;
const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => handler(new Request(url, { method, headers }));

beforeAll(() => {
  s = seededService();
  // A media row whose file was replaced by a symlink to a file outside the library's media.
  const secret = path.join(s.dir, 'secret.txt');
  fs.writeFileSync(secret, 'secret');
  const link = path.join(s.dir, 'videos', 'link.mp4');
  fs.symlinkSync(secret, link);
  const lib = s.service.lib();
  const hash = (c: string) => c.repeat(64);
  linkMediaId = lib.markMediaError({ path: link, fileName: 'link.mp4', sizeBytes: 6, mtimeMs: 0, contentHash: hash('a'), error: 'x' });
  dirMediaId = lib.markMediaError({ path: path.join(s.dir, 'videos'), fileName: 'videos', sizeBytes: 0, mtimeMs: 0, contentHash: hash('b'), error: 'x' });
  handler = createMediaProtocolHandler(async (route) => lookupMedia(s.service, route));
});
afterAll(() => s.cleanup());

describe('reeltag-media://', () => {
  it('serves a library video whole and in ranges (206) so the player can seek', async () => {
    const url = `reeltag-media://library/video/${s.mediaId}`;
    const full = await get(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('video/mp4');
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await full.arrayBuffer())).toEqual(VIDEO_BYTES);

    const part = await get(url, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(part.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(VIDEO_BYTES.subarray(100, 200));

    const tail = await get(url, { range: 'bytes=-10' });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(VIDEO_BYTES.subarray(990));
    expect((await get(url, { range: 'bytes=5000-' })).status).toBe(416);
    const head = await get(url, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('1000');
  });

  it('serves thumbnails from the library', async () => {
    const r = await get(`reeltag-media://library/thumb/${s.clipIds[0]}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await r.arrayBuffer())).toEqual(s.thumbnail);
    expect((await get(`reeltag-media://library/thumb/${s.clipIds[1]}`)).status).toBe(404);
  });

  it('refuses traversal, encoded traversal, absolute paths and anything that is not a media id', async () => {
    const bad = [
      'reeltag-media://library/video/../../../../etc/passwd',
      'reeltag-media://library/video/%2e%2e/%2e%2e/etc/passwd',
      'reeltag-media://library/video/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      'reeltag-media://library/..%2f..%2fetc%2fpasswd',
      'reeltag-media:///etc/passwd',
      'reeltag-media://library//etc/passwd',
      `reeltag-media://library/${encodeURIComponent(s.videoPath)}`,
      `reeltag-media://library/video/${encodeURIComponent(s.videoPath)}`,
      'reeltag-media://library/video/1?path=/etc/passwd',
      'reeltag-media://library/video/999',
      'reeltag-media://other/video/1',
      'reeltag-app://library/video/1',
      'reeltag-media://library/video/1.5',
    ];
    for (const url of bad) {
      const r = await get(url);
      expect(r.status, url).toBe(404);
      expect(await r.text()).not.toContain('secret');
    }
    expect(mediaRouteOf('reeltag-media://library/video/7')).toEqual({ kind: 'video', mediaId: 7 });
  });

  it('refuses a media row that is a symlink pointing out, or not a regular file', async () => {
    const link = await get(`reeltag-media://library/video/${linkMediaId}`);
    expect(link.status).toBe(403);
    expect(await link.text()).not.toContain('secret');
    expect((await get(`reeltag-media://library/video/${dirMediaId}`)).status).toBe(403);
  });

  it('never serves a library file as a page or script', async () => {
    const page = path.join(s.dir, 'videos', 'notes.html');
    fs.writeFileSync(page, '<script>alert(1)</script>');
    const id = s.service.lib().markMediaError({ path: page, fileName: 'notes.html', sizeBytes: 25, mtimeMs: 0, contentHash: 'e'.repeat(64), error: 'not a video' });
    const r = await get(`reeltag-media://library/video/${id}`);
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    expect(r.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect((await get(`reeltag-media://library/video/${s.mediaId}`)).headers.get('content-type')).toBe('video/mp4');
  });

  it('answers 503 when the worker is gone, 405 for writes', async () => {
    const dead = createMediaProtocolHandler(() => Promise.reject(new Error('exited')));
    expect((await dead(new Request('reeltag-media://library/video/1'))).status).toBe(503);
    expect((await handler(new Request(`reeltag-media://library/video/${s.mediaId}`, { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('reeltag-app://', () => {
  it('serves the renderer with a strict CSP, or a 503 page before it is built', async () => {
    const missing = createAppProtocolHandler(path.join(s.dir, 'no-renderer'));
    const r = await missing(new Request('reeltag-app://app/index.html'));
    expect(r.status).toBe(503);
    expect(await r.text()).toContain('not built');

    const dist = path.join(s.dir, 'renderer-dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
    fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    const app = createAppProtocolHandler(dist);
    const index = await app(new Request('reeltag-app://app/index.html'));
    expect(index.status).toBe(200);
    const csp = index.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('media-src');
    expect(csp).toContain('reeltag-media:');
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect((await app(new Request('reeltag-app://app/assets/app.js'))).headers.get('content-type')).toContain('javascript');
    expect((await app(new Request('reeltag-app://app/clips/12'))).status).toBe(200);
    for (const url of ['reeltag-app://app/%2e%2e/%2e%2e/secret.txt', 'reeltag-app://app/assets/..%2f..%2fsecret.txt', 'reeltag-app://evil/index.html']) {
      expect((await app(new Request(url))).status, url).toBe(404);
    }
  });
});
