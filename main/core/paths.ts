// Where Reeltag keeps things by default. The desktop app (Electron's app.getPath('userData')
// for productName "Reeltag") and the CLI must agree, so both use these functions.
import os from 'node:os';
import path from 'node:path';

type Env = Record<string, string | undefined>;

/** Electron's userData folder for an app named "Reeltag", computed without electron. */
export function userDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Reeltag');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Reeltag');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Reeltag');
}

/** The library the app opens unless told otherwise: REELTAG_LIBRARY, else <userData>/library. */
export function defaultLibraryDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  return env.REELTAG_LIBRARY || path.join(userDataDir(env, platform), 'library');
}

/** Regenerable files (converted model weights): safe to delete, never inside the library. */
export function defaultCacheDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.REELTAG_CACHE) return env.REELTAG_CACHE;
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Reeltag', 'Cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'Reeltag');
  return path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'reeltag');
}
