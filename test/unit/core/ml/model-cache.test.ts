import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileIOHandler } from '../../../../main/core/ml/file-io-handler.js';
import { ensureNsfwModelCache, locateNsfwModel, nsfwCacheDir } from '../../../../main/core/ml/model-cache.js';

let cacheDir: string;
beforeEach(() => {
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-cache-'));
});
afterEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

describe('ensureNsfwModelCache', () => {
  it('finds the bundled model and keys the cache by the nsfwjs version', () => {
    const source = locateNsfwModel();
    expect(fs.existsSync(path.join(source.dir, 'model.min.js'))).toBe(true);
    expect(source.version).toBe('4.4.0');
    expect(nsfwCacheDir(cacheDir, source)).toBe(path.join(cacheDir, 'models', 'nsfwjs-4.4.0-mobilenet_v2_mid'));
  });

  it('decodes once, then reuses the files untouched', async () => {
    const first = await ensureNsfwModelCache({ cacheDir });
    expect(first.created).toBe(true);
    const dir = path.dirname(first.modelJsonPath);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    // No temporary folders or files left next to it.
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['nsfwjs-4.4.0-mobilenet_v2_mid']);
    const mtime = fs.statSync(path.join(dir, 'weights.bin')).mtimeMs;

    const second = await ensureNsfwModelCache({ cacheDir });
    expect(second).toMatchObject({ created: false, modelJsonPath: first.modelJsonPath });
    expect(fs.statSync(path.join(dir, 'weights.bin')).mtimeMs).toBe(mtime);

    const artifacts = await fileIOHandler(first.modelJsonPath).load();
    expect(artifacts.format).toBe('graph-model');
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(fs.statSync(path.join(dir, 'weights.bin')).size);
  });

  it('rebuilds a cache whose weights were cut short', async () => {
    const first = await ensureNsfwModelCache({ cacheDir });
    const weights = path.join(path.dirname(first.modelJsonPath), 'weights.bin');
    const size = fs.statSync(weights).size;
    fs.truncateSync(weights, 1000);
    const again = await ensureNsfwModelCache({ cacheDir });
    expect(again.created).toBe(true);
    expect(fs.statSync(weights).size).toBe(size);
  });

  it('two concurrent builders end with one complete copy', async () => {
    const [a, b] = await Promise.all([ensureNsfwModelCache({ cacheDir }), ensureNsfwModelCache({ cacheDir })]);
    expect(a.modelJsonPath).toBe(b.modelJsonPath);
    expect(fs.readdirSync(path.join(cacheDir, 'models'))).toEqual(['nsfwjs-4.4.0-mobilenet_v2_mid']);
    await expect(fileIOHandler(a.modelJsonPath).load()).resolves.toBeDefined();
  });
});
