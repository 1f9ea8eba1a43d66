// The preload: exposes the contract (invoke a method, listen to an event, the path of a dropped
// file) as window.reeltag and nothing else — no ipcRenderer, no event objects, no Node.
// It runs sandboxed, where require() reaches only a few built-ins: hence CommonJS, one file, and
// the two channel names written out here (test/unit/app/preload.test.ts holds them equal to
// IPC_METHOD_PREFIX / IPC_EVENT_CHANNEL in shared/contract.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS
import electron = require('electron');
import type { ReeltagBridge, Result } from '../../shared/contract.js';

const IPC_METHOD_PREFIX = 'reeltag:';
const IPC_EVENT_CHANNEL = 'reeltag:event';
const METHOD_NAME = /^[a-zA-Z][a-zA-Z0-9]{0,63}$/;

const { contextBridge, ipcRenderer, webUtils } = electron;
const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, message: { event?: unknown; payload?: unknown }) => {
  if (!message || typeof message.event !== 'string') return;
  for (const listener of listeners.get(message.event) ?? []) {
    try {
      listener(message.payload);
    } catch (e) {
      console.error(e);
    }
  }
});

const bridge: ReeltagBridge = {
  transport: 'electron',
  invoke(method, request) {
    if (typeof method !== 'string' || !METHOD_NAME.test(method)) {
      const result: Result<unknown> = { ok: false, error: { code: 'unknown_method', message: `unknown method ${String(method).slice(0, 60)}` } };
      return Promise.resolve(result);
    }
    return ipcRenderer.invoke(IPC_METHOD_PREFIX + method, request) as Promise<Result<unknown>>;
  },
  on(event, listener) {
    if (typeof event !== 'string' || typeof listener !== 'function') return () => undefined;
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const fn = (payload: unknown) => listener(payload);
    set.add(fn);
    return () => {
      set.delete(fn);
    };
  },
  pathForFile(file) {
    try {
      return webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]);
    } catch {
      return '';
    }
  },
};

contextBridge.exposeInMainWorld('reeltag', bridge);
