// The main process's end of the pipeline worker: request/response by id, events, media look-ups,
// and a clean stop. The channel is a parameter (Electron's UtilityProcess in the app, a fake in
// tests), so none of this needs Electron.
import type { AnyEvent, MediaRoute, MethodName, Result } from '../../shared/contract.js';
import type { FromWorker, MediaLookup, ToWorker, WorkerConfig } from '../worker/protocol.js';

export interface WorkerChannel {
  postMessage(message: ToWorker): void;
  on(event: 'message', listener: (message: FromWorker) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): unknown;
}

export interface WorkerClient {
  /** Resolves once the library is open; rejects with the worker's reason when it cannot start. */
  ready: Promise<void>;
  call(method: MethodName, request: unknown): Promise<Result<unknown>>;
  media(route: MediaRoute): Promise<MediaLookup>;
  onEvent(listener: (event: AnyEvent) => void): void;
  /** Asks the worker to close the library; kills it after `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

export function createWorkerClient(channel: WorkerChannel, config: WorkerConfig): WorkerClient {
  let nextId = 1;
  let dead: string | null = null;
  const calls = new Map<number, (r: Result<unknown>) => void>();
  const lookups = new Map<number, (l: MediaLookup) => void>();
  const listeners = new Set<(event: AnyEvent) => void>();
  let exited: () => void = () => undefined;
  const exitPromise = new Promise<void>((resolve) => (exited = resolve));
  let markReady: () => void = () => undefined;
  let markFailed: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  ready.catch(() => undefined);

  const failAll = (message: string) => {
    dead = message;
    for (const settle of calls.values()) settle({ ok: false, error: { code: 'unavailable', message } });
    calls.clear();
    for (const settle of lookups.values()) settle({ kind: 'missing' });
    lookups.clear();
  };

  channel.on('message', (message) => {
    switch (message.type) {
      case 'ready':
        markReady();
        return;
      case 'fatal':
        markFailed(new Error(message.message));
        failAll(`the Reeltag worker could not start: ${message.message}`);
        return;
      case 'result':
        calls.get(message.id)?.(message.result);
        calls.delete(message.id);
        return;
      case 'media':
        lookups.get(message.id)?.(message.lookup);
        lookups.delete(message.id);
        return;
      case 'event':
        for (const listener of listeners) listener(message.event);
        return;
      case 'closed':
        return;
    }
  });
  channel.on('exit', (code) => {
    markFailed(new Error(`the Reeltag worker exited (code ${code}) before it was ready`));
    if (!dead) failAll(`the Reeltag worker stopped (exit code ${code})`);
    exited();
  });
  channel.postMessage({ type: 'init', config });

  return {
    ready,
    call(method, request) {
      if (dead) return Promise.resolve({ ok: false, error: { code: 'unavailable', message: dead } });
      const id = nextId++;
      return new Promise((resolve) => {
        calls.set(id, resolve);
        channel.postMessage({ type: 'call', id, method, request });
      });
    },
    media(route) {
      if (dead) return Promise.resolve({ kind: 'missing' });
      const id = nextId++;
      return new Promise((resolve) => {
        lookups.set(id, resolve);
        channel.postMessage({ type: 'media', id, route });
      });
    },
    onEvent(listener) {
      listeners.add(listener);
    },
    async close(timeoutMs = 10_000) {
      if (dead) return;
      channel.postMessage({ type: 'close' });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          channel.kill();
          resolve();
        }, timeoutMs);
      });
      await Promise.race([exitPromise, timeout]);
      clearTimeout(timer);
    },
  };
}
