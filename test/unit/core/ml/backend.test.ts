import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { describeImportError, parseBackendName, selectBackend } from '../../../../main/core/ml/backend.js';

/** What Node's ESM loader throws for a package that is not installed. */
function notInstalled(specifier: string): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/main/core/ml/backend.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

/** Stands in for import(): native packages missing, the rest real. */
const withoutNative = (specifier: string): Promise<unknown> =>
  specifier.startsWith('@tensorflow/tfjs-node') ? Promise.reject(notInstalled(specifier)) : import(specifier);

const gpu = { package: '@tensorflow/tfjs-node-gpu', hint: 'npm i @tensorflow/tfjs-node-gpu, needs CUDA' };

describe('describeImportError', () => {
  it('says "not installed" with the install hint when the package is missing', () => {
    expect(describeImportError(gpu, notInstalled(gpu.package))).toBe('not installed (optional: npm i @tensorflow/tfjs-node-gpu, needs CUDA)');
  });

  it('tells a broken native binding apart from a missing package', () => {
    const binding = Object.assign(
      new Error("Cannot find module '/app/node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node'\nRequire stack:\n- ..."),
      { code: 'MODULE_NOT_FOUND' },
    );
    const reason = describeImportError(gpu, binding);
    expect(reason).toMatch(/^installed but failed to load: Cannot find module .*tfjs_binding\.node'/);
    expect(reason).not.toMatch(/Require stack/);
    expect(describeImportError(gpu, new Error('libcudart.so.11.0: cannot open shared object file'))).toMatch(/installed but failed to load: libcudart/);
  });
});

describe('parseBackendName', () => {
  it('accepts the three names in any case, nothing for empty, an error for others', () => {
    expect(parseBackendName(' WASM ')).toBe('wasm');
    expect(parseBackendName('tensorflow')).toBe('tensorflow');
    expect(parseBackendName('')).toBeUndefined();
    expect(parseBackendName(undefined)).toBeUndefined();
    expect(() => parseBackendName('webgpu')).toThrow(/unknown backend "webgpu": use one of tensorflow, wasm, cpu/);
  });
});

describe('selectBackend', () => {
  it('falls back to wasm with SIMD, listing why each native package was skipped', async () => {
    const report = await selectBackend({ importModule: withoutNative });
    expect(report).toMatchObject({ name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', gpu: false, simd: true });
    expect(report.skipped.map((s) => s.package)).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(report.skipped[0]?.reason).toMatch(/^not installed \(optional: npm i @tensorflow\/tfjs-node-gpu, needs .*CUDA 11\.2 \+ cuDNN 8\.1\)$/);
    expect(tf.getBackend()).toBe('wasm');
    // Multi-threaded wasm cannot start in Node: it must stay off.
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  });

  it('the real import() reports the native packages as not installed here', async () => {
    const report = await selectBackend();
    expect(report.name).toBe('wasm');
    expect(report.skipped.every((s) => s.reason.startsWith('not installed'))).toBe(true);
  });

  it('honours a preferred backend and names what it passed over', async () => {
    const report = await selectBackend({ prefer: 'cpu', importModule: withoutNative });
    expect(report).toMatchObject({ name: 'cpu', gpu: false, simd: null });
    expect(report.skipped).toHaveLength(3);
    expect(report.skipped.every((s) => s.reason === 'passed over: backend "cpu" was asked for')).toBe(true);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('goes on down the list when the preferred backend fails', async () => {
    const report = await selectBackend({ prefer: 'tensorflow', importModule: withoutNative });
    expect(report.name).toBe('wasm');
    expect(report.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/^not installed/), expect.stringMatching(/^not installed/)]);
  });

  it('reports a native package that loads but registers no backend with our tfjs', async () => {
    const report = await selectBackend({
      importModule: (s) => (s === '@tensorflow/tfjs-node-gpu' ? Promise.resolve({}) : withoutNative(s)),
    });
    expect(report.name).toBe('wasm');
    expect(report.skipped[0]?.reason).toMatch(/loaded, but no "tensorflow" backend reached @tensorflow\/tfjs/);
  });
});
