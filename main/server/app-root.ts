// The project folder (where package.json and renderer/dist live), found from a module's URL so
// it works from the sources (tests) and from dist/ (the CLI).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function appRoot(fromUrl: string = import.meta.url): { dir: string; version: string } {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'reeltag') return { dir, version: pkg.version ?? '0.0.0' };
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Reeltag's package.json not found above ${fromUrl}`);
    dir = parent;
  }
}
