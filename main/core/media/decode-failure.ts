// Why a decode failed, when ffmpeg's own last words would not tell a person. A video whose first
// frame is already cut off (an MP4 truncated inside its first keyframe) makes ffmpeg 5.1 fail with
// "Cannot determine format of input stream 0:0 after EOF": the filter graph never saw a frame.
import { CorruptMediaError, lastMeaningfulLines, type ToolFailedError } from './errors.js';

const NO_FRAME_BEFORE_EOF = /Cannot determine format of input stream \S+ after EOF/;
/** ffmpeg's consequences of that, which say nothing about the file. */
const GENERIC = [NO_FRAME_BEFORE_EOF, /^Error marking filters as finished/, /^Error while decoding stream/, /^Conversion failed/];

/** `failure` itself, or a clearer error when ffmpeg failed before a single frame came out. */
export function explainDecodeFailure(failure: ToolFailedError, framesDecoded: number): Error {
  if (framesDecoded > 0 || !NO_FRAME_BEFORE_EOF.test(failure.stderr)) return failure;
  const cause = failure.stderr
    .split(/\r?\n|\r/)
    // "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55dd005efc40] " names a demuxer instance, not the problem.
    .map((l) => l.trim().replace(/^\[[^\]]* @ 0x[0-9a-f]+\] /, ''))
    .filter((l) => l.length > 0 && !GENERIC.some((g) => g.test(l)));
  const said = lastMeaningfulLines(cause.join('\n'), 1);
  return new CorruptMediaError(`no video frame could be decoded: the video data is cut short or damaged${said ? ` (ffmpeg: ${said})` : ''}`);
}
