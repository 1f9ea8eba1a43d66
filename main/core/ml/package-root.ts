// Finds an installed package's folder and version. Model weights and wasm binaries live inside
// npm packages whose `exports` maps hide those files from require.resolve, so we resolve the
// package's entry point (always allowed) and walk up to the folder that owns it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface PackageRoot {
  /** Absolute folder holding the package's package.json. */
  dir: string;
  version: string;
}

/**
 * @param name npm package name, e.g. "nsfwjs".
 * @param fromUrl where resolution starts (default: this module), as import.meta.url.
 */
export function packageRoot(name: string, fromUrl: string = import.meta.url): PackageRoot {
  const entry = createRequire(fromUrl).resolve(name);
  let dir = path.dirname(entry);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      // Nested package.json files ({"type": "commonjs"}) sit inside dist folders: skip them.
      if (pkg.name === name) return { dir, version: pkg.version ?? '0.0.0' };
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json of ${name} not found above ${entry}`);
    dir = parent;
  }
}
