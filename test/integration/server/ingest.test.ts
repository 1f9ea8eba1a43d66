// Browser mode end to end with the real pipeline: a generated video uploaded over HTTP is
// ingested (ffmpeg, models in worker threads, SQLite), its progress and end arrive as server-sent
// events, and its clips, thumbnails and video bytes come back through the API and /media.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReeltagService } from '../../../main/core/service.js';
import { startServer, type RunningServer } from '../../../main/server/index.js';
import { makeVideo, SOURCES } from '../../fixtures/generate.js';
import { distUrl, testCacheDir } from '../ml/dist-check.js';
import { openEvents, request } from './http.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-serve-ingest-'));
let service: ReeltagService;
let server: RunningServer;
const auth = () => ({ authorization: `Bearer ${server.token}` });

beforeAll(async () => {
  service = new ReeltagService({ libraryDir: path.join(tmp, 'lib'), cacheDir: testCacheDir, workerUrl: distUrl('inference-worker'), maxSamples: 8 });
  server = await startServer({ service, port: 0, rendererDir: path.join(tmp, 'none') });
});
afterAll(async () => {
  await server?.close();
  await service?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('upload → ingest → browse', () => {
  it('ingests an uploaded video and serves what it found', async () => {
    const video = makeVideo('serve-three-shots', [
      { source: SOURCES[0]!, frames: 40 },
      { source: SOURCES[1]!, frames: 40 },
      { source: SOURCES[2]!, frames: 40 },
    ]);
    const events = await openEvents(server.port, auth());
    const bytes = fs.readFileSync(video.path);
    const up = await request(server.port, '/api/upload?name=three%20shots.mp4', { method: 'POST', headers: { ...auth(), 'content-type': 'application/octet-stream' }, body: bytes });
    expect(up.status, up.text).toBe(200);
    const { jobIds, path: saved } = up.json<{ value: { jobIds: number[]; path: string } }>().value;
    expect(saved).toBe(path.join(service.libraryDir(), 'media', 'three shots.mp4'));

    const end = () => events.events.find((e) => e.event === 'jobEnd');
    for (let i = 0; i < 1800 && !end(); i++) await new Promise((r) => setTimeout(r, 100));
    events.close();
    expect(end()?.data).toMatchObject({ jobId: jobIds[0], status: 'ok', clips: 3 });
    const stages = new Set(events.events.filter((e) => e.event === 'jobProgress').map((e) => (e.data as { stage: string }).stage));
    expect([...stages]).toEqual(expect.arrayContaining(['hash', 'probe', 'decode', 'store']));
    expect(events.events.some((e) => e.event === 'libraryChanged')).toBe(true);

    const api = (method: string, body: unknown) =>
      request(server.port, `/api/${method}`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json<{ ok: boolean; value: never }>());
    const page = (await api('listClips', {})).value as { total: number; clips: { id: number; mediaId: number; hasThumbnail: boolean }[] };
    expect(page.total).toBe(3);
    const media = (await api('listMedia', {})).value as { id: number; status: string }[];
    expect(media).toMatchObject([{ status: 'ok' }]);
    expect((await api('appInfo', {})).value).toMatchObject({ backend: { name: expect.any(String) } });

    const withThumb = page.clips.find((c) => c.hasThumbnail)!;
    const thumb = await request(server.port, `/media/thumb/${withThumb.id}`, { headers: auth() });
    expect(thumb.status).toBe(200);
    expect(thumb.body.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const range = await request(server.port, `/media/video/${media[0]!.id}`, { headers: { ...auth(), range: 'bytes=0-99' } });
    expect(range.status).toBe(206);
    expect(range.body).toEqual(bytes.subarray(0, 100));
  }, 300_000);
});
