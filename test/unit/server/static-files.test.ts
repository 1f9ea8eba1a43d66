import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveStaticFile } from '../../../main/server/static-files.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-static-'));
const root = path.join(tmp, 'dist');
fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'x');
fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('resolveStaticFile', () => {
  it('serves files under the root, index.html for folders', async () => {
    const real = fs.realpathSync(root);
    expect(await resolveStaticFile(root, '/')).toBe(path.join(real, 'index.html'));
    expect(await resolveStaticFile(root, '/assets/app.js')).toBe(path.join(real, 'assets', 'app.js'));
    expect(await resolveStaticFile(root, '/assets/missing.js')).toBeNull();
  });

  it('refuses traversal, encoded traversal, absolute paths, backslashes, NUL and symlinks out', async () => {
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/..%2fsecret.txt', `/${tmp}/secret.txt`, '/..\\secret.txt', '/%5c..%5csecret.txt', '/index.html%00.js', '/assets/link.txt', 'relative.txt', '/%E0%A4%A']) {
      expect(await resolveStaticFile(root, p), p).toBeNull();
    }
  });
});
