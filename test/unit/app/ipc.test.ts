// IPC registration from the contract table, with a mocked electron: the sender check rejects
// anything but the app's own window, invalid input never reaches the backend.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { ipcMain } = await import('electron');
const { registerIpcHandlers } = await import('../../../main/app/ipc.js');
const { isTrustedSender } = await import('../../../main/app/sender.js');
const { IPC_METHOD_PREFIX, METHOD_NAMES } = await import('../../../shared/contract.js');

const mainContents = { id: 1 };
const appFrame = { url: 'reeltag-app://app/index.html', parent: null };
const good = { sender: mainContents, senderFrame: appFrame };

function setup() {
  handlers.clear();
  const call = vi.fn(async (method: string, request: unknown) => ({ ok: true as const, value: { method, request } }));
  const unregister = registerIpcHandlers(ipcMain as never, { isTrusted: (e) => isTrustedSender(e, () => mainContents), call });
  const invoke = (method: string, event: unknown, ...args: unknown[]) => handlers.get(IPC_METHOD_PREFIX + method)!(event, ...args);
  return { call, invoke, unregister };
}

describe('registerIpcHandlers', () => {
  it('registers one handler per contract method and removes them again', () => {
    const { unregister } = setup();
    expect([...handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => IPC_METHOD_PREFIX + m).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('forwards a valid request from the app window, validated', async () => {
    const { call, invoke } = setup();
    expect(await invoke('listClips', good, { tag: 'dog', limit: 10 })).toEqual({ ok: true, value: { method: 'listClips', request: { tag: 'dog', limit: 10 } } });
    expect(call).toHaveBeenCalledOnce();
  });

  it('rejects foreign senders: another webContents, an iframe, a navigated or destroyed frame', async () => {
    const { call, invoke } = setup();
    const foreign = [
      { sender: { id: 2 }, senderFrame: appFrame },
      { sender: mainContents, senderFrame: { url: 'reeltag-app://app/index.html', parent: { url: 'reeltag-app://app/index.html' } } },
      { sender: mainContents, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: mainContents, senderFrame: { url: 'file:///etc/passwd', parent: null } },
      { sender: mainContents, senderFrame: { url: 'reeltag-app://evil/index.html', parent: null } },
      { sender: mainContents, senderFrame: null },
    ];
    for (const event of foreign) expect(await invoke('appInfo', event, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(call).not.toHaveBeenCalled();
  });

  it('answers invalid input with {ok: false} and never calls the backend', async () => {
    const { call, invoke } = setup();
    expect(await invoke('clipDetail', good, { clipId: -1 })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('clipId') } });
    expect(await invoke('listClips', good, { limit: 1e9 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await invoke('tagClips', good, { clipIds: [1], names: ['x'.repeat(201)] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await invoke('ingest', good, { paths: ['/a'], extra: true })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await invoke('appInfo', good)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await invoke('appInfo', good, {}, 'second')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(call).not.toHaveBeenCalled();
  });

  it('any arguments from the app window: a Result, and the backend sees only requests that validate', async () => {
    const { call, invoke } = setup();
    const { methods } = await import('../../../shared/contract.js');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METHOD_NAMES), fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 3 }), async (method, args) => {
        call.mockClear();
        const r = (await invoke(method, good, ...args)) as { ok: boolean; error?: { code: string } };
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.error?.code).toBe('invalid_input');
        for (const [m, request] of call.mock.calls) expect(() => methods[m as typeof method].request.parse(request)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
