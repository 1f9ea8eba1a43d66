// Why ffprobe could not read a file, in words a person can act on. ffprobe's own message is the
// same ("moov atom not found / Invalid data found") for a cut-short MP4 and a text file renamed
// .mp4, so the first bytes of the file decide which it is.
import { inputUrl } from './ffmpeg-args.js';
import { CorruptMediaError, lastMeaningfulLines, MediaError, MediaFileError, NotAVideoError } from './errors.js';

/** How many leading bytes explainProbeFailure wants to see. */
export const SNIFF_BYTES = 512;

const ascii = (head: Uint8Array, from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));

/** The container a file's first bytes announce, for the video formats people actually have. */
export function sniffContainer(head: Uint8Array): string | null {
  const box = ascii(head, 4, 8);
  if (['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip', 'pnot'].includes(box)) return 'MP4/MOV';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'Matroska/WebM';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 11) === 'AVI') return 'AVI';
  if (ascii(head, 0, 3) === 'FLV') return 'FLV';
  if (head[0] === 0x47 && (head.length < 189 || head[188] === 0x47)) return 'MPEG-TS';
  if (head[0] === 0 && head[1] === 0 && head[2] === 1 && head[3] === 0xba) return 'MPEG-PS';
  if (head[0] === 0x30 && head[1] === 0x26 && head[2] === 0xb2 && head[3] === 0x75) return 'ASF/WMV';
  return null;
}

/** Printable text (ASCII or UTF-8) with no control bytes other than whitespace. */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  for (const b of head) {
    if (b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0c) continue;
    if (b < 0x20 || b === 0x7f) return false;
  }
  try {
    // A chunk may end inside a multi-byte character; `stream: true` tolerates exactly that.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

export function explainProbeFailure(file: string, head: Uint8Array, stderr: string): MediaError {
  // ffprobe prefixes its verdict with the input URL, which the caller already knows.
  const said = lastMeaningfulLines(stderr, 1).split(`${inputUrl(file)}: `).join('');
  if (/permission denied/i.test(stderr)) return new MediaFileError(file, `cannot read the file: permission denied (${file})`);
  const container = sniffContainer(head);
  if (container === 'MP4/MOV' && /moov atom not found/i.test(stderr)) {
    return new CorruptMediaError(
      'truncated or incomplete MP4/MOV: its index (moov atom) is missing, so the file was probably cut short while recording, downloading or copying',
      file,
    );
  }
  if (container) return new CorruptMediaError(`damaged or truncated ${container} file (ffprobe: ${said || 'no details'})`, file);
  if (looksLikeText(head)) return new NotAVideoError('not a video: the file contains text', file);
  return new NotAVideoError(`not a video: ffmpeg does not recognise the file's format (ffprobe: ${said || 'no details'})`, file);
}

/**
 * Why ffprobe read a file without error yet found no stream with a codec in it. A container whose
 * first bytes are a video container's and that lists nothing usable is damaged, usually cut
 * short: an MP4 whose index (moov atom, at the end) lost its tail opens, but describes no track
 * or only a track's shell. Null when the file does not look like a video container: then
 * "no video stream" is the honest answer.
 */
export function explainNoStreams(file: string, head: Uint8Array): CorruptMediaError | null {
  const container = sniffContainer(head);
  if (container === 'MP4/MOV') {
    return new CorruptMediaError(
      'truncated or incomplete MP4/MOV: its index (moov atom) is cut short and describes no complete track, so the file was probably cut short while recording, downloading or copying',
      file,
    );
  }
  return container ? new CorruptMediaError(`damaged or truncated ${container} file: ffprobe found no usable stream in it`, file) : null;
}
