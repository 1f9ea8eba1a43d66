// The built preload (dist/main/preload/index.cjs) run the way a sandboxed preload runs: one
// CommonJS script whose require() reaches only 'electron'.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_METHOD_PREFIX, type ReeltagBridge } from '../../../shared/contract.js';

const file = path.resolve(import.meta.dirname, '../../../dist/main/preload/index.cjs');

function load() {
  if (!fs.existsSync(file)) throw new Error('dist/main/preload/index.cjs is missing: run `npx tsc -p tsconfig.build.json` (npm test builds first)');
  const exposed: Record<string, unknown> = {};
  let onEvent: ((event: unknown, message: unknown) => void) | undefined;
  const invoke = vi.fn(async () => ({ ok: true, value: 1 }));
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
    ipcRenderer: {
      invoke,
      on: (channel: string, fn: (event: unknown, message: unknown) => void) => {
        expect(channel).toBe(IPC_EVENT_CHANNEL);
        onEvent = fn;
      },
    },
    webUtils: { getPathForFile: (f: { path?: string }) => f.path ?? '' },
  };
  const required: string[] = [];
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), { require: sandboxRequire, module, exports: module.exports, console }, { filename: file });
  return { bridge: exposed.reeltag as ReeltagBridge, exposed, invoke, emit: (m: unknown) => onEvent!({ sender: 'secret' }, m), required };
}

describe('preload', () => {
  it('exposes only window.reeltag, requiring nothing but electron', () => {
    const { exposed, required, bridge } = load();
    expect(Object.keys(exposed)).toEqual(['reeltag']);
    expect(required).toEqual(['electron']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on', 'pathForFile', 'transport']);
    expect(bridge.transport).toBe('electron');
  });

  it('invokes on the contract channel and refuses odd method names', async () => {
    const { bridge, invoke } = load();
    expect(await bridge.invoke('listTags', {})).toEqual({ ok: true, value: 1 });
    expect(invoke).toHaveBeenCalledWith(`${IPC_METHOD_PREFIX}listTags`, {});
    for (const bad of ['', '../x', 'a:b', 'x'.repeat(80)]) expect(await bridge.invoke(bad, {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(invoke).toHaveBeenCalledOnce();
  });

  it('passes event payloads (never the IPC event) to listeners, and unsubscribes', () => {
    const { bridge, emit } = load();
    const seen: unknown[] = [];
    const off = bridge.on('jobEnd', (p) => seen.push(p));
    emit({ event: 'jobEnd', payload: { jobId: 1 } });
    emit({ event: 'jobProgress', payload: { jobId: 2 } });
    off();
    emit({ event: 'jobEnd', payload: { jobId: 3 } });
    emit(null);
    expect(seen).toEqual([{ jobId: 1 }]);
  });

  it('gives a dropped file its path on disk', () => {
    const { bridge } = load();
    expect(bridge.pathForFile({ path: '/videos/a.mp4' })).toBe('/videos/a.mp4');
    expect(bridge.pathForFile({})).toBe('');
  });
});
