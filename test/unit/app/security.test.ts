import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createAppWindow, hardenWebContents, permissionAllowed, type ContentsLike } from '../../../main/app/security.js';

describe('window hardening', () => {
  it('opens the window sandboxed, isolated and without Node', () => {
    class FakeWindow {
      constructor(readonly options: BrowserWindowConstructorOptions) {}
    }
    const win = createAppWindow(FakeWindow, '/p.cjs');
    expect(win.options.webPreferences).toMatchObject({
      preload: '/p.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
      webSecurity: true, allowRunningInsecureContent: false, experimentalFeatures: false, webviewTag: false, navigateOnDragDrop: false,
    });
    expect(win.options.show).toBe(false);
  });

  it('blocks navigation away from the app, new windows and webviews', () => {
    const listeners = new Map<string, (event: { preventDefault(): void; url?: string }, url?: string) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (name: string, fn: never) => listeners.set(name, fn),
      setWindowOpenHandler: (fn: never) => (openHandler = fn),
    } as unknown as ContentsLike;
    hardenWebContents(contents);
    const attempt = (name: string, url: string) => {
      const event = { preventDefault: vi.fn(), url };
      listeners.get(name)!(event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(attempt('will-redirect', 'reeltag-media://library/video/1')).toBe(true);
    expect(attempt('will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(attempt('will-navigate', 'reeltag-app://app/index.html')).toBe(false);
    expect(attempt('will-attach-webview', '')).toBe(true);
    expect(openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('grants no permissions but fullscreen video and copy, and only to the app', () => {
    expect(permissionAllowed('fullscreen', 'reeltag-app://app/index.html')).toBe(true);
    expect(permissionAllowed('fullscreen', 'reeltag-app://app')).toBe(true);
    expect(permissionAllowed('media', 'reeltag-app://app/index.html')).toBe(false);
    expect(permissionAllowed('fullscreen', 'https://evil.example')).toBe(false);
  });
});
