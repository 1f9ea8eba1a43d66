// `reeltag serve` from the built CLI: prints its URL, answers with the token, stops on SIGINT.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { request } from './http.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('reeltag serve', () => {
  it('serves the contract on 127.0.0.1 until interrupted', async () => {
    if (!fs.existsSync(path.join(root, 'dist/main/cli/index.js'))) throw new Error('run `npm run build` first (npm test does)');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-serve-cli-'));
    const child = spawn(process.execPath, [path.join(root, 'bin/reeltag.js'), 'serve', '--port', '0', '--json', '--library', path.join(tmp, 'lib')], {
      env: { ...process.env, REELTAG_CACHE: path.join(tmp, 'cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const info = JSON.parse(line) as { url: string; port: number; library: string };
    expect(info.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${info.port}/\\?token=[A-Za-z0-9_-]{32}$`));
    expect(info.library).toBe(path.join(tmp, 'lib'));
    const token = new URL(info.url).searchParams.get('token')!;
    const r = await request(info.port, '/api/listMedia', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(r.json()).toEqual({ ok: true, value: [] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);
});
