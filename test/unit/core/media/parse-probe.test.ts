// Fixtures are verbatim `ffprobe -v error -print_format json -show_format -show_streams` output of
// Debian's ffprobe 5.1 on files made with lavfi (fixtures/probe/*.json).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MediaError, NotAVideoError } from '../../../../main/core/media/errors.js';
import { normaliseRotation, parseProbe, streamRotation } from '../../../../main/core/media/parse-probe.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures/probe', `${name}.json`), 'utf8')) as Record<string, unknown>;

/** A fixture with the first stream's fields replaced. */
function withVideo(name: string, patch: Record<string, unknown>, formatPatch: Record<string, unknown> = {}): unknown {
  const j = fixture(name);
  const [first, ...rest] = j.streams as Record<string, unknown>[];
  return { ...j, streams: [{ ...first, ...patch }, ...rest], format: { ...(j.format as object), ...formatPatch } };
}

function reasonOf(json: unknown): string {
  try {
    parseProbe(json);
  } catch (err) {
    expect(err).toBeInstanceOf(NotAVideoError);
    return (err as Error).message;
  }
  throw new Error('parseProbe accepted it');
}

describe('parseProbe on real ffprobe output', () => {
  it('reads an H.264 MP4', () => {
    expect(parseProbe(fixture('h264-mp4'))).toEqual({
      durationSec: 2, fps: 25, width: 320, height: 180, rotation: 0, videoCodec: 'h264', audioCodec: null,
      frameCount: 50, container: 'mov,mp4,m4a,3gp,3g2,mj2', bitRate: 227768,
    });
  });

  it('turns display-matrix side data into clockwise rotation and swaps the size', () => {
    // `-metadata:s:v rotate=90` in ffmpeg 5.1 writes a matrix ffprobe reports as rotation 90,
    // i.e. 90° counter-clockwise: players turn the picture 270° clockwise.
    const info = parseProbe(fixture('rotate90-tag-mp4'));
    expect(info.rotation).toBe(270);
    expect([info.width, info.height]).toEqual([180, 320]);
  });

  it('reads a Matroska stream whose duration is only a DURATION tag and counts frames from it', () => {
    const info = parseProbe(fixture('vp9-opus-mkv'));
    expect(info).toMatchObject({ videoCodec: 'vp9', audioCodec: 'opus', fps: 25, width: 320, height: 180, container: 'matroska,webm' });
    expect(info.durationSec).toBeCloseTo(2.007, 3);
    expect(info.frameCount).toBe(50);
  });

  it('says "audio only" with the codec for mp3 and m4a', () => {
    expect(reasonOf(fixture('audio-mp3'))).toBe('no video stream (audio only: mp3)');
    expect(reasonOf(fixture('audio-m4a'))).toBe('no video stream (audio only: aac)');
  });

  it('does not take an mp3 cover picture for a video', () => {
    expect(reasonOf(fixture('mp3-cover-art'))).toBe('no video stream (audio only: mp3, with cover art)');
  });

  it('calls png and jpeg "videos" still images', () => {
    expect(reasonOf(fixture('image-png'))).toBe('not a video: a still image (png in png_pipe)');
    expect(reasonOf(fixture('image-jpeg'))).toBe('not a video: a still image (mjpeg in jpeg_pipe)');
    expect(reasonOf(withVideo('image-jpeg', {}, { format_name: 'image2' }))).toMatch(/still image \(mjpeg in image2\)/);
  });
});

describe('parseProbe edge cases', () => {
  it('falls back to r_frame_rate when avg_frame_rate is 0/0', () => {
    expect(parseProbe(withVideo('h264-mp4', { avg_frame_rate: '0/0', r_frame_rate: '30000/1001' })).fps).toBeCloseTo(29.97, 2);
  });

  it('estimates frameCount as round(duration × fps) without nb_frames', () => {
    const { nb_frames: _drop, ...rest } = (fixture('h264-mp4').streams as Record<string, unknown>[])[0]!;
    const info = parseProbe({ ...fixture('h264-mp4'), streams: [{ ...rest, duration: '3.37', avg_frame_rate: '30000/1001' }] });
    expect(info.frameCount).toBe(Math.round(3.37 * 30000 / 1001));
  });

  it('uses the format duration when the stream has none', () => {
    const info = parseProbe(withVideo('h264-mp4', { duration: 'N/A', nb_frames: undefined }, { duration: '4.000000' }));
    expect(info.durationSec).toBe(4);
    expect(info.frameCount).toBe(100);
  });

  it('rejects a stream with zero duration and no frames', () => {
    const json = withVideo('h264-mp4', { duration: undefined, nb_frames: undefined }, { duration: undefined });
    expect(reasonOf(json)).toMatch(/no duration and no frame count/);
  });

  it('accepts a one-frame MPEG-TS/PS stream that ffprobe cannot time, leaving the count to the decode', () => {
    // ffprobe 5.1 on a one-frame mpeg2video .ts/.mpg: avg_frame_rate 0/0, duration and nb_frames N/A.
    const stream = { codec_name: 'mpeg2video', avg_frame_rate: '0/0', r_frame_rate: '25/1', duration: undefined, nb_frames: undefined };
    for (const format_name of ['mpegts', 'mpeg']) {
      const info = parseProbe(withVideo('h264-mp4', stream, { format_name, duration: undefined }));
      expect(info).toMatchObject({ durationSec: 0, frameCount: 0, fps: 25, videoCodec: 'mpeg2video', container: format_name });
    }
  });

  it('reads the old clockwise rotate tag (ffprobe ≤ 4)', () => {
    const info = parseProbe(withVideo('h264-mp4', { tags: { rotate: '90' } }));
    expect(info.rotation).toBe(90);
    expect([info.width, info.height]).toEqual([180, 320]);
  });

  it('prefers side data over the tag, and an iPhone portrait (-90) is 90 clockwise', () => {
    expect(streamRotation({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }], tags: { rotate: '180' } })).toBe(90);
    expect(streamRotation({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] })).toBe(180);
    expect(streamRotation({ side_data_list: [{ side_data_type: 'Stereo 3D' }] })).toBe(0);
  });

  it('normalises any angle to a clockwise quarter turn', () => {
    expect([0, 90, -90, 180, -180, 270, 360, 450, -270, 89.6].map(normaliseRotation)).toEqual([0, 90, 270, 180, 180, 270, 0, 90, 90, 90]);
  });

  it('explains files with no streams or no video', () => {
    expect(reasonOf({ streams: [], format: { format_name: 'tty' } })).toBe('no video stream (the file has no streams at all)');
    expect(reasonOf({ streams: [{ codec_type: 'subtitle', codec_name: 'subrip' }], format: {} })).toBe('no video stream (only subtitle)');
  });

  it('rejects JSON that is not ffprobe output without crashing', () => {
    for (const junk of [null, 42, 'x', [], {}, { streams: 'no' }, { streams: [] }]) {
      expect(() => parseProbe(junk)).toThrow(MediaError);
    }
  });

  it('rejects a video stream without a picture size', () => {
    expect(reasonOf(withVideo('h264-mp4', { width: 0 }))).toMatch(/no picture size/);
  });
});
