// Browser mode against requests no Reeltag page sends: arbitrary and malformed bodies, wrong types,
// unexpected fields, unknown methods, oversized and deeply nested bodies, foreign Hosts, missing or
// misplaced tokens, and media paths that try to leave the library. Each gets a clear answer —
// `{ok:false}` with the right code and status for the API — and the server keeps serving.
// (server.test.ts holds the ordinary cases of each; this file the adversarial ones.)
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, METHOD_NAMES, type ErrorCode } from '../../../shared/contract.js';
import { startServer, type RunningServer } from '../../../main/server/index.js';
import { seededService, VIDEO_BYTES, type Seeded } from '../../unit/server/helpers.js';
import { request, type Reply } from './http.js';

const TOKEN = 'hostile-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };
const STATUS: Record<ErrorCode, number> = { invalid_input: 400, unknown_method: 404, not_found: 404, forbidden: 403, too_large: 413, unavailable: 503, cancelled: 409, conflict: 409, internal: 500 };
/** Every request field of the contract, so generated bodies hit real fields with wrong values. */
const FIELDS = ['query', 'kind', 'tag', 'mediaId', 'limit', 'offset', 'status', 'clipId', 'clipIds', 'names', 'from', 'to', 'paths', 'jobId'];

let s: Seeded;
let server: RunningServer;
let port: number;
const enqueued: string[][] = [];

const post = (pathname: string, body: string | Buffer | Buffer[], headers: Record<string, string> = {}) =>
  request(port, pathname, { method: 'POST', headers: { 'content-type': 'application/json', ...auth, ...headers }, body });

/** The reply is one JSON Result, its status matches its code, and the server did not fail inside. */
function expectResult(r: Reply): { ok: boolean; error?: { code: ErrorCode; message: string } } {
  expect(r.headers['content-type']).toMatch(/^application\/json/);
  const body = r.json<{ ok: boolean; value?: unknown; error?: { code: ErrorCode; message: string } }>();
  expect(typeof body.ok).toBe('boolean');
  if (body.ok) expect(r.status).toBe(200);
  else {
    expect(r.status).toBe(STATUS[body.error!.code]);
    expect(body.error!.code).not.toBe('internal');
    expect(body.error!.message.length).toBeGreaterThan(0);
  }
  return body;
}

async function stillServing(): Promise<void> {
  const r = await post('/api/appInfo', '{}');
  expect(r.status).toBe(200);
  expect(r.json()).toMatchObject({ ok: true, value: { name: 'Reeltag' } });
}

beforeAll(async () => {
  s = seededService();
  // Queueing is validated by the contract; nothing here should walk a folder or run ffmpeg.
  s.service.enqueue = async (paths: string[]) => {
    enqueued.push(paths);
    return { files: [], jobIds: [] };
  };
  s.service.ingest = async () => [];
  server = await startServer({ service: s.service, port: 0, rendererDir: path.join(s.dir, 'no-renderer'), token: TOKEN, maxUploadBytes: 4096 });
  port = server.port;
});
afterAll(async () => {
  await server?.close();
  await s?.cleanup();
});

