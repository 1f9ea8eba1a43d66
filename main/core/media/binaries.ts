// Where ffmpeg and ffprobe are: REELTAG_FFMPEG / REELTAG_FFPROBE, then the ffmpeg-static /
// ffprobe-static packages (when installed and their binary was really downloaded), then PATH.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MediaToolMissingError } from './errors.js';
import { versionArgs } from './ffmpeg-args.js';
import { runTool } from './spawn.js';

type Env = Record<string, string | undefined>;

export type FfmpegSource = 'env' | 'ffmpeg-static' | 'PATH';
export type FfprobeSource = 'env' | 'ffprobe-static' | 'PATH';

export interface LocatedBinaries {
  ffmpeg: string;
  ffprobe: string;
  source: { ffmpeg: FfmpegSource; ffprobe: FfprobeSource };
}

/** What locateBinaries touches outside itself, so tests can stand in for the machine. */
export interface LocateDeps {
  platform?: NodeJS.Platform;
  /** Load an npm package by name; undefined when it is not installed. */
  loadPackage?: (name: string) => unknown;
  isExecutable?: (file: string) => boolean;
}

export const INSTALL_HINT =
  'Install ffmpeg with your package manager (e.g. `apt-get install ffmpeg`, `brew install ffmpeg` or ' +
  '`winget install ffmpeg`), or set REELTAG_FFMPEG and REELTAG_FFPROBE to the full paths of the two binaries.';

function defaultLoadPackage(name: string): unknown {
  try {
    return createRequire(import.meta.url)(name);
  } catch {
    // Not installed (the usual case) or broken: either way there is no binary to use from it.
    return undefined;
  }
}

function defaultIsExecutable(platform: NodeJS.Platform): (file: string) => boolean {
  return (file) => {
    try {
      if (!fs.statSync(file).isFile()) return false;
      if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
}

/**
 * A packaged Electron app sees files inside app.asar, but the OS cannot execute a file inside an
 * archive; electron-builder's asarUnpack puts the real binary under app.asar.unpacked.
 */
export function unpackedAsarPath(file: string): string {
  return file.replace(/([\\/])app\.asar(?=[\\/])/g, '$1app.asar.unpacked');
}

/** ffmpeg-static exports the path itself, ffprobe-static `{ path }`; null on unsupported platforms. */
function packageBinary(mod: unknown): string | undefined {
  if (typeof mod === 'string') return mod;
  if (typeof mod === 'object' && mod !== null) {
    const m = mod as { path?: unknown; default?: unknown };
    if (typeof m.path === 'string') return m.path;
    if (m.default !== undefined) return packageBinary(m.default);
  }
  return undefined;
}

/** Windows environment variable names are case-insensitive ("Path"); a plain object's are not. */
function envVar(env: Env, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

/** Like `which`: the first executable `name` on PATH, honouring PATHEXT on Windows. */
export function findOnPath(
  name: string,
  env: Env,
  platform: NodeJS.Platform,
  isExecutable: (file: string) => boolean = defaultIsExecutable(platform),
): string | undefined {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const dirs = (envVar(env, 'PATH', platform) ?? '')
    .split(p.delimiter)
    .map((d) => (platform === 'win32' ? d.replace(/^"(.*)"$/, '$1') : d))
    .filter((d) => d.length > 0);
  let exts = [''];
  if (platform === 'win32') {
    // .bat/.cmd need a shell, and Reeltag never spawns through one.
    const pathext = (envVar(env, 'PATHEXT', platform) ?? '.COM;.EXE;.BAT;.CMD')
      .split(';')
      .filter((e) => e.length > 0 && !/^\.(bat|cmd)$/i.test(e));
    const hasExt = pathext.some((e) => name.toLowerCase().endsWith(e.toLowerCase()));
    exts = hasExt ? ['', ...pathext] : pathext;
  }
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = p.join(dir, name + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

interface Found<S> {
  file: string;
  source: S;
}

function locateOne<S extends string>(
  tool: 'ffmpeg' | 'ffprobe',
  envName: string,
  pkg: S,
  env: Env,
  platform: NodeJS.Platform,
  loadPackage: (name: string) => unknown,
  isExecutable: (file: string) => boolean,
): Found<S | 'env' | 'PATH'> | undefined {
  const fromEnv = envVar(env, envName, platform)?.trim();
  if (fromEnv) {
    // Someone chose this binary: a wrong value is an error to fix, not a reason to silently use another.
    const p = platform === 'win32' ? path.win32 : path.posix;
    const bare = !fromEnv.includes('/') && !fromEnv.includes(p.sep);
    const file = bare ? findOnPath(fromEnv, env, platform, isExecutable) : fromEnv;
    if (file && isExecutable(file)) return { file, source: 'env' };
    throw new MediaToolMissingError(
      `${envName} is set to "${fromEnv}", but no executable ${tool} is there. Point ${envName} at the ${tool} binary, or unset it to use the one on PATH.`,
    );
  }
  const packaged = packageBinary(loadPackage(pkg));
  if (packaged) {
    const file = unpackedAsarPath(packaged);
    if (isExecutable(file)) return { file, source: pkg };
  }
  const onPath = findOnPath(tool, env, platform, isExecutable);
  return onPath ? { file: onPath, source: 'PATH' } : undefined;
}

export function locateBinaries(env: Env = process.env, deps: LocateDeps = {}): LocatedBinaries {
  const platform = deps.platform ?? process.platform;
  const loadPackage = deps.loadPackage ?? defaultLoadPackage;
  const isExecutable = deps.isExecutable ?? defaultIsExecutable(platform);
  const ffmpeg = locateOne('ffmpeg', 'REELTAG_FFMPEG', 'ffmpeg-static', env, platform, loadPackage, isExecutable);
  const ffprobe = locateOne('ffprobe', 'REELTAG_FFPROBE', 'ffprobe-static', env, platform, loadPackage, isExecutable);
  if (!ffmpeg || !ffprobe) {
    const missing = [!ffmpeg && 'ffmpeg', !ffprobe && 'ffprobe'].filter(Boolean).join(' and ');
    throw new MediaToolMissingError(
      `${missing} not found (looked at REELTAG_FFMPEG/REELTAG_FFPROBE, the ffmpeg-static/ffprobe-static packages and PATH). ${INSTALL_HINT}`,
    );
  }
  return {
    ffmpeg: ffmpeg.file,
    ffprobe: ffprobe.file,
    source: { ffmpeg: ffmpeg.source as FfmpegSource, ffprobe: ffprobe.source as FfprobeSource },
  };
}

/** First line of `bin -version`, e.g. "ffmpeg version 5.1.8-0+deb12u1 Copyright (c) …" cut to the version. */
export async function toolVersion(bin: string, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<string> {
  const { stdout } = await runTool(bin, versionArgs(), {
    signal: opts.signal,
    timeoutMs: opts.timeoutMs ?? 15_000,
    maxStdout: 1024 * 1024,
  });
  const first = stdout.toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  return first.replace(/\s+Copyright.*$/, '').trim();
}
