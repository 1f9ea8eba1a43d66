// One ipcMain.handle per contract method, registered from the table in shared/contract.ts. Each
// checks the sender, validates the request (before it leaves the main process) and answers with
// a Result; nothing throws across IPC.
import { IPC_METHOD_PREFIX, METHOD_NAMES, type MethodName, type Result } from '../../shared/contract.js';
import { err, parseRequest, toErrorInfo } from '../../shared/dispatch.js';
import type { InvokeEventLike } from './sender.js';

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcDeps {
  isTrusted(event: InvokeEventLike): boolean;
  /** Forwards a validated request to the backend (the pipeline worker). */
  call(method: MethodName, request: unknown): Promise<Result<unknown>>;
}

/** Registers every method; returns a function that removes them again. */
export function registerIpcHandlers(ipcMain: IpcMainLike, deps: IpcDeps): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(IPC_METHOD_PREFIX + method, async (event, ...args): Promise<Result<unknown>> => {
      if (!deps.isTrusted(event)) return err('forbidden', 'IPC from a window that is not Reeltag’s own');
      if (args.length > 1) return err('invalid_input', `${method}: expected one request argument`);
      try {
        const request = parseRequest(method, args[0]);
        return await deps.call(method, request);
      } catch (e) {
        return { ok: false, error: toErrorInfo(e) };
      }
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(IPC_METHOD_PREFIX + method);
  };
}
