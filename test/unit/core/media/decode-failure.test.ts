import { describe, expect, it } from 'vitest';
import { explainDecodeFailure } from '../../../../main/core/media/decode-failure.js';
import { CorruptMediaError, ToolFailedError } from '../../../../main/core/media/errors.js';

// What ffmpeg 5.1 prints decoding an MP4 (moov first) cut off inside its first keyframe.
const cutInFirstFrame = [
  '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55dd005efc40] stream 0, offset 0xaa1: partial file',
  'Cannot determine format of input stream 0:0 after EOF',
  'Error marking filters as finished',
  '',
].join('\n');

describe('explainDecodeFailure', () => {
  it('says a file whose first frame is cut off is cut short, quoting ffmpeg’s cause without the demuxer address', () => {
    const err = explainDecodeFailure(new ToolFailedError('ffmpeg', 1, null, cutInFirstFrame), 0);
    expect(err).toBeInstanceOf(CorruptMediaError);
    expect(err.message).toBe('no video frame could be decoded: the video data is cut short or damaged (ffmpeg: stream 0, offset 0xaa1: partial file)');
  });

  it('leaves other failures, and failures after some frames, as they are', () => {
    const other = new ToolFailedError('ffmpeg', 1, null, 'Error while opening encoder for output stream #2:0\n');
    expect(explainDecodeFailure(other, 0)).toBe(other);
    const late = new ToolFailedError('ffmpeg', 1, null, cutInFirstFrame);
    expect(explainDecodeFailure(late, 3)).toBe(late);
  });

  it('still explains when ffmpeg gives no cause of its own', () => {
    const err = explainDecodeFailure(new ToolFailedError('ffmpeg', 1, null, 'Cannot determine format of input stream 0:0 after EOF\n'), 0);
    expect(err.message).toBe('no video frame could be decoded: the video data is cut short or damaged');
  });
});
