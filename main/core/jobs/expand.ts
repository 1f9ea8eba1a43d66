// Turns what the user dropped (files and folders) into the list of files to ingest.
// Files named explicitly are always tried, whatever their extension, so a mislabelled file
// gets a clear error instead of silence; inside folders only video extensions are taken.
import fs from 'node:fs/promises';
import path from 'node:path';

export const VIDEO_EXTENSIONS = new Set([
  '.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.wmv', '.flv', '.mpg', '.mpeg', '.m2v',
  '.ts', '.mts', '.m2ts', '.3gp', '.3g2', '.ogv', '.mxf', '.dv', '.vob', '.asf',
]);

export async function expandInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const visitedDirs = new Set<string>();
  const add = (p: string) => {
    if (!seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  };
  for (const input of inputs) {
    const abs = path.resolve(input);
    const stat = await fs.stat(abs).catch(() => null);
    if (stat?.isDirectory()) await walk(abs, visitedDirs, add);
    else add(abs);
  }
  return out;
}

async function walk(dir: string, visited: Set<string>, add: (p: string) => void): Promise<void> {
  // Following symlinks is what users expect of a dropped folder; the realpath set stops loops.
  const real = await fs.realpath(dir).catch(() => null);
  if (!real || visited.has(real)) return;
  visited.add(real);
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    const stat = e.isSymbolicLink() ? await fs.stat(p).catch(() => null) : e;
    if (stat?.isDirectory()) await walk(p, visited, add);
    // Named like a video but a broken link, a link loop or a pipe: taken all the same, so the user
    // gets its reason from the pipeline instead of silence.
    else if (VIDEO_EXTENSIONS.has(path.extname(e.name).toLowerCase())) add(p);
  }
}
