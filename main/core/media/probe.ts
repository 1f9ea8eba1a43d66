// probe(): what a file holds, or a MediaError that says why Reeltag cannot use it.
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import type { MediaInfo } from '../../../shared/types.js';
import { MediaError, MediaFileError, NotAVideoError, ToolFailedError } from './errors.js';
import { probeArgs } from './ffmpeg-args.js';
import { parseProbe } from './parse-probe.js';
import { explainNoStreams, explainProbeFailure, SNIFF_BYTES } from './probe-failure.js';
import { runTool } from './spawn.js';

export { parseProbe } from './parse-probe.js';

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Default 30 s: ffprobe reads headers only, so longer means a stuck pipe or drive. */
  timeoutMs?: number;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 30_000;
/** ffprobe JSON for even a file with hundreds of streams stays far below this. */
const MAX_PROBE_JSON = 16 * 1024 * 1024;

async function readHead(file: string): Promise<Uint8Array> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function statOrExplain(file: string): Promise<Stats> {
  try {
    return await fs.stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new MediaFileError(file, `file not found: ${file}`);
    if (code === 'EACCES' || code === 'EPERM') throw new MediaFileError(file, `cannot read the file: permission denied (${file})`);
    throw new MediaFileError(file, `cannot open ${file}: ${(err as Error).message}`);
  }
}

/**
 * ffprobe's JSON lists no stream with a codec: none at all, or only the shell of a track whose
 * description was cut off (codec_type "data", no codec_name), as in an MP4 whose index lost its tail.
 */
function namesNoCodec(json: unknown): boolean {
  const streams = typeof json === 'object' && json !== null ? (json as { streams?: unknown }).streams : undefined;
  return Array.isArray(streams) && streams.every((s) => typeof s !== 'object' || s === null || !(s as { codec_name?: unknown }).codec_name);
}

export async function probe(ffprobe: string, file: string, opts: ProbeOptions = {}): Promise<MediaInfo> {
  const st = await statOrExplain(file);
  if (st.isDirectory()) throw new MediaFileError(file, `${file} is a folder, not a video file`);
  if (st.isFile() && st.size === 0) throw new NotAVideoError('empty file (0 bytes)', file);

  let stdout: Buffer;
  try {
    ({ stdout } = await runTool(ffprobe, probeArgs(file), {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
      maxStdout: MAX_PROBE_JSON,
    }));
  } catch (err) {
    // Only a regular file is sniffed: reading the head of a FIFO or device could block forever.
    if (err instanceof ToolFailedError && st.isFile()) {
      const head = await readHead(file).catch(() => new Uint8Array(0));
      throw explainProbeFailure(file, head, err.stderr);
    }
    throw err;
  }

  let json: unknown;
  try {
    json = JSON.parse(stdout.toString('utf8'));
  } catch {
    throw new MediaError(`ffprobe printed something that is not JSON for ${file}`);
  }
  try {
    return parseProbe(json);
  } catch (err) {
    if (!(err instanceof NotAVideoError)) throw err;
    if (namesNoCodec(json) && st.isFile()) {
      const damaged = explainNoStreams(file, await readHead(file).catch(() => new Uint8Array(0)));
      if (damaged) throw damaged;
    }
    throw new NotAVideoError(err.reason, file);
  }
}
