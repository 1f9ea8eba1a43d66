// wasm initialises once per process, so its failure path runs in a fresh Node from dist/.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../../../main/core/ml/backend.js';
import { distUrl } from './dist-check.js';

describe('selectBackend in a fresh process', () => {
  it('falls back to cpu, saying why, when the .wasm files are not where it was told', () => {
    const url = distUrl('backend').href;
    const script = `const { selectBackend } = await import(${JSON.stringify(url)});
console.log(JSON.stringify(await selectBackend({ wasmDir: '/nonexistent/wasm' })));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const report = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as BackendReport;
    expect(report.name).toBe('cpu');
    expect(report.skipped.at(-1)).toEqual({
      package: '@tensorflow/tfjs-backend-wasm',
      reason: 'failed to initialise (could not read its .wasm files in /nonexistent/wasm/)',
    });
  });
});
