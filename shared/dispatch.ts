// One place that turns (method name, untrusted input) into a Result: look the method up in the
// table, validate the input, call the handler, map any throw to { ok: false, error }. Every
// transport (IPC in main, the worker host, HTTP) goes through it.
// Plain data only: no node, DOM or electron imports.
import {
  ContractError,
  isMethodName,
  methods,
  type ContractErrorInfo,
  type Handlers,
  type MethodName,
  type RequestOf,
  type Result,
} from './contract.js';
import { ValidationError } from './validate.js';

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err(code: ContractErrorInfo['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/** Maps a thrown value to the error half of a Result. */
export function toErrorInfo(e: unknown): ContractErrorInfo {
  if (e instanceof ContractError) return { code: e.code, message: e.message };
  if (e instanceof ValidationError) return { code: 'invalid_input', message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: message || 'unknown error' };
}

/** Validates `input` against the method's request validator; throws ContractError. */
export function parseRequest<M extends MethodName>(method: M, input: unknown): RequestOf<M> {
  try {
    return methods[method].request.parse(input) as RequestOf<M>;
  } catch (e) {
    if (e instanceof ValidationError) throw new ContractError('invalid_input', `${method}: ${e.message}`);
    throw e;
  }
}

/** Calls a contract method by name with untrusted input; never throws. */
export async function dispatch(handlers: Handlers, method: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) {
    return err('unknown_method', `unknown method ${JSON.stringify(String(method).slice(0, 60))}`);
  }
  try {
    const request = parseRequest(method, input);
    const handler = handlers[method] as (req: unknown) => unknown;
    return ok(await handler(request));
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}
