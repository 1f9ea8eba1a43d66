// `reeltag bench --load`'s phase on a few files: the queries from the second connection run all
// through the ingest, progress events arrive, and the report holds the figures the CLI prints.
// (Speed is judged by running the bench, never by a timed test.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { printLoad, runLoadBench } from '../../main/cli/commands/bench-load.js';
import { locateBinaries } from '../../main/core/media/index.js';
import { ReeltagService } from '../../main/core/service.js';
import { distUrl, testCacheDir } from './ml/dist-check.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-bench-load-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('bench --load', () => {
  it('measures search and clip-list latency from a second connection while files are ingested', async () => {
    const service = new ReeltagService({ libraryDir: path.join(tmp, 'lib'), cacheDir: testCacheDir, workerUrl: distUrl('inference-worker'), maxSamples: 2 });
    try {
      const load = await runLoadBench({ service, ffmpeg: locateBinaries(process.env).ffmpeg, dir: tmp, files: 5, rate: 50 });
      expect(load).toMatchObject({ files: 5, ok: 5, failed: 0, rate: 50 });
      expect(load.search.count).toBeGreaterThan(3);
      expect(load.clipsList.count).toBe(load.search.count);
      for (const s of [load.search, load.clipsList]) {
        expect(s.p50Ms).toBeGreaterThanOrEqual(0);
        expect(s.p95Ms).toBeGreaterThanOrEqual(s.p50Ms);
        expect(s.maxMs).toBeGreaterThanOrEqual(s.p95Ms);
      }
      expect(load.progress.events).toBeGreaterThanOrEqual(5);
      expect(load.progress.allEvents).toBeGreaterThanOrEqual(15);
      expect(load.peakRssMB).toBeGreaterThan(50);
      expect(load.maxRssMB).toBeGreaterThanOrEqual(load.peakRssMB - 1);
      expect(service.lib().clips.count({})).toBe(5);
      const lines: string[] = [];
      printLoad(load, (l) => lines.push(l));
      expect(lines.join('\n')).toMatch(/search +p50 [\d.]+ ms +p95 [\d.]+ ms/);
      expect(lines.join('\n')).toMatch(/peak RSS +\d+ MB/);
    } finally {
      await service.close();
    }
  }, 300_000);
});
