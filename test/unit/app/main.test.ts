// The Electron entry, wired against a mocked electron: privileged schemes, both protocols, one
// IPC handler per method, a sandboxed window on the app URL, and the pipeline in a utilityProcess
// (messages go through it, never the main thread).
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const m = vi.hoisted(() => {
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  const protocolHandlers = new Map<string, (r: Request) => Promise<Response>>();
  const windows: Array<{ options: Record<string, unknown>; url?: string; webContents: { send: ReturnType<typeof vi.fn> } }> = [];
  const children: Array<{ modulePath: string; sent: unknown[]; emitter: import('node:events').EventEmitter }> = [];
  return { ipcHandlers, protocolHandlers, windows, children, registered: [] as unknown[] };
});

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { send: vi.fn() };
    constructor(public options: Record<string, unknown>) {
      m.windows.push(this as never);
    }
    once() {}
    on() {}
    loadURL(url: string) {
      (this as unknown as { url: string }).url = url;
      return Promise.resolve();
    }
  }
  return {
    app: {
      setName: vi.fn(),
      enableSandbox: vi.fn(),
      requestSingleInstanceLock: () => true,
      on: vi.fn(),
      quit: vi.fn(),
      whenReady: () => Promise.resolve(),
    },
    BrowserWindow,
    dialog: { showErrorBox: vi.fn() },
    ipcMain: {
      handle: (channel: string, fn: never) => m.ipcHandlers.set(channel, fn),
      removeHandler: (channel: string) => m.ipcHandlers.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => m.registered.push(...schemes),
      handle: (scheme: string, fn: never) => m.protocolHandlers.set(scheme, fn),
    },
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } },
    utilityProcess: {
      fork: (modulePath: string) => {
        const emitter = new EventEmitter();
        const child = { modulePath, sent: [] as unknown[], emitter };
        m.children.push(child);
        return Object.assign(emitter, { postMessage: (msg: unknown) => child.sent.push(msg), kill: vi.fn() });
      },
    },
  };
});

describe('main/app/main.ts', () => {
  it('wires the shell', async () => {
    const { app } = await import('electron');
    await import('../../../main/app/main.js');
    await vi.waitFor(() => expect(m.windows).toHaveLength(1));
    const { IPC_EVENT_CHANNEL, IPC_METHOD_PREFIX, METHOD_NAMES } = await import('../../../shared/contract.js');

    expect(app.setName).toHaveBeenCalledWith('Reeltag');
    expect(app.enableSandbox).toHaveBeenCalled();
    expect(m.registered).toEqual([
      expect.objectContaining({ scheme: 'reeltag-app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
      expect.objectContaining({ scheme: 'reeltag-media', privileges: expect.objectContaining({ stream: true }) }),
    ]);
    expect([...m.protocolHandlers.keys()].sort()).toEqual(['reeltag-app', 'reeltag-media']);
    expect([...m.ipcHandlers.keys()].sort()).toEqual(METHOD_NAMES.map((n) => IPC_METHOD_PREFIX + n).sort());

    const win = m.windows[0]!;
    expect(win.url).toBe('reeltag-app://app/index.html');
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(prefs.preload).toBe(path.resolve(import.meta.dirname, '../../../dist/main/preload/index.cjs'));

    // The pipeline: a utilityProcess on the worker entry, initialised with the library folder.
    const child = m.children[0]!;
    expect(child.modulePath).toBe(path.resolve(import.meta.dirname, '../../../dist/main/worker/entry.js'));
    expect(child.sent[0]).toMatchObject({ type: 'init', config: { transport: 'electron', libraryDir: expect.any(String) } });
    child.emitter.emit('message', { type: 'ready' });

    // An IPC call from the window travels to the worker and back.
    const event = { sender: win.webContents, senderFrame: { url: 'reeltag-app://app/index.html', parent: null } };
    const pending = m.ipcHandlers.get(`${IPC_METHOD_PREFIX}listTags`)!(event, { kind: 'object' });
    await vi.waitFor(() => expect(child.sent).toHaveLength(2));
    const sent = child.sent[1] as { type: string; id: number; method: string; request: unknown };
    expect(sent).toMatchObject({ type: 'call', method: 'listTags', request: { kind: 'object' } });
    child.emitter.emit('message', { type: 'result', id: sent.id, result: { ok: true, value: [] } });
    expect(await pending).toEqual({ ok: true, value: [] });

    // Worker events reach the window on the one event channel.
    const progress = { event: 'jobProgress', payload: { jobId: 1, path: '/a', stage: 'decode', fraction: 0.5 } };
    child.emitter.emit('message', { type: 'event', event: progress });
    expect(win.webContents.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, progress);

    // Media URLs are looked up by the worker; a missing row is a 404.
    const media = m.protocolHandlers.get('reeltag-media')!(new Request('reeltag-media://library/video/5'));
    await vi.waitFor(() => expect(child.sent).toHaveLength(3));
    const lookup = child.sent[2] as { id: number; route: unknown };
    expect(lookup.route).toEqual({ kind: 'video', mediaId: 5 });
    child.emitter.emit('message', { type: 'media', id: lookup.id, lookup: { kind: 'missing' } });
    expect((await media).status).toBe(404);

    // A crashed worker turns calls into 'unavailable', not hangs.
    child.emitter.emit('exit', 1);
    expect(await m.ipcHandlers.get(`${IPC_METHOD_PREFIX}appInfo`)!(event, {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
