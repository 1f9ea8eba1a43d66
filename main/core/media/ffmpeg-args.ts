// Every ffmpeg/ffprobe argument list Reeltag uses, built by pure functions so tests can read them.
import type { DecodePlan } from './decode-plan.js';

/**
 * The input as ffmpeg should read it. The `file:` protocol prefix means a name that starts with
 * "-" is never taken for an option and a name with a colon ("take:2.mp4") never for a protocol.
 */
export function inputUrl(file: string): string {
  return `file:${file}`;
}

export function probeArgs(file: string): string[] {
  return ['-hide_banner', '-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', inputUrl(file)];
}

export function versionArgs(): string[] {
  return ['-version'];
}

/** Which fd of the ffmpeg process each decode output is written to (spawn's stdio index). */
export interface DecodeFds {
  shot: number;
  sample: number;
  thumb: number;
}
export const DECODE_FDS: Readonly<DecodeFds> = Object.freeze({ shot: 3, sample: 4, thumb: 5 });

/**
 * A frame rate as ffmpeg reads it. n/1000 and 1/n are passed as exact fractions; anything else
 * as a decimal, which ffmpeg turns into the nearest fraction.
 */
export function formatRate(fps: number): string {
  if (!(fps > 0) || !Number.isFinite(fps)) throw new RangeError(`frame rate must be positive, got ${fps}`);
  const milli = Math.round(fps * 1000);
  if (Math.abs(milli - fps * 1000) < 1e-6) return `${milli}/1000`;
  const period = Math.round(1 / fps);
  if (Math.abs(period - 1 / fps) < 1e-9) return `1/${period}`;
  return String(Number(fps.toPrecision(12)));
}

function checkSize(what: string, n: number, even = false): void {
  if (!Number.isInteger(n) || n <= 0 || (even && n % 2 !== 0)) {
    throw new RangeError(`${what} must be a positive${even ? ' even' : ''} integer, got ${n}`);
  }
}

/**
 * One decode, three outputs. The fps filter sits before the split into CNN frames and
 * thumbnails so both come from the very same frames. Autorotation (on by default) rotates
 * the decoded frames before this graph sees them.
 */
export function decodeFilterGraph(plan: DecodePlan): string {
  const { shot, sample, thumb } = plan;
  checkSize('shot width', shot.width);
  checkSize('shot height', shot.height);
  checkSize('sample width', sample.width);
  checkSize('sample height', sample.height);
  checkSize('thumbnail width', thumb.width, true);
  return [
    '[0:V:0]split=2[shotin][samplein]',
    // area averaging: every frame is shrunk a lot, and aliasing would look like motion.
    `[shotin]scale=${shot.width}:${shot.height}:flags=area,format=rgb24[shot]`,
    // Sample i is the frame on screen at i / fps seconds after the first video frame. setpts:
    // ffmpeg shifts timestamps by the file's start only, so video that starts after the audio
    // (0.5 s in) would otherwise lose its first tick. round=up maps each frame to the next tick,
    // so a tick keeps the last frame at or before it; the default (near) picks one half an
    // interval later.
    `[samplein]setpts=PTS-STARTPTS,fps=fps=${formatRate(sample.fps)}:round=up,split=2[cnnin][thumbin]`,
    `[cnnin]scale=${sample.width}:${sample.height}:flags=bicubic,format=rgb24[sample]`,
    // Height from the display aspect ratio (dar includes a non-square pixel aspect), rounded
    // to even because the JPEG is 4:2:0. A picture taller than THUMB_MAX_TALL widths (a 16×4000
    // strip) is narrowed instead, so the JPEG stays far below its 65 500-pixel limit.
    `[thumbin]scale=${thumbScale(thumb.width)}:flags=bicubic,setsar=1,format=yuvj420p[thumb]`,
  ].join(';');
}

/** Thumbnails are at most this many times taller than wide. */
export const THUMB_MAX_TALL = 4;

/**
 * The thumbnail's scale options: `width` wide and as tall as the display aspect ratio says, or,
 * for pictures taller than THUMB_MAX_TALL × width, that tall and narrower; both sides even, ≥ 2.
 * Quoted, because the expressions hold commas that would otherwise end the filter.
 */
export function thumbScale(width: number): string {
  const maxHeight = THUMB_MAX_TALL * width;
  const w = `if(gte(dar,${width}/${maxHeight}),${width},max(2,trunc(${maxHeight}*dar/2)*2))`;
  return `w='${w}':h='max(2,trunc(ow/dar/2+0.5)*2)'`;
}

export function decodeArgs(input: string, plan: DecodePlan, fds: Readonly<DecodeFds> = DECODE_FDS): string[] {
  // passthrough: rawvideo has no timestamps, so ffmpeg's default for it (constant frame rate)
  // would drop or duplicate frames to fit the nominal rate; frame n must be decoded frame n.
  const raw = ['-fps_mode', 'passthrough', '-c:v', 'rawvideo', '-pix_fmt', 'rgb24', '-f', 'rawvideo'];
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'error',
    '-i',
    inputUrl(input),
    '-filter_complex',
    decodeFilterGraph(plan),
    '-map',
    '[shot]',
    ...raw,
    `pipe:${fds.shot}`,
    '-map',
    '[sample]',
    ...raw,
    `pipe:${fds.sample}`,
    '-map',
    '[thumb]',
    '-fps_mode',
    'passthrough',
    '-c:v',
    'mjpeg',
    '-q:v',
    '3',
    '-f',
    'image2pipe',
    `pipe:${fds.thumb}`,
  ];
}
