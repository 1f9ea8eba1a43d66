// What ingestFile says about paths that are not regular files, before it touches the library,
// ffprobe or ffmpeg (the context below has none of them: any use would throw a TypeError).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestError, ingestFile, type PipelineContext } from '../../../../main/core/jobs/pipeline.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-pipeline-stat-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const noContext = {} as PipelineContext;

async function reasonFor(file: string): Promise<string> {
  const err = await ingestFile(noContext, file).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(IngestError);
  return (err as Error).message;
}

describe('ingestFile on things that are not video files', () => {
  it('names a symlink loop, a broken link, a pipe, a folder and a missing file', async () => {
    fs.symlinkSync('self.mp4', path.join(dir, 'self.mp4'));
    fs.symlinkSync('gone.mp4', path.join(dir, 'broken.mp4'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.mp4')]);
    fs.mkdirSync(path.join(dir, 'folder.mp4'));
    expect(await reasonFor(path.join(dir, 'self.mp4'))).toBe('symbolic link loop: the link leads round in a circle, never to a file');
    expect(await reasonFor(path.join(dir, 'broken.mp4'))).toBe('broken symbolic link: what it points to does not exist');
    // Never opened: reading a FIFO nobody writes to would block for ever.
    expect(await reasonFor(path.join(dir, 'pipe.mp4'))).toBe('not a regular file (device, socket or pipe)');
    expect(await reasonFor(path.join(dir, 'folder.mp4'))).toBe('is a folder, not a video file');
    expect(await reasonFor(path.join(dir, 'missing.mp4'))).toBe('file not found');
  });
});
