#!/usr/bin/env node
// `npm start`: build the app (tsc; the renderer too when it has a Vite config) and launch Electron
// on dist/main/app/main.js. Electron's binary is fetched on first use by the electron package; where
// that never happened (offline machines) this says so and points at browser mode instead.
//   npm start [-- --no-build] [-- electron args…]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const PLATFORM_EXE = { win32: 'electron.exe', darwin: 'Electron.app/Contents/MacOS/Electron' };

/**
 * Where the Electron executable is, without require('electron') (which tries a download).
 * Returns { path } or { missing: reason }.
 */
export function locateElectron({ env = process.env, platform = process.platform, electronDir = path.join(root, 'node_modules', 'electron') } = {}) {
  if (!fs.existsSync(path.join(electronDir, 'package.json'))) return { missing: 'the electron package is not installed (npm install)' };
  const pathFile = path.join(electronDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : (PLATFORM_EXE[platform] ?? 'electron');
  const exe = env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative) : path.join(electronDir, 'dist', relative);
  if (!fs.existsSync(exe)) {
    return {
      missing: env.ELECTRON_OVERRIDE_DIST_PATH
        ? `ELECTRON_OVERRIDE_DIST_PATH has no ${relative} (${exe})`
        : `Electron's binary was never downloaded (${path.relative(root, exe)} is missing)`,
    };
  }
  return { path: exe };
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function main(argv) {
  const noBuild = argv.includes('--no-build');
  const passThrough = argv.filter((a) => a !== '--no-build');
  const electron = locateElectron();
  if ('missing' in electron) {
    console.error(
      [
        `reeltag: cannot start the desktop app: ${electron.missing}.`,
        '',
        'Either:',
        '  • fetch it on a machine with network access: npx install-electron  (then npm start), or',
        '  • point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an Electron 45 build, or',
        '  • use browser mode instead: npm run build && npx reeltag serve   (prints a http://127.0.0.1 link)',
      ].join('\n'),
    );
    process.exit(1);
  }
  if (!noBuild) {
    run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
    const viteConfig = ['vite.config.ts', 'vite.config.js', 'vite.config.mjs'].some((f) => fs.existsSync(path.join(root, 'renderer', f)));
    if (viteConfig) run(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', 'renderer']);
    else console.error('reeltag: renderer/ has no Vite config yet: the window will say the UI is not built.');
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electron.path, [path.join(root, 'dist/main/app/main.js'), ...passThrough], { cwd: root, stdio: 'inherit', env });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main(process.argv.slice(2));
