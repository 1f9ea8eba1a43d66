// Workers run compiled JavaScript from dist/. A missing or stale build must fail loudly, never
// skip: `npm test` builds first; alone, run `npx tsc -p tsconfig.build.json`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(import.meta.dirname, '../../..');
const BUILD = 'run `npx tsc -p tsconfig.build.json` (npm test builds first)';

/** URL of dist/main/core/ml/<file>.js, after checking it exists and is not older than its source. */
export function distUrl(file: string): URL {
  const url = new URL(`../../../dist/main/core/ml/${file}.js`, import.meta.url);
  const js = fileURLToPath(url);
  if (!fs.existsSync(js)) throw new Error(`${path.relative(root, js)} is missing: ${BUILD}`);
  const srcDir = path.join(root, 'main/core/ml');
  const sources = [...fs.readdirSync(srcDir), ...fs.readdirSync(path.join(srcDir, 'models')).map((f) => `models/${f}`)].filter((f) => f.endsWith('.ts'));
  for (const source of sources) {
    const built = path.join(root, 'dist/main/core/ml', source.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(path.join(srcDir, source)).mtimeMs) {
      throw new Error(`dist/ is older than main/core/ml/${source}: ${BUILD}`);
    }
  }
  return url;
}

/** Shared model cache for the integration tests (git-ignored, reused between runs). */
export const testCacheDir = path.join(root, '.cache', 'test-ml');
