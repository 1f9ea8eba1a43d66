// Argument parsing shared by the commands: node's parseArgs, with usage errors as a type
// so main() can map them to exit code 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultCacheDir, defaultLibraryDir } from '../core/paths.js';
import type { CoreConfig } from '../core/service.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export const commonOptions = {
  library: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

export function parse<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...commonOptions, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function coreConfig(values: { library?: string | boolean | undefined }, env: NodeJS.ProcessEnv = process.env): CoreConfig {
  const workers = env.REELTAG_WORKERS ? Number(env.REELTAG_WORKERS) : undefined;
  const backend = env.REELTAG_BACKEND as CoreConfig['backend'];
  const objectEvery = env.REELTAG_OBJECT_EVERY ? Number(env.REELTAG_OBJECT_EVERY) : undefined;
  return {
    libraryDir: typeof values.library === 'string' ? values.library : defaultLibraryDir(env),
    cacheDir: defaultCacheDir(env),
    env,
    workers: workers && workers > 0 ? workers : undefined,
    backend: backend || undefined,
    objectEvery: objectEvery && objectEvery >= 1 ? Math.floor(objectEvery) : undefined,
    shots: env.REELTAG_SHOTS === 'histogram' ? 'histogram' : undefined,
  };
}

export function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return n;
}