describe('the API under arbitrary input', () => {
  it('any JSON body to any method: a Result whose status fits its code, never an internal error', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.dictionary(fc.constantFrom(...FIELDS), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METHOD_NAMES), body, async (method, input) => {
        expectResult(await post(`/api/${method}`, JSON.stringify(input)));
      }),
      { numRuns: 300 },
    );
    await stillServing();
  });

  it('bytes that are not JSON: invalid_input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METHOD_NAMES), fc.oneof(fc.string({ minLength: 1 }), fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b))), async (method, bytes) => {
        const text = Buffer.from(bytes).toString('utf8');
        let isJson = true;
        try {
          JSON.parse(text);
        } catch {
          isJson = false;
        }
        fc.pre(!isJson && text.trim() !== '');
        const r = expectResult(await post(`/api/${method}`, bytes));
        expect(r.error?.code).toBe('invalid_input');
      }),
      { numRuns: 150 },
    );
    for (const text of ['{nope', '{"a":1', '[1,]', "{'a':1}", '\u0000', '\ufeff{}x', 'NaN', '{"limit": 1e}']) {
      expect(expectResult(await post('/api/listClips', text)).error?.code, text).toBe('invalid_input');
    }
    await stillServing();
  });

  it('JSON of the wrong shape: invalid_input naming the problem', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['listClips', null, /request/],
      ['listClips', [], /request/],
      ['listClips', 'limit=5', /request/],
      ['listClips', 42, /request/],
      ['listClips', { limit: '5' }, /limit/],
      ['listClips', { limit: 5.5 }, /limit/],
      ['listClips', { offset: -1 }, /offset/],
      ['listClips', { kind: ['object'] }, /kind/],
      ['listClips', { query: { $ne: '' } }, /query/],
      ['clipDetail', { clipId: '1' }, /clipId/],
      ['clipDetail', { clipId: 1e300 }, /clipId/],
      ['tagClips', { clipIds: 'all', names: ['x'] }, /clipIds/],
      ['tagClips', { clipIds: [1], names: 'x' }, /names/],
      ['tagClips', { clipIds: [1], names: [null] }, /names\[0\]/],
      ['ingest', { paths: [42] }, /paths\[0\]/],
      ['ingest', { paths: '/etc' }, /paths/],
      ['cancelJob', { jobId: true }, /jobId/],
    ];
    for (const [method, input, message] of cases) {
      const r = expectResult(await post(`/api/${method}`, JSON.stringify(input)));
      expect(r.error, `${method} ${JSON.stringify(input)}`).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
    }
    expect(enqueued).toEqual(enqueued.filter((p) => p.every((x) => typeof x === 'string')));
  });

  it('unexpected fields: invalid_input naming the field, for every method', async () => {
    const minimal: Record<string, object> = {
      clipDetail: { clipId: 1 },
      tagClips: { clipIds: [1], names: ['x'] },
      untagClips: { clipIds: [1], names: ['x'] },
      renameTag: { clipIds: [1], from: 'a', to: 'b' },
      ingest: { paths: ['/nonexistent/a.mp4'] },
      cancelJob: { jobId: 1 },
    };
    for (const method of METHOD_NAMES) {
      for (const extra of ['extra', '__proto__', 'constructor', 'toString']) {
        const text = JSON.stringify({ ...(minimal[method] ?? {}) }).replace(/^\{/, `{${JSON.stringify(extra)}:{"polluted":true},`).replace(',}', '}');
        const r = expectResult(await post(`/api/${method}`, text));
        expect(r.error, `${method} + ${extra}`).toMatchObject({ code: 'invalid_input', message: expect.stringContaining(`unknown field "${extra}"`) });
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(enqueued).toEqual([]);
  });

  it('unknown methods: unknown_method (404), whatever the name', async () => {
    // Random names go URL-encoded; the listed ones raw, as an attacker would send them.
    const names = fc.oneof(
      fc.string({ minLength: 1, maxLength: 80 }).map((n) => ({ name: n, sent: encodeURIComponent(n) })),
      fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'APPINFO', 'appinfo', 'appInfo%20', 'appInfo/x', '..%2fappInfo', '%61ppInfo', 'upload2', 'events2').map((n) => ({ name: n, sent: n })),
    );
    await fc.assert(
      fc.asyncProperty(names, async ({ name, sent }) => {
        fc.pre(!(METHOD_NAMES as string[]).includes(name));
        const r = await post(`/api/${sent}`, '{}');
        // A name that is a path of its own ("/api/x/../events") may resolve to another route;
        // every API answer is still a Result or a plain method error, and never a method call.
        if (r.status === 405) return;
        expect(expectResult(r).error?.code, name).toBe('unknown_method');
      }),
      { numRuns: 150 },
    );
    await stillServing();
  });

  it('oversized bodies: too_large (413) whether declared or streamed, then the connection closes', async () => {
    const big = Buffer.alloc(LIMITS.requestBody + 1, 0x20);
    const declared = await post('/api/listClips', big);
    expect(expectResult(declared).error?.code).toBe('too_large');
    // Chunked, no Content-Length: the limit is counted while reading.
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 0x20));
    const streamed = await post('/api/listClips', chunks);
    expect(expectResult(streamed).error?.code).toBe('too_large');
    expect(streamed.headers.connection).toBe('close');
    await stillServing();
  });

  it('deep nesting within the size limit: invalid_input, no stack overflow', async () => {
    const depth = 200_000;
    for (const text of ['['.repeat(depth) + ']'.repeat(depth), '{"a":'.repeat(depth / 4) + '1' + '}'.repeat(depth / 4)]) {
      expect(text.length).toBeLessThan(LIMITS.requestBody);
      expect(expectResult(await post('/api/listClips', text)).error?.code).toBe('invalid_input');
    }
    await stillServing();
  });
});

