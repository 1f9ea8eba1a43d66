// parseProbe on whatever ffprobe (or a hostile file feeding it) might print: arbitrary JSON never
// throws anything but the media module's own errors, and video streams of a valid shape always
// give a MediaInfo the pipeline can use.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MediaError } from '../../../../main/core/media/errors.js';
import { parseProbe } from '../../../../main/core/media/parse-probe.js';
import type { MediaInfo } from '../../../../shared/types.js';

/** Either a MediaInfo or the MediaError it threw; anything else thrown fails the property. */
function attempt(json: unknown): MediaInfo | MediaError {
  try {
    return parseProbe(json);
  } catch (e) {
    if (e instanceof MediaError) return e;
    throw e;
  }
}

/** Sane by construction: what every MediaInfo must be, whatever went in. */
function expectSane(info: MediaInfo): void {
  expect(Number.isFinite(info.fps) && info.fps >= 0, `fps ${info.fps}`).toBe(true);
  expect(Number.isFinite(info.durationSec) && info.durationSec >= 0, `duration ${info.durationSec}`).toBe(true);
  expect(Number.isSafeInteger(info.frameCount) && info.frameCount >= 0, `frameCount ${info.frameCount}`).toBe(true);
  expect(Number.isSafeInteger(info.width) && info.width > 0, `width ${info.width}`).toBe(true);
  expect(Number.isSafeInteger(info.height) && info.height > 0, `height ${info.height}`).toBe(true);
  expect([0, 90, 180, 270]).toContain(info.rotation);
  expect(Number.isSafeInteger(info.bitRate) && info.bitRate >= 0, `bitRate ${info.bitRate}`).toBe(true);
  expect(typeof info.videoCodec).toBe('string');
  expect(typeof info.container).toBe('string');
}

// Values ffprobe prints, and the junk a damaged file makes it print.
const numberish = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.double().map(String),
  fc.integer({ min: -10, max: 100_000 }).map(String),
  fc.constantFrom('N/A', '', '0', '-0', 'NaN', 'Infinity', '1e400', '-1e400', '0x10', ' 12 ', '1,5'),
);
const rateString = fc.oneof(
  fc.tuple(fc.integer({ min: -5, max: 200_000 }), fc.integer({ min: -5, max: 100_000 })).map(([a, b]) => `${a}/${b}`),
  fc.constantFrom('0/0', '25/1', '30000/1001', '1/0', '-25/1', 'N/A', '', '1e308/1e-308', '25', 'x/y', '90000/1'),
);
const rotationish = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double(), fc.constantFrom('90', '-90', '180', 'N/A', '270.4'));

