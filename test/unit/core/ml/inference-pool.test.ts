// The pool's bookkeeping (dispatch, transfer, crashes, close) against a fake worker that speaks
// the same protocol without loading any model: fast, and crashes on demand.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RgbFrame } from '../../../../main/core/ml/frame-tensors.js';
import { createInferencePool, transferableFrames } from '../../../../main/core/ml/inference-pool.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-pool-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// time -1: exit(7); -2: throw; -3: answer after 150 ms. The embedding carries the thread id.
const fakeWorker = path.join(dir, 'fake-worker.mjs');
fs.writeFileSync(
  fakeWorker,
  `import { parentPort, workerData, threadId } from 'node:worker_threads';
if (workerData.cacheDir === 'fail-init') {
  parentPort.postMessage({ type: 'init-error', error: 'no weights here' });
} else {
  parentPort.postMessage({ type: 'ready', backend: { name: 'cpu', package: 'fake', gpu: false, simd: null, skipped: [] } });
  parentPort.on('message', (req) => {
    const first = req.frames[0];
    if (first.time === -1) process.exit(7);
    if (first.time === -2) throw new Error('boom');
    const results = req.frames.map((f) => ({
      time: f.time,
      embedding: new Float32Array([threadId, f.rgb.length, f.rgb[0]]),
      rating: { neutral: 1, drawing: 0, suggestive: 0, explicit: 0 },
      objects: [],
    }));
    const n = req.frames.length;
    setTimeout(() => parentPort.postMessage({ type: 'result', id: req.id, results, embedMs: 10 * n, objectsMs: 20 * n }), first.time === -3 ? 150 : 0);
  });
}
`,
);
const workerUrl = pathToFileURL(fakeWorker);

const frame = (time: number, fill = 7): RgbFrame => ({ rgb: new Uint8Array(2 * 2 * 3).fill(fill), width: 2, height: 2, time });

describe('transferableFrames', () => {
  it('moves buffers a frame owns whole and copies views into shared memory', () => {
    const owned = frame(0);
    const shared = Buffer.alloc(100, 3);
    const view: RgbFrame = { rgb: shared.subarray(10, 22), width: 2, height: 2, time: 1 };
    const { frames, transfer } = transferableFrames([owned, view, owned]);
    expect(transfer).toHaveLength(2);
    expect(transfer[0]).toBe(owned.rgb.buffer);
    expect(frames[1]?.rgb).not.toBe(view.rgb);
    expect(transfer[1]).not.toBe(shared.buffer);
    expect(Array.from(frames[1]?.rgb ?? [])).toEqual(new Array(12).fill(3));
  });
});

describe('createInferencePool', () => {
  it('answers in a worker, transfers owned frame buffers and sums timings', async () => {
    const pool = await createInferencePool({ cacheDir: dir, workerUrl });
    expect(pool.backend.package).toBe('fake');
    const owned = frame(1, 9);
    const shared = Buffer.alloc(64, 5);
    const view: RgbFrame = { rgb: shared.subarray(4, 16), width: 2, height: 2, time: 2 };
    const results = await pool.analyze([owned, view]);
    expect(results.map((r) => r.time)).toEqual([1, 2]);
    expect(Array.from(results[0]?.embedding ?? []).slice(1)).toEqual([12, 9]);
    expect(owned.rgb.length).toBe(0); // moved to the worker
    expect(shared.length).toBe(64); // copied: the shared buffer is untouched
    expect(pool.timings()).toEqual({ embedMsPerFrame: 10, objectsMsPerFrame: 20, frames: 2, objectFrames: 2 });
    await pool.close();
  });

  it('rejects a bad frame before moving any buffer', async () => {
    const pool = await createInferencePool({ cacheDir: dir, workerUrl });
    const good = frame(0);
    await expect(pool.analyze([good, { rgb: new Uint8Array(5), width: 2, height: 2, time: 1 }])).rejects.toThrow(/frame 1: rgb holds 5 bytes/);
    expect(good.rgb.length).toBe(12);
    await pool.close();
  });

  it('spreads concurrent calls over the least busy workers', async () => {
    const pool = await createInferencePool({ cacheDir: dir, workerUrl, workers: 2 });
    const results = await Promise.all([0, 1, 2, 3].map(() => pool.analyze([frame(-3)])));
    const threads = results.map((r) => r[0]?.embedding[0]);
    expect(new Set(threads).size).toBe(2);
    expect(threads[0]).not.toBe(threads[1]);
    await pool.close();
  });

  it('a crash rejects exactly the calls that worker held, then a new worker takes over', async () => {
    const pool = await createInferencePool({ cacheDir: dir, workerUrl });
    const slow = expect(pool.analyze([frame(-3)])).rejects.toThrow(/crashed/);
    const crash = pool.analyze([frame(-1)]);
    await expect(crash).rejects.toThrow(/inference worker 0 crashed \(exited with code 7\); 2 pending call\(s\) failed/);
    await slow;
    expect(pool.dead).toBeNull();
    await expect(pool.analyze([frame(5)])).resolves.toHaveLength(1);
    await expect(pool.analyze([frame(-2)])).rejects.toThrow(/crashed \(boom\)/);
    await pool.close();
  });

  it('gives up after maxRestarts and says it is dead', async () => {
    const pool = await createInferencePool({ cacheDir: dir, workerUrl, maxRestarts: 1 });
    await expect(pool.analyze([frame(-1)])).rejects.toThrow(/crashed/);
    await expect(pool.analyze([frame(-1)])).rejects.toThrow(/crashed/);
    expect(pool.dead?.message).toMatch(/inference pool is dead: no worker left and no restarts left \(last: inference worker 0 crashed/);
    await expect(pool.analyze([frame(0)])).rejects.toThrow(/inference pool is dead/);
    await pool.close();
  });

  it('fails to start with the worker’s own reason', async () => {
    await expect(createInferencePool({ cacheDir: 'fail-init', workerUrl, workers: 2 })).rejects.toThrow(
      /inference worker \d could not start: no weights here/,
    );
    await expect(createInferencePool({ cacheDir: dir, workerUrl: pathToFileURL(path.join(dir, 'missing.js')) })).rejects.toThrow(/could not start/);
  });

  it('close rejects pending calls and refuses new ones', async () => {
    const pool = await createInferencePool({ cacheDir: dir, workerUrl });
    const pending = expect(pool.analyze([frame(-3)])).rejects.toThrow(/inference pool closed/);
    await pool.close();
    await pending;
    await expect(pool.analyze([frame(0)])).rejects.toThrow(/inference pool is closed/);
  });
});