describe('who may ask', () => {
  const routes = ['/', '/index.html', '/api/listTags', '/api/events', '/api/upload?name=a.mp4', '/media/video/1', '/media/thumb/1'];

  it('a foreign Host is refused (421) on every route, token or not', async () => {
    const host = fc.oneof(
      fc.domain(),
      fc.domain().map((d) => `${d}:${port}`),
      fc.ipV4().map((ip) => `${ip}:${port}`).filter((h) => h !== `127.0.0.1:${port}`),
      fc.constantFrom(`127.0.0.1:${port + 1}`, '127.0.0.1', 'localhost', `[::1]:${port}`, `127.0.0.1.evil.example:${port}`, `localhost.:${port}`, `0x7f000001:${port}`),
    );
    await fc.assert(
      fc.asyncProperty(host, fc.constantFrom(...routes), fc.boolean(), async (h, route, withToken) => {
        const isPost = route.startsWith('/api/') && route !== '/api/events';
        const r = await request(port, route, { method: isPost ? 'POST' : 'GET', headers: { host: h, ...(withToken ? auth : {}) }, body: isPost ? '{}' : undefined });
        expect(r.status, `${h} ${route}`).toBe(421);
      }),
      { numRuns: 120 },
    );
  });

  it('no token, a wrong one or one in the wrong place is refused on every route, uploads write nothing', async () => {
    const mediaDir = path.join(s.service.libraryDir(), 'media');
    const wrong: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: `Bearer ${TOKEN.toUpperCase()}` },
      { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
      { authorization: TOKEN },
      { cookie: `reeltag_token_${port + 1}=${TOKEN}` },
      { cookie: `reeltag_token=${TOKEN}` },
      { cookie: `xreeltag_token_${port}=${TOKEN}` },
      { 'x-reeltag-token': TOKEN },
    ];
    for (const headers of wrong) {
      for (const route of routes) {
        const isPost = route.startsWith('/api/') && route !== '/api/events';
        const r = await request(port, route, { method: isPost ? 'POST' : 'GET', headers: { 'content-type': 'application/json', ...headers }, body: isPost ? '{}' : undefined });
        expect([401, 403], `${JSON.stringify(headers)} ${route}`).toContain(r.status);
      }
    }
    // The token in a query string is never accepted by the API; on a GET it only turns into the
    // cookie, by a redirect that drops it from the address and serves nothing itself.
    expect((await request(port, `/api/listTags?token=${TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(403);
    const link = await request(port, `/media/video/${s.mediaId}?token=${TOKEN}`);
    expect(link.status).toBe(303);
    expect(link.headers.location).toBe(`/media/video/${s.mediaId}`);
    expect(link.body.length).toBe(0);
    expect((await request(port, `/media/video/${s.mediaId}?token=${TOKEN}x`)).status).toBe(401);
    expect(fs.existsSync(mediaDir) ? fs.readdirSync(mediaDir) : []).toEqual([]);
  });

  it('a POST from any other origin is refused, even with the token', async () => {
    const origin = fc.oneof(
      fc.webUrl().map((u) => new URL(u).origin),
      fc.constantFrom('null', `https://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`, `http://127.0.0.1`, `http://localhost.evil.example:${port}`, `file://`, `reeltag-app://app`),
    );
    await fc.assert(
      fc.asyncProperty(origin, fc.constantFrom('/api/listTags', '/api/tagClips', '/api/upload?name=a.mp4'), async (o, route) => {
        const r = await post(route, '{}', { origin: o });
        expect(r.status, `${o} ${route}`).toBe(403);
        expect(r.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }),
      { numRuns: 80 },
    );
    for (const site of ['cross-site', 'same-site']) {
      expect((await post('/api/listTags', '{}', { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': site })).status, site).toBe(403);
    }
  });
});

describe('media paths that try to leave the library', () => {
  let linkMediaId: number;
  let htmlMediaId: number;

  beforeAll(() => {
    // A media row whose file became a symlink to a file outside, and one that is an HTML page.
    const secret = path.join(s.dir, 'secret.txt');
    fs.writeFileSync(secret, 'secret');
    const link = path.join(s.dir, 'videos', 'link.mp4');
    fs.symlinkSync(secret, link);
    const page = path.join(s.dir, 'videos', 'notes.html');
    fs.writeFileSync(page, '<script>alert(1)</script>');
    const lib = s.service.lib();
    linkMediaId = lib.markMediaError({ path: link, fileName: 'link.mp4', sizeBytes: 6, mtimeMs: 0, contentHash: 'c'.repeat(64), error: 'x' });
    htmlMediaId = lib.markMediaError({ path: page, fileName: 'notes.html', sizeBytes: 25, mtimeMs: 0, contentHash: 'd'.repeat(64), error: 'not a video' });
  });

  it('refuses traversal, encoded traversal, absolute paths, NUL and backslashes', async () => {
    const bad = [
      '/media/video/../../../../etc/passwd',
      '/media/video/%2e%2e/%2e%2e/etc/passwd',
      '/media/video/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      '/media/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/media//etc/passwd',
      '/media/video//etc/passwd',
      '/media/video/%2Fetc%2Fpasswd',
      `/media/video/${encodeURIComponent(path.join(s.dir, 'secret.txt'))}`,
      '/media/video/..%5c..%5csecret.txt',
      '/media/video/1%00.mp4',
      `/media/video/${s.mediaId}/../../secret.txt`,
      `/media/video/${s.mediaId}%2f..%2f..%2fsecret.txt`,
      '/media/video/0',
      '/media/video/-1',
      '/media/video/99999999999999999999',
      '/media/thumb/1.5',
    ];
    for (const p of bad) {
      const r = await request(port, p, { headers: auth });
      // 503: a path that normalises out of /media/ is the renderer's, which is not built here.
      expect([404, 403, 503], p).toContain(r.status);
      expect(r.text, p).not.toContain('secret');
      expect(r.text, p).not.toContain('root:');
    }
  });

  it('refuses a media row that is a symlink pointing out (HTTP; the Electron protocol in test/unit/app/protocols.test.ts)', async () => {
    const r = await request(port, `/media/video/${linkMediaId}`, { headers: auth });
    expect(r.status).toBe(403);
    expect(r.text).not.toContain('secret');
  });

  it('never serves a library file as a page or script', async () => {
    const r = await request(port, `/media/video/${htmlMediaId}`, { headers: auth });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.headers['content-security-policy']).toMatch(/sandbox/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const video = await request(port, `/media/video/${s.mediaId}`, { headers: auth });
    expect(video.headers['content-type']).toBe('video/mp4');
    expect(video.body).toEqual(VIDEO_BYTES);
  });
});
