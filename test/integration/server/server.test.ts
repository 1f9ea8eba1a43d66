// Browser mode in-process against a temp library: the token, Host and Origin checks, the contract
// over POST /api/<method>, server-sent events, media with Range, uploads, the renderer's files.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../main/server/index.js';
import { seededService, VIDEO_BYTES, type Seeded } from '../../unit/server/helpers.js';
import { openEvents, request } from './http.js';

const TOKEN = 'test-token-0123456789abcdef';
let s: Seeded;
let server: RunningServer;
let port: number;
const auth = { authorization: `Bearer ${TOKEN}` };
const api = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  request(port, `/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth, ...headers }, body: JSON.stringify(body) });

beforeAll(async () => {
  s = seededService();
  // Uploads are ingested: stand in for the pipeline (the real one runs in ingest.test.ts).
  const lib = s.service.lib();
  s.service.ingest = async () => {
    for (let job = lib.jobs.claimNext(); job; job = lib.jobs.claimNext()) lib.jobs.fail(job.id, 'not run in this test');
    return [];
  };
  server = await startServer({ service: s.service, port: 0, rendererDir: path.join(s.dir, 'renderer-dist'), token: TOKEN, version: '1.2.3', maxUploadBytes: 4096 });
  port = server.port;
});
afterAll(async () => {
  await server?.close();
  await s?.cleanup();
});

describe('access', () => {
  it('prints a 127.0.0.1 URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}/?token=${TOKEN}`);
  });

  it('requires the token on every route', async () => {
    expect((await request(port, '/')).status).toBe(401);
    const denied = await request(port, '/api/listTags', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await request(port, `/media/video/${s.mediaId}`)).status).toBe(403);
    expect((await request(port, '/api/events')).status).toBe(403);
    expect((await api('listTags', {}, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(403);
    expect((await request(port, '/?token=wrong')).status).toBe(401);
  });

  it('turns ?token= into an HttpOnly cookie on first load, then accepts the cookie', async () => {
    const first = await request(port, `/?token=${TOKEN}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']![0]!;
    expect(cookie).toMatch(new RegExp(`^reeltag_token_${port}=${TOKEN}; HttpOnly; SameSite=Strict; Path=/$`));
    const page = await request(port, '/', { headers: { cookie: cookie.split(';')[0]! } });
    // No renderer build in this test: a clear 503 page.
    expect(page.status).toBe(503);
    expect(page.text).toContain('not built');
    const call = await api('listTags', {}, { authorization: '', cookie: cookie.split(';')[0]! });
    expect(call.status).toBe(200);
  });

  it('refuses foreign Host headers (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `0.0.0.0:${port}`]) {
      expect((await api('listTags', {}, { host })).status, host).toBe(421);
    }
    expect((await api('listTags', {}, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses POSTs from other origins', async () => {
    expect((await api('listTags', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('listTags', {}, { origin: `http://127.0.0.1:${port + 1}` })).status).toBe(403);
    expect((await api('listTags', {}, { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await api('listTags', {}, { origin: `http://localhost:${port}`, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });
});

describe('the contract over HTTP', () => {
  it('round-trips a method', async () => {
    const r = await api('listClips', { tag: 'dog', limit: 1 });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const body = r.json<{ ok: true; value: { total: number; clips: { id: number }[] } }>();
    expect(body.ok).toBe(true);
    expect(body.value.total).toBe(2);
    expect(body.value.clips.map((c) => c.id)).toEqual([s.clipIds[0]]);
    expect((await api('appInfo', {})).json()).toMatchObject({ ok: true, value: { version: '1.2.3', transport: 'http', libraryDir: s.service.libraryDir() } });
  });

  it('answers bad requests with {ok: false} and a fitting status', async () => {
    expect((await api('clipDetail', { clipId: 'x' })).status).toBe(400);
    expect((await api('clipDetail', { clipId: 999 })).json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await api('noSuchMethod', {})).status).toBe(404);
    expect((await request(port, '/api/listTags', { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await request(port, '/api/listTags', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{nope' })).json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await request(port, '/api/listTags', { headers: auth })).status).toBe(405);
    const big = await request(port, '/api/listClips', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'x'.repeat(2 << 20) }) });
    expect(big.status).toBe(413);
  });

  it('delivers events over server-sent events', async () => {
    const stream = await openEvents(port, auth);
    expect(stream.status).toBe(200);
    await api('tagClips', { clipIds: [s.clipIds[1]], names: ['keeper'] });
    for (let i = 0; i < 100 && stream.events.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    stream.close();
    expect(stream.events).toEqual([{ event: 'libraryChanged', data: { reason: 'tags', mediaIds: [s.mediaId], clipIds: [s.clipIds[1]] } }]);
  });
});

describe('media', () => {
  it('serves videos with Range requests and thumbnails', async () => {
    const full = await request(port, `/media/video/${s.mediaId}`, { headers: auth });
    expect(full.status).toBe(200);
    expect(full.headers['accept-ranges']).toBe('bytes');
    expect(full.body).toEqual(VIDEO_BYTES);
    const part = await request(port, `/media/video/${s.mediaId}`, { headers: { ...auth, range: 'bytes=500-' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 500-999/1000');
    expect(part.body).toEqual(VIDEO_BYTES.subarray(500));
    expect((await request(port, `/media/video/${s.mediaId}`, { headers: { ...auth, range: 'bytes=1000-' } })).status).toBe(416);
    const thumb = await request(port, `/media/thumb/${s.clipIds[0]}`, { headers: auth });
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expect(thumb.body).toEqual(s.thumbnail);
  });

  it('serves only media rows, by id', async () => {
    for (const p of ['/media/video/%2e%2e%2f%2e%2e%2fpackage.json', '/media/../package.json', `/media/${encodeURIComponent(s.videoPath)}`, '/media/video/999', '/media/video/1/../../x']) {
      const r = await request(port, p, { headers: auth });
      expect([404, 503], p).toContain(r.status);
      expect(r.body.includes(VIDEO_BYTES.subarray(0, 50))).toBe(false);
    }
  });
});

describe('uploads', () => {
  const mediaDir = () => path.join(s.service.libraryDir(), 'media');
  const upload = (name: string, body: string | Buffer | Buffer[], headers: Record<string, string> = {}) =>
    request(port, `/api/upload?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/octet-stream', ...headers }, body });

  it('saves into <library>/media under a sanitised, unique name, then queues the ingest', async () => {
    const first = await upload('../../evil:name?.mp4', Buffer.alloc(1000, 1));
    expect(first.status).toBe(200);
    const value = first.json<{ ok: true; value: { path: string; jobIds: number[] } }>().value;
    expect(value.path).toBe(path.join(mediaDir(), 'evil_name_.mp4'));
    expect(value.jobIds).toHaveLength(1);
    expect(fs.readFileSync(value.path)).toEqual(Buffer.alloc(1000, 1));
    const second = await upload('evil:name?.mp4', 'x');
    expect(second.json<{ value: { path: string } }>().value.path).toBe(path.join(mediaDir(), 'evil_name_ (1).mp4'));
  });

  it('refuses uploads over the size limit and leaves nothing behind', async () => {
    const before = fs.readdirSync(mediaDir()).sort();
    const declared = await upload('big.mp4', Buffer.alloc(5000));
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({ ok: false, error: { code: 'too_large' } });
    const streamed = await upload('big2.mp4', [Buffer.alloc(3000), Buffer.alloc(3000)]);
    expect(streamed.status).toBe(413);
    expect(fs.readdirSync(mediaDir()).sort()).toEqual(before);
    expect((await upload('', 'x')).status).toBe(400);
    expect((await upload('a.mp4', 'x', { origin: 'http://evil.example' })).status).toBe(403);
  });
});

describe('the renderer', () => {
  it('is served with a CSP once built; traversal finds nothing', async () => {
    const dist = path.join(s.dir, 'renderer-dist');
    fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Reeltag</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'export {}');
    const index = await request(port, '/', { headers: auth });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect((await request(port, '/assets/app.js', { headers: auth })).headers['content-type']).toMatch(/javascript/);
    expect((await request(port, '/clips/3', { headers: auth })).text).toContain('<title>Reeltag');
    expect((await request(port, '/assets/missing.js', { headers: auth })).status).toBe(404);
    for (const p of ['/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fvideos%2fbeach%20day.mp4']) {
      const r = await request(port, p, { headers: auth });
      expect(r.text, p).not.toContain('"name"');
      expect(r.body.includes(VIDEO_BYTES.subarray(0, 50))).toBe(false);
    }
  });
});
