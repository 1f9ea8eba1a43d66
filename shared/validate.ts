// Tiny runtime validators for everything that crosses a transport (IPC, HTTP). Every string and
// array validator takes a mandatory maximum, so an oversized request fails fast with a message
// that names the offending field instead of reaching SQLite or the filesystem.
// Plain data only: no node, DOM or electron imports.

/** Thrown by a validator; `path` names the field, e.g. "clipIds[3]". */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path || 'request'}: ${problem}`);
  }
}

export interface Validator<T> {
  /** Returns the value (possibly a fresh copy holding only known keys) or throws ValidationError. */
  parse(value: unknown, path?: string): T;
  /** One line for error messages and docs, e.g. "integer 1..500". */
  readonly describe: string;
}

/** A validator whose key may be absent from an object. */
export interface OptionalValidator<T> extends Validator<T | undefined> {
  readonly optional: true;
}

export type Infer<V> = V extends Validator<infer T> ? T : never;

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return String(value);
  return `${typeof value} ${String(value)}`;
}

function fail(path: string, describe: string, value: unknown): never {
  throw new ValidationError(path, `expected ${describe}, got ${show(value)}`);
}

function validator<T>(describe: string, parse: (value: unknown, path: string) => T): Validator<T> {
  return { describe, parse: (value, path = '') => parse(value, path) };
}

export interface StringOptions {
  /** Inclusive; 0 by default. */
  min?: number;
  /** Inclusive, in UTF-16 code units. Mandatory: every string crossing a transport is bounded. */
  max: number;
  /** Whole-string test; give it ^…$ anchors. */
  pattern?: RegExp;
  /** What the pattern means, for the error message. */
  patternName?: string;
}

export function str(opts: StringOptions): Validator<string> {
  const min = opts.min ?? 0;
  const describe = `a string of ${min}..${opts.max} characters${opts.patternName ? ` (${opts.patternName})` : ''}`;
  return validator(describe, (value, path) => {
    if (typeof value !== 'string') fail(path, describe, value);
    if (value.length < min || value.length > opts.max) fail(path, describe, value);
    if (opts.pattern && !opts.pattern.test(value)) fail(path, describe, value);
    return value;
  });
}

export function int(opts: { min: number; max: number }): Validator<number> {
  const describe = `an integer ${opts.min}..${opts.max}`;
  return validator(describe, (value, path) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < opts.min || value > opts.max) fail(path, describe, value);
    return value;
  });
}

export function num(opts: { min: number; max: number }): Validator<number> {
  const describe = `a number ${opts.min}..${opts.max}`;
  return validator(describe, (value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < opts.min || value > opts.max) fail(path, describe, value);
    return value;
  });
}

export function bool(): Validator<boolean> {
  return validator('true or false', (value, path) => {
    if (typeof value !== 'boolean') fail(path, 'true or false', value);
    return value;
  });
}

export function oneOf<const T extends readonly string[]>(values: T): Validator<T[number]> {
  const describe = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return validator(describe, (value, path) => {
    if (typeof value !== 'string' || !values.includes(value)) fail(path, describe, value);
    return value as T[number];
  });
}

export interface ArrayOptions {
  min?: number;
  /** Mandatory, like a string's max. */
  max: number;
  /** Reject repeated items (compared with ===, so meant for numbers and strings). */
  unique?: boolean;
}

export function arr<T>(item: Validator<T>, opts: ArrayOptions): Validator<T[]> {
  const min = opts.min ?? 0;
  const describe = `an array of ${min}..${opts.max} ${opts.unique ? 'distinct ' : ''}items (each ${item.describe})`;
  return validator(describe, (value, path) => {
    if (!Array.isArray(value) || value.length < min || value.length > opts.max) fail(path, describe, value);
    const out = value.map((v, i) => item.parse(v, `${path}[${i}]`));
    if (opts.unique) {
      const seen = new Set<unknown>();
      out.forEach((v, i) => {
        if (seen.has(v)) throw new ValidationError(`${path}[${i}]`, `repeats ${show(v)}`);
        seen.add(v);
      });
    }
    return out;
  });
}

/** The key may be missing (or undefined); present values must pass `inner`. */
export function optional<T>(inner: Validator<T>): OptionalValidator<T> {
  return {
    optional: true,
    describe: `${inner.describe} (optional)`,
    parse: (value, path = '') => (value === undefined ? undefined : inner.parse(value, path)),
  };
}

export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return validator(`${inner.describe} or null`, (value, path) => (value === null ? null : inner.parse(value, path)));
}

type Shape = Record<string, Validator<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalValidator<unknown> ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined> }
>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A plain object with exactly these keys (unknown keys are an error: a typo in a filter must not
 * silently widen a query). Returns a fresh object, so `__proto__` and friends never get through.
 */
export function obj<S extends Shape>(shape: S): Validator<ObjectOf<S>> {
  const keys = Object.keys(shape);
  const describe = keys.length === 0 ? 'an empty object' : `an object with ${keys.join(', ')}`;
  return validator(describe, (value, path) => {
    if (!isPlainObject(value)) fail(path, describe, value);
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(shape, key)) {
        throw new ValidationError(path, `unknown field ${JSON.stringify(key.slice(0, 40))} (expected ${keys.join(', ') || 'none'})`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const parsed = shape[key]!.parse(value[key], path ? `${path}.${key}` : key);
      if (parsed !== undefined) out[key] = parsed;
    }
    return out as ObjectOf<S>;
  });
}

/** Applies `check` after `inner` (cross-field rules); `check` returns a problem or null. */
export function refine<T>(inner: Validator<T>, check: (value: T) => string | null): Validator<T> {
  return validator(inner.describe, (value, path) => {
    const parsed = inner.parse(value, path);
    const problem = check(parsed);
    if (problem !== null) throw new ValidationError(path, problem);
    return parsed;
  });
}
