// Answers a media request (a video file or a thumbnail) as status + headers + body, shared by
// the Electron protocol handler and the HTTP server. The file path comes from the library (a
// media row), never from the URL; it is still checked here: absolute, normalised, a regular file,
// and not a symlink (opened with O_NOFOLLOW, so it cannot be swapped for one in between).
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { MediaLookup } from '../worker/protocol.js';
import { contentTypeOf } from './content-type.js';
import { parseRange } from './range.js';

export interface MediaReply {
  status: number;
  headers: Record<string, string>;
  /** A stream for file bodies, bytes for thumbnails and error text, null for HEAD. */
  body: Readable | Uint8Array | null;
}

// A media URL is only ever a <video> or <img> source. Should one be opened as a page, the
// sandbox CSP keeps whatever the file holds from running as the app's origin.
const BASE_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache', 'content-security-policy': "default-src 'none'; sandbox" };

/**
 * A library file's type: a video type by its extension, else bytes. Any file can become a media
 * row (a dropped "notes.html" is stored as a failed ingest): it must never come back as HTML,
 * script or SVG from the app's own origin.
 */
export function mediaContentType(file: string): string {
  const type = contentTypeOf(file);
  return type.startsWith('video/') ? type : 'application/octet-stream';
}

function text(status: number, message: string): MediaReply {
  return { status, headers: { ...BASE_HEADERS, 'content-type': 'text/plain; charset=utf-8' }, body: new TextEncoder().encode(message) };
}

/** Opens a library file for reading, refusing anything but a plain regular file at that path. */
export async function openLibraryFile(file: string): Promise<{ handle: fsp.FileHandle; size: number } | { error: number; message: string }> {
  if (!path.isAbsolute(file) || path.normalize(file) !== file || file.includes('\0')) {
    return { error: 403, message: 'not a library file' };
  }
  const noFollow = fs.constants.O_NOFOLLOW ?? 0;
  if (!noFollow) {
    // No O_NOFOLLOW (Windows): check the link first; a swap in between is the remaining gap.
    const st = await fsp.lstat(file).catch(() => null);
    if (!st) return { error: 404, message: 'file not found' };
    if (st.isSymbolicLink()) return { error: 403, message: 'refusing a symbolic link' };
  }
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, fs.constants.O_RDONLY | noFollow);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') return { error: 403, message: 'refusing a symbolic link' };
    if (code === 'ENOENT' || code === 'ENOTDIR') return { error: 404, message: 'file not found' };
    return { error: 403, message: 'file not readable' };
  }
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    return { error: 403, message: 'not a regular file' };
  }
  return { handle, size: st.size };
}

export async function mediaReply(lookup: MediaLookup, req: { method: string; range?: string | null }): Promise<MediaReply> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return { ...text(405, 'method not allowed'), headers: { ...text(405, '').headers, allow: 'GET, HEAD' } };
  }
  const head = req.method === 'HEAD';
  if (lookup.kind === 'missing') return text(404, 'not found');
  if (lookup.kind === 'bytes') {
    return {
      status: 200,
      headers: { ...BASE_HEADERS, 'content-type': lookup.contentType, 'content-length': String(lookup.data.byteLength) },
      body: head ? null : lookup.data,
    };
  }
  const opened = await openLibraryFile(lookup.path);
  if ('error' in opened) return text(opened.error, opened.message);
  const { handle, size } = opened;
  const headers: Record<string, string> = { ...BASE_HEADERS, 'content-type': mediaContentType(lookup.path), 'accept-ranges': 'bytes' };
  const range = parseRange(req.range, size);
  if (range.kind === 'unsatisfiable') {
    await handle.close();
    return { status: 416, headers: { ...headers, 'content-range': `bytes */${size}`, 'content-length': '0' }, body: head ? null : new Uint8Array(0) };
  }
  const [start, end, status] = range.kind === 'partial' ? [range.start, range.end, 206] : [0, size - 1, 200];
  headers['content-length'] = String(size === 0 ? 0 : end - start + 1);
  if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  if (head || size === 0) {
    await handle.close();
    return { status, headers, body: head ? null : new Uint8Array(0) };
  }
  return { status, headers, body: handle.createReadStream({ start, end, autoClose: true }) };
}
