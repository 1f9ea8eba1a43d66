import { describe, expect, it } from 'vitest';
import { checkModels } from '../../../main/core/ml/doctor.js';
import { testCacheDir } from './dist-check.js';

describe('checkModels', () => {
  it('loads both models on the chosen backend and times a few frames', async () => {
    const report = await checkModels({ cacheDir: testCacheDir, frames: 2 });
    expect(report.backend.name).toBe('wasm');
    expect(report.models.map((m) => m.name)).toEqual(['nsfwjs MobileNetV2Mid (rating + embedding)', 'human CenterNet (objects, COCO-80)']);
    for (const m of report.models) {
      expect(m).toMatchObject({ ok: true });
      expect(m.error).toBeUndefined();
      expect(m.loadMs).toBeGreaterThan(0);
      expect(m.msPerFrame).toBeGreaterThan(0);
    }
    expect(report.models[0]?.detail).toMatch(/weights (decoded into|read from) .*nsfwjs-4\.4\.0-mobilenet_v2_mid/);
  });
});
