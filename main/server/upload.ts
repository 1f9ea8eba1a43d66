// Browser mode's dropped files: the page cannot give us a path, so the bytes come over HTTP and
// land in <library>/media/ under a sanitised, never-overwriting name; then they are ingested
// like any other file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { ContractError } from '../../shared/contract.js';

const MAX_NAME = 180;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** A file name safe on every OS: no folders, no control or reserved characters, no leading dots. */
export function sanitizeFileName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    .replace(/[\p{Cc}<>:"|?*]/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  if (name.length > MAX_NAME) {
    const ext = path.extname(name).slice(0, 16);
    name = name.slice(0, MAX_NAME - ext.length) + ext;
  }
  return name || 'upload';
}

/** Creates an empty file under a free name ("a.mp4", "a (1).mp4", …); O_EXCL, so never an overwrite. */
async function reserveName(dir: string, name: string): Promise<string> {
  const ext = path.extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 0; i < 10_000; i++) {
    const file = path.join(dir, i === 0 ? name : `${stem} (${i})${ext}`);
    try {
      await (await fsp.open(file, 'wx')).close();
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new ContractError('internal', `no free file name for ${name} in ${dir}`);
}

/**
 * Streams the request body to <dir>/<sanitised name>. The Content-Length (when sent) and the
 * bytes actually received are both held to maxBytes; on any failure nothing is left behind.
 */
export async function receiveUpload(req: IncomingMessage, opts: { dir: string; name: string; maxBytes: number }): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > opts.maxBytes) {
    throw new ContractError('too_large', `upload of ${declared} bytes is over the limit of ${opts.maxBytes} bytes`);
  }
  await fsp.mkdir(opts.dir, { recursive: true });
  const final = await reserveName(opts.dir, sanitizeFileName(opts.name));
  // A dot-file while it grows: folder ingests skip hidden files, so a half upload is never taken.
  const part = path.join(opts.dir, `.${crypto.randomBytes(6).toString('hex')}.part`);
  let received = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const out = fs.createWriteStream(part, { flags: 'wx' });
      let failed = false;
      const fail = (e: unknown) => {
        if (failed) return;
        failed = true;
        // Stop reading but leave the socket alone: the caller still answers (413) on it.
        req.pause();
        req.removeListener('data', onData);
        out.destroy();
        reject(e);
      };
      const onData = (chunk: Buffer) => {
        received += chunk.length;
        if (received > opts.maxBytes) return fail(new ContractError('too_large', `upload is over the limit of ${opts.maxBytes} bytes`));
        if (!out.write(chunk)) {
          req.pause();
          out.once('drain', () => req.resume());
        }
      };
      req.on('data', onData);
      req.once('end', () => {
        if (failed) return;
        if (declared !== undefined && received !== Number(declared)) return fail(new ContractError('invalid_input', 'upload was cut short'));
        out.end(() => resolve());
      });
      req.once('aborted', () => fail(new ContractError('invalid_input', 'upload was cut short')));
      req.once('error', fail);
      out.once('error', fail);
    });
    await fsp.rename(part, final);
    return final;
  } catch (e) {
    await fsp.rm(part, { force: true });
    await fsp.rm(final, { force: true });
    throw e;
  }
}
