// Resolving a URL path to a file under a root folder (the built renderer), for both the HTTP
// server and Electron's app protocol. Refuses traversal (raw or percent-encoded), absolute
// paths, NUL, backslashes and symlinks that lead out of the root.
import fsp from 'node:fs/promises';
import path from 'node:path';

/** The file to serve, or null (the caller answers 404). Directories map to their index.html. */
export async function resolveStaticFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.' || /^[a-zA-Z]:$/.test(s))) return null;
  const realRoot = await fsp.realpath(root).catch(() => null);
  if (!realRoot) return null;
  let candidate = path.join(realRoot, ...segments);
  let real = await fsp.realpath(candidate).catch(() => null);
  if (!real) return null;
  const inside = (p: string) => p === realRoot || p.startsWith(realRoot + path.sep);
  if (!inside(real)) return null;
  let st = await fsp.stat(real);
  if (st.isDirectory()) {
    candidate = path.join(real, 'index.html');
    real = await fsp.realpath(candidate).catch(() => null);
    if (!real || !inside(real)) return null;
    st = await fsp.stat(real);
  }
  return st.isFile() ? real : null;
}
