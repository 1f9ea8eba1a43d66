import { describe, expect, it } from 'vitest';
import { defaultPlan, rgbFrameBytes, sampleFps } from '../../../../main/core/media/decode-plan.js';
import type { MediaInfo } from '../../../../shared/types.js';

const info = (durationSec: number): MediaInfo => ({
  durationSec, fps: 25, width: 1280, height: 720, rotation: 0, videoCodec: 'h264',
  audioCodec: 'aac', frameCount: Math.round(durationSec * 25), container: 'mov,mp4,m4a,3gp,3g2,mj2', bitRate: 0,
});

describe('sampleFps', () => {
  it('samples once a second up to maxSamples seconds', () => {
    expect(sampleFps(14.2)).toBe(1);
    expect(sampleFps(600)).toBe(1);
  });

  it('slows down for long videos without ever exceeding maxSamples', () => {
    for (const d of [601, 3600, 7 * 3600 + 13, 86_400]) {
      const fps = sampleFps(d);
      expect(fps).toBeGreaterThan(0);
      expect(fps).toBeLessThan(1);
      expect(Math.floor(d * fps) + 1).toBeLessThanOrEqual(600 + 1);
      expect(Number.isInteger(Math.round(fps * 1e6) / 1e3)).toBe(true); // thousandths: exact for ffmpeg
    }
    expect(sampleFps(3600)).toBe(0.166);
    expect(sampleFps(3600, 60)).toBe(0.016);
  });

  it('stays positive for a zero, unknown or absurd duration', () => {
    expect(sampleFps(0)).toBe(1);
    expect(sampleFps(Number.NaN)).toBe(1);
    expect(sampleFps(Number.POSITIVE_INFINITY)).toBe(1);
    expect(sampleFps(10_000_000)).toBe(1 / Math.ceil(10_000_000 / 600));
  });

  it('refuses a non-positive maxSamples', () => {
    expect(() => sampleFps(10, 0)).toThrow(RangeError);
  });
});

describe('defaultPlan', () => {
  it('uses 64×36 shot frames, 512×512 samples and 320 px thumbnails', () => {
    expect(defaultPlan(info(60))).toEqual({
      shot: { width: 64, height: 36 },
      sample: { width: 512, height: 512, fps: 1 },
      thumb: { width: 320 },
    });
  });

  it('passes maxSamples on', () => {
    expect(defaultPlan(info(100), { maxSamples: 10 }).sample.fps).toBe(0.1);
    expect(defaultPlan(info(0)).sample.fps).toBe(1);
  });

  it('hands out fresh objects a caller may change', () => {
    const a = defaultPlan(info(1));
    a.shot.width = 1;
    expect(defaultPlan(info(1)).shot.width).toBe(64);
  });
});

describe('rgbFrameBytes', () => {
  it('is width × height × 3', () => {
    expect(rgbFrameBytes({ width: 64, height: 36 })).toBe(6912);
  });
});