const videoStream = fc.record(
  {
    codec_type: fc.constant('video'),
    codec_name: fc.oneof(fc.constantFrom('h264', 'hevc', 'vp9', 'av1', 'mpeg2video'), fc.string()),
    width: fc.oneof(fc.integer({ min: -10, max: 100_000 }), numberish),
    height: fc.oneof(fc.integer({ min: -10, max: 100_000 }), numberish),
    avg_frame_rate: rateString,
    r_frame_rate: rateString,
    duration: numberish,
    nb_frames: numberish,
    tags: fc.record({ rotate: rotationish.map(String), DURATION: fc.constantFrom('00:00:02.007000000', '99:59:59.9', 'junk', '') }, { requiredKeys: [] }),
    side_data_list: fc.array(fc.record({ side_data_type: fc.constant('Display Matrix'), rotation: rotationish }, { requiredKeys: [] }), { maxLength: 2 }),
    disposition: fc.record({ attached_pic: fc.constantFrom(0, 1) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['codec_type'] },
);
const otherStream = fc.record({ codec_type: fc.constantFrom('audio', 'subtitle', 'data', 'attachment'), codec_name: fc.option(fc.constantFrom('aac', 'opus', 'mp3', 'subrip'), { nil: undefined }) }, { requiredKeys: ['codec_type'] });
const format = fc.record(
  {
    format_name: fc.oneof(fc.constantFrom('mov,mp4,m4a,3gp,3g2,mj2', 'matroska,webm', 'mpegts', 'mpeg', 'avi', 'image2', 'png_pipe', 'h264'), fc.string()),
    duration: numberish,
    bit_rate: numberish,
  },
  { requiredKeys: [] },
);
const probeShaped = fc.record({ streams: fc.array(fc.oneof(videoStream, otherStream), { maxLength: 4 }), format });

describe('parseProbe properties', () => {
  it('arbitrary JSON: a MediaError or a sane MediaInfo, never another throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ streams: fc.array(fc.jsonValue(), { maxLength: 4 }), format: fc.jsonValue() })), (json) => {
        const r = attempt(json);
        if (!(r instanceof MediaError)) expectSane(r);
      }),
      { numRuns: 500 },
    );
  });

  it('ffprobe-shaped output with hostile values: a MediaError or a sane MediaInfo', () => {
    fc.assert(
      fc.property(probeShaped, (json) => {
        const r = attempt(json);
        if (!(r instanceof MediaError)) expectSane(r);
      }),
      { numRuns: 1000 },
    );
  });

  it('takes negative or absurd numbers for unknown (cases the properties found)', () => {
    const info = parseProbe({ streams: [{ codec_type: 'video', width: 1, height: '1', duration: '-3', nb_frames: '10' }], format: { duration: '4', bit_rate: '-1' } });
    expect(info).toMatchObject({ durationSec: 4, frameCount: 10, bitRate: 0, fps: 0 });
    const huge = parseProbe({ streams: [{ codec_type: 'video', width: 2, height: 2, duration: '1e300', avg_frame_rate: '90000/1' }], format: {} });
    expect(huge.frameCount).toBe(0);
    expect(() => parseProbe({ streams: [{ codec_type: 'video', width: '1e20', height: 2, duration: '1' }], format: {} })).toThrow(/no picture size/);
  });

  it('a well-formed video stream: positive fps, the duration given, display size after rotation', () => {
    const wellFormed = fc.record({
      width: fc.integer({ min: 1, max: 16_384 }),
      height: fc.integer({ min: 1, max: 16_384 }),
      num: fc.integer({ min: 1, max: 240_000 }),
      den: fc.integer({ min: 1, max: 10_010 }),
      duration: fc.double({ min: 0.01, max: 1e6, noNaN: true }),
      rotation: fc.constantFrom(0, 90, 180, 270, -90, -180, -270),
      viaSideData: fc.boolean(),
    });
    fc.assert(
      fc.property(wellFormed, (v) => {
        const stream = {
          codec_type: 'video',
          codec_name: 'h264',
          width: v.width,
          height: v.height,
          avg_frame_rate: `${v.num}/${v.den}`,
          r_frame_rate: `${v.num}/${v.den}`,
          duration: v.duration.toFixed(6),
          // Side data states the turn counter-clockwise, the old tag clockwise.
          ...(v.viaSideData ? { side_data_list: [{ side_data_type: 'Display Matrix', rotation: -v.rotation }] } : { tags: { rotate: String(v.rotation) } }),
        };
        const info = parseProbe({ streams: [stream], format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '1.0', bit_rate: '1000' } });
        expectSane(info);
        expect(info.fps).toBeGreaterThan(0);
        expect(info.fps).toBeCloseTo(v.num / v.den, 9);
        expect(info.durationSec).toBeCloseTo(Number(v.duration.toFixed(6)), 9);
        const clockwise = (((v.rotation % 360) + 360) % 360) as MediaInfo['rotation'];
        expect(info.rotation).toBe(clockwise);
        const sideways = clockwise === 90 || clockwise === 270;
        expect([info.width, info.height]).toEqual(sideways ? [v.height, v.width] : [v.width, v.height]);
      }),
      { numRuns: 500 },
    );
  });
});
