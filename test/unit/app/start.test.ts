// `npm start` where Electron's binary is missing: a clear message naming `reeltag serve`, exit 1.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const script = path.join(root, 'scripts/start.mjs');

describe('scripts/start.mjs', () => {
  it('says the Electron binary is missing, names reeltag serve, and exits non-zero', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-no-electron-'));
    const r = spawnSync(process.execPath, [script, '--no-build'], { env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty }, encoding: 'utf8', timeout: 30_000 });
    fs.rmSync(empty, { recursive: true, force: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot start the desktop app/);
    expect(r.stderr).toMatch(/reeltag serve/);
  });

  it('locates an Electron binary where one is', async () => {
    const { locateElectron } = (await import(script)) as { locateElectron: (o: object) => { path?: string; missing?: string } };
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-electron-'));
    const electronDir = path.join(dist, 'pkg');
    fs.mkdirSync(path.join(electronDir, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(electronDir, 'package.json'), '{}');
    expect(locateElectron({ electronDir, env: {}, platform: 'linux' }).missing).toMatch(/never downloaded/);
    fs.writeFileSync(path.join(electronDir, 'dist', 'electron'), '');
    expect(locateElectron({ electronDir, env: {}, platform: 'linux' })).toEqual({ path: path.join(electronDir, 'dist', 'electron') });
    expect(locateElectron({ electronDir, env: { ELECTRON_OVERRIDE_DIST_PATH: path.join(electronDir, 'dist') }, platform: 'linux' })).toEqual({ path: path.join(electronDir, 'dist', 'electron') });
    fs.rmSync(dist, { recursive: true, force: true });
  });
});
