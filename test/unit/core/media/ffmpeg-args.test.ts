import { describe, expect, it } from 'vitest';
import { defaultPlan } from '../../../../main/core/media/decode-plan.js';
import { decodeArgs, decodeFilterGraph, formatRate, inputUrl, probeArgs, thumbScale } from '../../../../main/core/media/ffmpeg-args.js';
import type { MediaInfo } from '../../../../shared/types.js';

const info: MediaInfo = {
  durationSec: 14.2, fps: 25, width: 320, height: 180, rotation: 0, videoCodec: 'h264',
  audioCodec: null, frameCount: 355, container: 'mov,mp4,m4a,3gp,3g2,mj2', bitRate: 0,
};

/**
 * [w, h] of a thumbnail as ffmpeg's scale filter computes them from thumbScale(320)'s expressions
 * (if/gte/max/trunc mean the same in JS; ffmpeg divides in floating point too).
 */
function thumbSize(dar: number): [number, number] {
  const m = /^w='(.+)':h='(.+)'$/.exec(thumbScale(320))!;
  const evaluate = (expr: string, ow = 0): number =>
    new Function('dar', 'ow', 'iff', 'gte', 'max', 'trunc', `return ${expr.replace(/\bif\(/g, 'iff(')};`)(
      dar, ow, (c: number, a: number, b: number) => (c ? a : b), (a: number, b: number) => (a >= b ? 1 : 0), Math.max, Math.trunc,
    ) as number;
  const w = evaluate(m[1]!);
  return [w, evaluate(m[2]!, w)];
}

/** The value that follows `flag` in an argument list. */
const after = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('inputUrl', () => {
  it('keeps a file name that starts with "-" from being read as an option', () => {
    expect(inputUrl('-y.mp4')).toBe('file:-y.mp4');
    expect(probeArgs('-y.mp4').at(-1)).toBe('file:-y.mp4');
    expect(probeArgs('-y.mp4')).not.toContain('-y.mp4');
    expect(after(decodeArgs('-i.mp4', defaultPlan(info)), '-i')).toBe('file:-i.mp4');
  });

  it('keeps a colon in a name from being read as a protocol', () => {
    expect(inputUrl('take:2.mp4')).toBe('file:take:2.mp4');
  });
});

describe('probeArgs', () => {
  it('asks for JSON format and streams, errors only', () => {
    expect(probeArgs('/v/a.mp4')).toEqual([
      '-hide_banner', '-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', 'file:/v/a.mp4',
    ]);
  });
});

describe('formatRate', () => {
  it('writes thousandths and whole-second periods as exact fractions', () => {
    expect(formatRate(1)).toBe('1000/1000');
    expect(formatRate(0.042)).toBe('42/1000');
    expect(formatRate(1 / 7)).toBe('1/7');
  });
  it('falls back to a decimal for other rates and refuses nonsense', () => {
    expect(formatRate(30000 / 1001)).toBe('29.97002997');
    expect(() => formatRate(0)).toThrow(RangeError);
    expect(() => formatRate(Number.NaN)).toThrow(RangeError);
  });
});

