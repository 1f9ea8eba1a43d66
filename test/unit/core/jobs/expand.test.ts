import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandInputs } from '../../../../main/core/jobs/expand.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-expand-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('expandInputs', () => {
  it('walks a dropped folder once through a symlink loop and keeps links that look like videos but lead nowhere', async () => {
    const drop = path.join(dir, 'drop');
    fs.mkdirSync(path.join(drop, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(drop, 'a.mp4'), 'x');
    fs.writeFileSync(path.join(drop, 'notes.txt'), 'x');
    fs.writeFileSync(path.join(drop, 'sub', 'b.mkv'), 'x');
    fs.symlinkSync('..', path.join(drop, 'sub', 'loop')); // a folder loop
    fs.symlinkSync('self.mp4', path.join(drop, 'self.mp4')); // a link to itself
    fs.symlinkSync('gone.mp4', path.join(drop, 'broken.mp4'));
    fs.symlinkSync('nowhere', path.join(drop, 'broken-other.txt'));
    execFileSync('mkfifo', [path.join(drop, 'pipe.webm')]);

    const files = await expandInputs([drop]);
    expect(files.map((f) => path.relative(drop, f)).sort()).toEqual(['a.mp4', 'broken.mp4', 'pipe.webm', 'self.mp4', 'sub/b.mkv']);
  });
});
