// The folder holding Reeltag's own package.json: the same from TypeScript sources, from dist/
// and from inside a packaged app.asar, so shipped assets resolve the same way everywhere.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function appRoot(fromUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'reeltag') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Reeltag's package.json not found above ${fromUrl}`);
    dir = parent;
  }
}

export function assetPath(...parts: string[]): string {
  return path.join(appRoot(), 'assets', ...parts);
}