describe('decodeFilterGraph', () => {
  const graph = decodeFilterGraph(defaultPlan(info));

  it('decodes the first non-cover-art video stream once and splits it', () => {
    expect(graph.startsWith('[0:V:0]split=2[shotin][samplein];')).toBe(true);
    expect(graph.match(/\[0:/g)).toHaveLength(1);
  });

  it('shrinks every frame with area averaging to the shot size in rgb24', () => {
    expect(graph).toContain('[shotin]scale=64:36:flags=area,format=rgb24[shot]');
  });

  it('samples with one fps filter shared by CNN frames and thumbnails, timestamps from 0, ticks rounded up', () => {
    expect(graph).toContain('[samplein]setpts=PTS-STARTPTS,fps=fps=1000/1000:round=up,split=2[cnnin][thumbin]');
    expect(graph.match(/fps=fps/g)).toHaveLength(1);
    expect(graph).toContain('[cnnin]scale=512:512:flags=bicubic,format=rgb24[sample]');
  });

  it('sizes thumbnails by width with an even height from the display aspect ratio', () => {
    expect(graph).toContain(`[thumbin]scale=${thumbScale(320)}:flags=bicubic,setsar=1,format=yuvj420p[thumb]`);
    expect(thumbSize(16 / 9)).toEqual([320, 180]);
    expect(thumbSize(9 / 16)).toEqual([320, 568]); // a rotated phone video stays portrait
    expect(thumbSize(4000 / 16)).toEqual([320, 2]);
  });

  it('narrows thumbnails of very tall pictures instead of exceeding the JPEG size limit', () => {
    // 16×4000 made a 320×80 000 thumbnail, which ffmpeg's mjpeg encoder refuses (limit 65 500).
    expect(thumbSize(16 / 4000)).toEqual([4, 1000]);
    expect(thumbSize(1 / 4)).toEqual([320, 1280]);
    expect(thumbSize(2 / 10_000)).toEqual([2, 10_000]);
    for (const dar of [1e-4, 0.01, 0.2, 0.25, 0.3, 1, 3, 300]) {
      const [w, h] = thumbSize(dar);
      expect(w % 2 === 0 && h % 2 === 0 && w >= 2 && h >= 2 && w <= 320 && h < 65_500).toBe(true);
    }
  });

  it('rejects sizes ffmpeg would choke on', () => {
    const plan = defaultPlan(info);
    expect(() => decodeFilterGraph({ ...plan, thumb: { width: 321 } })).toThrow(/even/);
    expect(() => decodeFilterGraph({ ...plan, shot: { width: 0, height: 36 } })).toThrow(RangeError);
    expect(() => decodeFilterGraph({ ...plan, sample: { width: 512, height: 1.5, fps: 1 } })).toThrow(RangeError);
  });
});

describe('decodeArgs', () => {
  const args = decodeArgs('/v/a.mp4', defaultPlan(info));

  it('never reads stdin and logs errors only', () => {
    expect(args.slice(0, 5)).toEqual(['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error']);
  });

  it('maps each graph output to its own pipe fd', () => {
    const outs = args.filter((a) => a.startsWith('pipe:'));
    expect(outs).toEqual(['pipe:3', 'pipe:4', 'pipe:5']);
    const maps = args.flatMap((a, i) => (a === '-map' ? [args[i + 1]] : []));
    expect(maps).toEqual(['[shot]', '[sample]', '[thumb]']);
  });

  it('passes every frame through unchanged in count (no drop, no duplicate) on every output', () => {
    const modes = args.flatMap((a, i) => (a === '-fps_mode' ? [args[i + 1]] : []));
    expect(modes).toEqual(['passthrough', 'passthrough', 'passthrough']);
  });

  it('writes raw rgb24 for the frame streams and back-to-back JPEGs for thumbnails', () => {
    const shot = args.slice(args.indexOf('[shot]'), args.indexOf('pipe:3') + 1);
    expect(shot).toEqual(['[shot]', '-fps_mode', 'passthrough', '-c:v', 'rawvideo', '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:3']);
    const thumb = args.slice(args.indexOf('[thumb]'));
    expect(after(thumb, '-c:v')).toBe('mjpeg');
    expect(after(thumb, '-f')).toBe('image2pipe');
  });

  it('takes other fds when asked', () => {
    const other = decodeArgs('/v/a.mp4', defaultPlan(info), { shot: 7, sample: 8, thumb: 9 });
    expect(other.filter((a) => a.startsWith('pipe:'))).toEqual(['pipe:7', 'pipe:8', 'pipe:9']);
  });

  it('is one argument array, never a shell string', () => {
    expect(args.every((a) => typeof a === 'string')).toBe(true);
    expect(args).not.toContain('|');
  });
});
