// electron-builder.yml checked by electron-builder itself (offline): the schema, then a
// `--linux dir` build against a stand-in Electron (an `electron` file and a `version` file), whose
// app.asar must hold the built app and whose natives, wasm and model weights must be unpacked.
// The build takes ~15 s on 2 cores; AppImage/deb/nsis/dmg targets need the network and are not run.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(path.join(root, 'package.json'));
type Config = Record<string, unknown>;
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig: (dir: string, file: string | null, extra: Config | null) => Promise<Config>;
  validateConfiguration: (config: Config, logger: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const asar = require('@electron/asar') as { listPackage: (file: string, opts?: object) => string[]; extractFile: (file: string, inner: string) => Buffer };

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own validation, and a misspelled key does not', async () => {
    const config = await getConfig(root, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config).toMatchObject({ appId: expect.any(String), productName: 'Reeltag', npmRebuild: true, extraMetadata: { main: 'dist/main/app/main.js' } });
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', '**/*.wasm', 'node_modules/nsfwjs/dist/models/**', 'node_modules/@vladmandic/human/models/**']));
    // getConfig normalises `files` to [{ filter: [...] }].
    const files = (config.files as Array<string | { filter: string[] }>).flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    expect(files).toEqual(expect.arrayContaining(['dist/main/**/*.js', 'dist/main/**/*.cjs', 'renderer/dist/**']));
    expect(config).toMatchObject({ linux: { target: ['AppImage', 'deb'] }, win: { target: ['nsis'] }, mac: { target: ['dmg'] } });
    expect(fs.existsSync(path.join(root, 'assets/icons/icon.png'))).toBe(true);
    await expect(validateConfiguration({ ...config, asarUnpak: ['**/*.node'] }, new DebugLogger(false))).rejects.toThrow(/asarUnpak/);
    await expect(validateConfiguration({ ...config, linux: { targt: 'deb' } }, new DebugLogger(false))).rejects.toThrow(/configuration\.linux/);
  });
});

describe('a --linux dir build against a stand-in Electron', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-pack-'));
  const out = path.join(tmp, 'release');
  const resources = path.join(out, 'linux-unpacked', 'resources');

  beforeAll(async () => {
    for (const f of ['dist/main/app/main.js', 'dist/main/worker/entry.js', 'dist/main/preload/index.cjs']) {
      if (!fs.existsSync(path.join(root, f))) throw new Error(`${f} is missing: run \`npx tsc -p tsconfig.build.json\` (npm test builds first)`);
    }
    const standIn = path.join(tmp, 'electron-dist');
    fs.mkdirSync(standIn);
    fs.writeFileSync(path.join(standIn, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(standIn, 'version'), (JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version);
    // npmRebuild would rebuild better-sqlite3 for Node 20 here (no Electron headers offline): skip it.
    await promisify(execFile)(
      process.execPath,
      [require.resolve('electron-builder/cli.js'), '--linux', 'dir', `-c.electronDist=${standIn}`, '-c.npmRebuild=false', `-c.directories.output=${out}`],
      { cwd: root, timeout: 170_000, maxBuffer: 32 << 20 },
    );
  }, 180_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('puts the built app in app.asar, with the Electron entry as main', () => {
    const file = path.join(resources, 'app.asar');
    const entries = new Set(asar.listPackage(file).map((e) => e.replaceAll('\\', '/')));
    for (const f of ['/dist/main/app/main.js', '/dist/main/worker/entry.js', '/dist/main/preload/index.cjs', '/dist/main/core/service.js', '/dist/shared/contract.js', '/assets/icons/icon.png']) {
      expect(entries.has(f), f).toBe(true);
    }
    expect([...entries].some((e) => e.endsWith('.map') || e.endsWith('.ts') && !e.endsWith('.d.ts') && e.startsWith('/dist'))).toBe(false);
    expect([...entries].some((e) => e.startsWith('/test/') || e.startsWith('/.cache/'))).toBe(false);
    const pkg = JSON.parse(asar.extractFile(file, 'package.json').toString()) as { main: string };
    expect(pkg.main).toBe('dist/main/app/main.js');
  });

  it('unpacks native modules, wasm and model weights', () => {
    const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules');
    expect(fs.existsSync(path.join(unpacked, 'better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(fs.readdirSync(path.join(unpacked, '@tensorflow/tfjs-backend-wasm/dist')).some((f) => f.endsWith('.wasm'))).toBe(true);
    expect(fs.readdirSync(path.join(unpacked, 'nsfwjs/dist/models')).length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(unpacked, '@vladmandic/human/models/centernet.json'))).toBe(true);
  });
});
