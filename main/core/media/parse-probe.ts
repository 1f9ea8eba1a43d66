// ffprobe's JSON (-show_format -show_streams) reduced to MediaInfo, or a reason it is not a video.
import type { MediaInfo } from '../../../shared/types.js';
import { MediaError, NotAVideoError } from './errors.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && v !== 'N/A' ? v : undefined);

/** ffprobe prints most numbers as strings ("2.000000", "N/A"); a finite number or undefined. */
function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A number above 0 (a duration, a count, a size, a bit rate), or undefined: 0, negatives and junk mean "unknown". */
function positive(v: unknown): number | undefined {
  const n = num(v);
  return n !== undefined && n > 0 ? n : undefined;
}

/** A count for MediaInfo: a whole number that stays exact, else 0 ("unknown"). */
function count(n: number | undefined): number {
  const r = Math.round(n ?? 0);
  return Number.isSafeInteger(r) && r > 0 ? r : 0;
}

/** "30000/1001" → 29.97; "0/0" and junk → undefined. */
function rate(v: unknown): number | undefined {
  const s = str(v);
  if (!s) return undefined;
  const [a, b = '1'] = s.split('/');
  const r = Number(a) / Number(b);
  return Number.isFinite(r) && r > 0 ? r : undefined;
}

/** Matroska keeps a stream's duration as a tag: "00:00:02.007000000". */
function clockSeconds(v: unknown): number | undefined {
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(str(v) ?? '');
  if (!m) return undefined;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Clockwise quarter turns in degrees, from any angle. */
export function normaliseRotation(deg: number): MediaInfo['rotation'] {
  const quarter = ((Math.round(deg / 90) % 4) + 4) % 4;
  return ([0, 90, 180, 270] as const)[quarter]!;
}

/**
 * Clockwise rotation a player applies. The display matrix side data ffprobe ≥5 prints says
 * "rotation" counter-clockwise (iPhone portrait: -90); the older `rotate` tag says it clockwise (90).
 */
export function streamRotation(stream: Json): MediaInfo['rotation'] {
  const sideData = Array.isArray(stream.side_data_list) ? stream.side_data_list : [];
  for (const sd of sideData) {
    const r = isObject(sd) ? num(sd.rotation) : undefined;
    if (r !== undefined) return normaliseRotation(-r);
  }
  const tag = isObject(stream.tags) ? num(stream.tags.rotate) : undefined;
  return tag !== undefined ? normaliseRotation(tag) : 0;
}

// Demuxers ffmpeg uses for single pictures (image2, png_pipe, jpeg_pipe, …); a "video" stream in
// one is a still image. Animated formats (gif, apng) have demuxers of their own and pass.
const isImageContainer = (format: string): boolean => format === 'image2' || format.endsWith('_pipe');

// Streamed formats without an index: ffprobe estimates their duration from timestamps it reads,
// and for a stream of one or two frames it has none to go by. Only the decode can count them.
const UNINDEXED = new Set(['mpegts', 'mpeg', 'mpegvideo', 'h264', 'hevc', 'm4v']);
const hasNoIndex = (format: string): boolean => format.split(',').some((f) => UNINDEXED.has(f));

const isCoverArt = (s: Json): boolean => isObject(s.disposition) && s.disposition.attached_pic === 1;

function noVideoReason(streams: Json[]): string {
  const audio = streams.filter((s) => s.codec_type === 'audio').map((s) => str(s.codec_name) ?? 'unknown codec');
  const cover = streams.some((s) => s.codec_type === 'video' && isCoverArt(s));
  if (audio.length > 0) return `no video stream (audio only: ${[...new Set(audio)].join(', ')}${cover ? ', with cover art' : ''})`;
  const kinds = [...new Set(streams.map((s) => str(s.codec_type) ?? 'unknown'))];
  return kinds.length > 0 ? `no video stream (only ${kinds.join(', ')})` : 'no video stream (the file has no streams at all)';
}

/** Pure: ffprobe JSON → MediaInfo. Throws NotAVideoError with a reason a person can act on. */
export function parseProbe(json: unknown): MediaInfo {
  if (!isObject(json) || !Array.isArray(json.streams) || !isObject(json.format)) {
    throw new MediaError('ffprobe output lacks "streams" or "format" (not ffprobe -show_format -show_streams JSON)');
  }
  const streams = json.streams.filter(isObject);
  const format = json.format;
  const container = str(format.format_name) ?? 'unknown';
  // Cover art is a "video" stream too; ffmpeg's own stream specifier 0:V skips it the same way.
  const video = streams.find((s) => s.codec_type === 'video' && !isCoverArt(s));
  if (!video) throw new NotAVideoError(noVideoReason(streams));

  const codec = str(video.codec_name) ?? 'unknown';
  if (isImageContainer(container)) throw new NotAVideoError(`not a video: a still image (${codec} in ${container})`);
  const fps = rate(video.avg_frame_rate) ?? rate(video.r_frame_rate) ?? 0;
  // A damaged file can make ffprobe print negative or absurd numbers: those count as unknown.
  const duration = positive(video.duration) ?? positive(clockSeconds(isObject(video.tags) ? video.tags.DURATION : undefined)) ?? positive(format.duration) ?? 0;
  const nbFrames = count(positive(video.nb_frames));
  if (duration <= 0 && nbFrames === 0 && !hasNoIndex(container)) {
    throw new NotAVideoError(`not a video: the ${codec} stream has no duration and no frame count (a still image?)`);
  }
  const codedW = count(positive(video.width));
  const codedH = count(positive(video.height));
  if (codedW === 0 || codedH === 0) throw new NotAVideoError(`not a video: the ${codec} stream has no picture size`);

  const rotation = streamRotation(video);
  const sideways = rotation === 90 || rotation === 270;
  const audio = streams.find((s) => s.codec_type === 'audio');
  return {
    durationSec: duration,
    fps,
    width: sideways ? codedH : codedW,
    height: sideways ? codedW : codedH,
    rotation,
    videoCodec: codec,
    audioCodec: audio ? (str(audio.codec_name) ?? 'unknown') : null,
    frameCount: nbFrames > 0 ? nbFrames : count(duration * fps),
    container,
    bitRate: count(positive(format.bit_rate)),
  };
}
