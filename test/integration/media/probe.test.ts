import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateBinaries } from '../../../main/core/media/binaries.js';
import {
  CorruptMediaError,
  MediaError,
  MediaFileError,
  NotAVideoError,
  ToolAbortedError,
  ToolTimeoutError,
} from '../../../main/core/media/errors.js';
import { probe } from '../../../main/core/media/probe.js';
import { multiShotVideo, type GeneratedVideo } from '../../fixtures/generate.js';
import { pngImage, processesMentioning, rotatedCornerVideo, sineAudio, truncatedCopy } from './helpers.js';

const { ffprobe } = locateBinaries({ PATH: process.env.PATH });
let video: GeneratedVideo;
let dir: string;

beforeAll(() => {
  video = multiShotVideo();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-probe-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function probeError(file: string, opts = {}): Promise<MediaError> {
  try {
    await probe(ffprobe, file, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(MediaError);
    return err as MediaError;
  }
  throw new Error(`probe accepted ${file}`);
}

describe('probe on real files', () => {
  it('reads the generated H.264 video', async () => {
    expect(video.frames).toBe(355);
    expect(await probe(ffprobe, video.path)).toEqual({
      durationSec: 14.2, fps: 25, width: 320, height: 180, rotation: 0, videoCodec: 'h264', audioCodec: null,
      frameCount: 355, container: 'mov,mp4,m4a,3gp,3g2,mj2', bitRate: expect.any(Number),
    });
  });

  it('reports rotation clockwise and the upright size', async () => {
    const info = await probe(ffprobe, rotatedCornerVideo());
    expect(info).toMatchObject({ rotation: 270, width: 180, height: 320, frameCount: 50 });
  });

  it('reads a file whose name starts with "-" as a file, not an option', async () => {
    fs.copyFileSync(video.path, path.join(dir, '-y.mp4'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect((await probe(ffprobe, '-y.mp4')).frameCount).toBe(355);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('probe on files that are not usable videos', () => {
  it('missing file', async () => {
    const err = await probeError(path.join(dir, 'nope.mp4'));
    expect(err).toBeInstanceOf(MediaFileError);
    expect(err.message).toBe(`file not found: ${path.join(dir, 'nope.mp4')}`);
  });

  it('a folder', async () => {
    const err = await probeError(dir);
    expect(err).toBeInstanceOf(MediaFileError);
    expect(err.message).toMatch(/is a folder, not a video file$/);
  });

  it('zero-byte file', async () => {
    const file = path.join(dir, 'empty.mp4');
    fs.writeFileSync(file, '');
    const err = await probeError(file);
    expect(err).toBeInstanceOf(NotAVideoError);
    expect(err.message).toBe('empty file (0 bytes)');
  });

  it('text renamed .mp4', async () => {
    const file = path.join(dir, 'notes.mp4');
    fs.writeFileSync(file, 'Shot list\n1. wide\n2. close-up\n');
    const err = await probeError(file);
    expect(err).toBeInstanceOf(NotAVideoError);
    expect(err.message).toBe('not a video: the file contains text');
  });

  it('random bytes renamed .mp4', async () => {
    const file = path.join(dir, 'noise.mp4');
    fs.writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
    const err = await probeError(file);
    expect(err).toBeInstanceOf(NotAVideoError);
    expect(err.message).toMatch(/^not a video: ffmpeg does not recognise the file's format \(ffprobe: .+\)$/);
  });

  it('truncated MP4 (first 30 %, index at the end)', async () => {
    const err = await probeError(truncatedCopy(video.path, 0.3, path.join(dir, 'cut.mp4')));
    expect(err).toBeInstanceOf(CorruptMediaError);
    expect(err.message).toMatch(/^truncated or incomplete MP4\/MOV: its index \(moov atom\) is missing/);
  });

  it('audio only: AAC in .m4a, and MP3 renamed .mp4', async () => {
    const m4a = await probeError(sineAudio(path.join(dir, 'tone.m4a'), ['-c:a', 'aac']));
    expect(m4a).toBeInstanceOf(NotAVideoError);
    expect(m4a.message).toBe('no video stream (audio only: aac)');
    const mp3 = path.join(dir, 'tone-mp3.mp4');
    fs.renameSync(sineAudio(path.join(dir, 'tone.mp3'), []), mp3);
    expect((await probeError(mp3)).message).toBe('no video stream (audio only: mp3)');
  });

  it('PNG renamed .mp4', async () => {
    const file = path.join(dir, 'still.mp4');
    fs.renameSync(pngImage(path.join(dir, 'still.png')), file);
    const err = await probeError(file);
    expect(err).toBeInstanceOf(NotAVideoError);
    expect(err.message).toBe('not a video: a still image (png in png_pipe)');
  });

  it('a FIFO nobody writes to times out instead of hanging, and ffprobe is gone', async () => {
    if (process.platform === 'win32') return;
    const fifo = path.join(dir, 'stuck-probe.mp4');
    execFileSync('mkfifo', [fifo]);
    const err = await probeError(fifo, { timeoutMs: 500 });
    expect(err).toBeInstanceOf(ToolTimeoutError);
    expect(err.message).toBe('ffprobe took longer than 0.5 s and was stopped');
    expect(processesMentioning(fifo)).toEqual([]);
  });

  it('can be cancelled', async () => {
    if (process.platform === 'win32') return;
    const fifo = path.join(dir, 'cancel-probe.mp4');
    execFileSync('mkfifo', [fifo]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    expect(await probeError(fifo, { signal: ac.signal })).toBeInstanceOf(ToolAbortedError);
  });
});
