// Chooses the tfjs backend, best first: native TensorFlow with CUDA, native TensorFlow on the CPU,
// wasm (always installed, SIMD where the CPU has it), pure-JS cpu. The native packages are optional
// and often missing or broken (no prebuilt binding), so every step records why it was skipped:
// `reeltag doctor` and the UI show that list instead of a silent slow fallback.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';
import { packageRoot } from './package-root.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendReport {
  name: BackendName;
  /** The npm package that provides the backend. */
  package: string;
  /** True when native TensorFlow reports that it runs on a CUDA device. */
  gpu: boolean;
  /** wasm only: whether the SIMD build runs; null for other backends. */
  simd: boolean | null;
  /** Better backends that were not used, and why. */
  skipped: { package: string; reason: string }[];
}

export interface SelectBackendOptions {
  /**
   * Start the search at this backend (REELTAG_BACKEND, parsed by the caller). Better ones are
   * passed over; if it fails, the search goes on down the list so the app still runs.
   */
  prefer?: BackendName;
  /** Loads an optional package; injectable so tests can simulate missing or broken installs. */
  importModule?: (specifier: string) => Promise<unknown>;
  /** Folder holding the tfjs-backend-wasm .wasm files (packaged apps unpack them from the asar). */
  wasmDir?: string;
}

interface Candidate {
  name: BackendName;
  package: string;
  /** How to get it, shown when it is not installed. */
  hint: string;
}

const CANDIDATES: readonly Candidate[] = [
  {
    name: 'tensorflow',
    package: '@tensorflow/tfjs-node-gpu',
    hint: 'npm i @tensorflow/tfjs-node-gpu, needs an NVIDIA GPU with CUDA 11.2 + cuDNN 8.1',
  },
  { name: 'tensorflow', package: '@tensorflow/tfjs-node', hint: 'npm i @tensorflow/tfjs-node' },
  { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', hint: 'npm i @tensorflow/tfjs-backend-wasm' },
  { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', hint: 'part of @tensorflow/tfjs' },
];

const defaultImport = (specifier: string): Promise<unknown> => import(specifier);

/** Parses REELTAG_BACKEND-style text; undefined for empty, throws a clear error for unknown names. */
export function parseBackendName(value: string | undefined): BackendName | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const name = value.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  throw new Error(`unknown backend "${value}": use one of ${BACKEND_NAMES.join(', ')}`);
}

/**
 * Turns an import failure into one line for the user. "Not installed" and "installed but its
 * native binding does not load" need different fixes, so they read differently.
 */
export function describeImportError(candidate: Pick<Candidate, 'package' | 'hint'>, error: unknown): string {
  const err = error as { code?: string; message?: string } | undefined;
  const message = String(err?.message ?? error).split('\n')[0] ?? '';
  const missingPackage =
    (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') &&
    (message.includes(`'${candidate.package}'`) || message.includes(`"${candidate.package}"`));
  if (missingPackage) return `not installed (optional: ${candidate.hint})`;
  return `installed but failed to load: ${message} (its native binding is missing or does not match this Node; reinstall it where its download works)`;
}

async function tryNative(candidate: Candidate, importModule: (s: string) => Promise<unknown>): Promise<BackendReport | string> {
  try {
    await importModule(candidate.package);
  } catch (error) {
    return describeImportError(candidate, error);
  }
  try {
    // The package registers 'tensorflow' on its own copy of tfjs-core; a version mismatch with
    // ours leaves our registry without it, which setBackend reports by throwing.
    if (!(await tf.setBackend('tensorflow'))) return 'loaded, but the "tensorflow" backend failed to initialise';
  } catch (error) {
    return `loaded, but no "tensorflow" backend reached @tensorflow/tfjs (${String((error as Error).message)}); versions must match`;
  }
  const backend = tf.backend() as { isUsingGpuDevice?: boolean };
  // tfjs-node-gpu quietly runs on the CPU when CUDA is unusable; its backend says which it got.
  const gpu = backend.isUsingGpuDevice ?? candidate.package.endsWith('-gpu');
  return { name: 'tensorflow', package: candidate.package, gpu, simd: null, skipped: [] };
}

async function tryWasm(candidate: Candidate, importModule: (s: string) => Promise<unknown>, wasmDir?: string): Promise<BackendReport | string> {
  let wasm: typeof TfWasm;
  try {
    wasm = (await importModule(candidate.package)) as typeof TfWasm;
  } catch (error) {
    return describeImportError(candidate, error);
  }
  try {
    // The .wasm files sit next to the package's main file; emscripten in Node reads them with fs,
    // so a plain path with a trailing separator works (no fetch, no URL).
    const dir = wasmDir ?? path.join(packageRoot(candidate.package).dir, 'dist');
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    wasm.setWasmPaths(prefix);
    // The threaded build needs a blob: worker, which Node does not have.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!(await tf.setBackend('wasm'))) return `failed to initialise (could not read its .wasm files in ${prefix})`;
  } catch (error) {
    return `failed to initialise: ${String((error as Error).message)}`;
  }
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return { name: 'wasm', package: candidate.package, gpu: false, simd, skipped: [] };
}

/**
 * For code that runs tfjs in a process that may not have chosen yet (the CLI, the pipeline's
 * process): selects a backend unless a better-than-cpu one is already registered.
 */
export async function ensureBackend(prefer?: BackendName): Promise<void> {
  if (!tf.findBackend('wasm') && !tf.findBackend('tensorflow')) await selectBackend(prefer ? { prefer } : {});
}

/** Selects and initialises the best available backend for this process (tfjs state is global). */
export async function selectBackend(opts: SelectBackendOptions = {}): Promise<BackendReport> {
  const importModule = opts.importModule ?? defaultImport;
  const skipped: BackendReport['skipped'] = [];
  const start = opts.prefer ? CANDIDATES.findIndex((c) => c.name === opts.prefer) : 0;
  for (const [index, candidate] of CANDIDATES.entries()) {
    if (index < start) {
      skipped.push({ package: candidate.package, reason: `passed over: backend "${opts.prefer}" was asked for` });
      continue;
    }
    let result: BackendReport | string;
    if (candidate.name === 'tensorflow') result = await tryNative(candidate, importModule);
    else if (candidate.name === 'wasm') result = await tryWasm(candidate, importModule, opts.wasmDir);
    else result = (await tf.setBackend('cpu')) ? { name: 'cpu', package: candidate.package, gpu: false, simd: null, skipped: [] } : 'failed to initialise';
    if (typeof result === 'string') {
      skipped.push({ package: candidate.package, reason: result });
      continue;
    }
    await tf.ready();
    return { ...result, skipped };
  }
  throw new Error(`no tfjs backend could start: ${skipped.map((s) => `${s.package}: ${s.reason}`).join('; ')}`);
}
