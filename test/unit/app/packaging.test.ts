// electron-builder.yml checked by electron-builder itself (offline): the schema, then a
// `--linux dir` build against a stand-in Electron (an `electron` file and a `version` file), whose
// app.asar must hold the built app, whose natives, wasm and model weights must be unpacked, and
// whose Electron binary must come out with the fuses of electron-builder.yml flipped.
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
const fuses = require('@electron/fuses') as {
  getCurrentFuseWire: (electron: string) => Promise<Record<number | 'version', number | string>>;
  FuseV1Options: Record<string, number>;
};
const asar = require('@electron/asar') as { listPackage: (file: string, opts?: object) => string[]; extractFile: (file: string, inner: string) => Buffer };

/** What electron-builder.yml must set; SECURITY.md explains each. */
const FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
};

// @electron/fuses' wire format: a sentinel, version 1, the wire's length, one byte per fuse
// ('0' off, '1' on), in FuseV1Options order. Electron's own defaults, for the stand-in binary.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ELECTRON_DEFAULT_WIRE = '10110001';

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
    expect(config.electronFuses).toEqual(FUSES);
    await expect(validateConfiguration({ ...config, electronFuses: { ...FUSES, runAsNod: false } }, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
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
    // A stand-in that carries a fuse wire in Electron's defaults, so the fuses get flipped in it.
    fs.writeFileSync(path.join(standIn, 'electron'), `#!/bin/sh\n# ${FUSE_SENTINEL}\x01\x08${ELECTRON_DEFAULT_WIRE}\n`, { mode: 0o755 });
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

  it('flips the fuses in the packaged Electron binary', async () => {
    const unpacked = path.join(out, 'linux-unpacked');
    const binary = fs.readdirSync(unpacked).map((f) => path.join(unpacked, f)).find((f) => fs.readFileSync(f).includes(FUSE_SENTINEL));
    expect(binary).toBeDefined();
    const wire = await fuses.getCurrentFuseWire(binary!);
    const on = (fuse: string) => String.fromCharCode(wire[fuses.FuseV1Options[fuse]!] as number);
    for (const [name, value] of Object.entries(FUSES)) {
      const fuse = name.charAt(0).toUpperCase() + name.slice(1);
      expect(on(fuse), name).toBe(value ? '1' : '0');
    }
  });

  it('unpacks native modules, wasm and model weights', () => {
    const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules');
    expect(fs.existsSync(path.join(unpacked, 'better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(fs.readdirSync(path.join(unpacked, '@tensorflow/tfjs-backend-wasm/dist')).some((f) => f.endsWith('.wasm'))).toBe(true);
    expect(fs.readdirSync(path.join(unpacked, 'nsfwjs/dist/models')).length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(unpacked, '@vladmandic/human/models/centernet.json'))).toBe(true);
  });
});
