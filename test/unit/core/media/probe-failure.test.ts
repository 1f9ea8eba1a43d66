import { describe, expect, it } from 'vitest';
import { CorruptMediaError, MediaFileError, NotAVideoError } from '../../../../main/core/media/errors.js';
import { explainNoStreams, explainProbeFailure, looksLikeText, sniffContainer } from '../../../../main/core/media/probe-failure.js';

// What ffprobe 5.1 prints for a cut-short MP4 and, identically, for a text file renamed .mp4.
const moovMissing = (f: string): string =>
  `[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55dbca2801c0] moov atom not found\nfile:${f}: Invalid data found when processing input\n`;
const mp4Head = Buffer.from([0, 0, 0, 0x20, ...Buffer.from('ftypisom'), 0, 0, 2, 0]);

describe('sniffContainer', () => {
  it('knows the common video containers by their first bytes', () => {
    expect(sniffContainer(mp4Head)).toBe('MP4/MOV');
    expect(sniffContainer(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 1]))).toBe('Matroska/WebM');
    expect(sniffContainer(Buffer.from('RIFF\0\0\0\0AVI LIST'))).toBe('AVI');
    expect(sniffContainer(Buffer.from('hello'))).toBeNull();
    expect(sniffContainer(new Uint8Array(0))).toBeNull();
  });
});

describe('looksLikeText', () => {
  it('accepts ASCII and UTF-8 text, refuses binary', () => {
    expect(looksLikeText(Buffer.from('just some notes\r\n\tand more: ünïcödé'))).toBe(true);
    expect(looksLikeText(Buffer.from('ünï').subarray(0, 4))).toBe(true); // cut inside a character
    expect(looksLikeText(mp4Head)).toBe(false);
    expect(looksLikeText(Buffer.from([0xc3, 0x28]))).toBe(false);
    expect(looksLikeText(new Uint8Array(0))).toBe(false);
  });
});

describe('explainProbeFailure', () => {
  it('calls an MP4 without its index truncated and says how that happens', () => {
    const err = explainProbeFailure('/v/cut.mp4', mp4Head, moovMissing('/v/cut.mp4'));
    expect(err).toBeInstanceOf(CorruptMediaError);
    expect(err.message).toMatch(/^truncated or incomplete MP4\/MOV: its index \(moov atom\) is missing/);
  });

  it('calls text renamed .mp4 text, despite the same ffprobe message', () => {
    const err = explainProbeFailure('/v/notes.mp4', Buffer.from('hello\n'), moovMissing('/v/notes.mp4'));
    expect(err).toBeInstanceOf(NotAVideoError);
    expect(err.message).toBe('not a video: the file contains text');
  });

  it('quotes ffprobe without the input URL for unknown binary data', () => {
    const err = explainProbeFailure('/v/x.bin', Buffer.from([0, 1, 2, 3, 0xfe]), 'file:/v/x.bin: Invalid data found when processing input\n');
    expect(err).toBeInstanceOf(NotAVideoError);
    expect(err.message).toBe("not a video: ffmpeg does not recognise the file's format (ffprobe: Invalid data found when processing input)");
  });

  it('calls a damaged container damaged', () => {
    const err = explainProbeFailure('/v/a.mkv', Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), 'file:/v/a.mkv: End of file\n');
    expect(err).toBeInstanceOf(CorruptMediaError);
    expect(err.message).toBe('damaged or truncated Matroska/WebM file (ffprobe: End of file)');
  });

  it('reports permission problems as such', () => {
    const err = explainProbeFailure('/v/a.mp4', new Uint8Array(0), 'file:/v/a.mp4: Permission denied\n');
    expect(err).toBeInstanceOf(MediaFileError);
    expect(err.message).toMatch(/permission denied/);
  });
});

describe('explainNoStreams', () => {
  it('calls an MP4 whose index lost its tail truncated, not "no streams"', () => {
    // ffprobe 5.1 exits 0 with "streams": [] (or one codec-less "data" stream) on an MP4 whose
    // trailing moov lost its tail.
    const err = explainNoStreams('/v/cut.mp4', mp4Head);
    expect(err).toBeInstanceOf(CorruptMediaError);
    expect(err!.message).toMatch(/^truncated or incomplete MP4\/MOV: its index \(moov atom\) is cut short/);
    expect(explainNoStreams('/v/a.mkv', Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))!.message).toBe(
      'damaged or truncated Matroska/WebM file: ffprobe found no usable stream in it',
    );
  });

  it('leaves files that are no video container to the "no streams" reason', () => {
    expect(explainNoStreams('/v/x.mp4', Buffer.from('hello\n'))).toBeNull();
    expect(explainNoStreams('/v/x.mp4', new Uint8Array(0))).toBeNull();
  });
});
