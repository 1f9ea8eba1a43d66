// Window and session hardening: sandboxed renderer without Node, no navigation away from the
// app, no new windows, no webviews, no permissions beyond fullscreen video.
import type { BrowserWindowConstructorOptions } from 'electron';
import { isAppUrl } from './origins.js';

/**
 * Opens the app's one window. The options are written out here as one literal, next to
 * `new BrowserWindow`, so a static scanner (electronegativity, run by
 * test/unit/app/electronegativity.test.ts) sees the real values rather than a function call.
 * `BrowserWindow` is a parameter: Electron's class in the app, a fake in the tests.
 */
export function createAppWindow<W>(BrowserWindow: new (options: BrowserWindowConstructorOptions) => W, preload: string): W {
  return new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Reeltag',
    show: false,
    backgroundColor: '#16181d',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // A file dropped outside the drop zone must not replace the app with file://…
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  });
}

/** The parts of WebContents the hardening touches. */
export interface ContentsLike {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: { preventDefault(): void; url?: string }, url?: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function hardenWebContents(contents: ContentsLike): void {
  const guard = (event: { preventDefault(): void; url?: string }, url?: string) => {
    if (!isAppUrl(url ?? event.url ?? '')) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

const ALLOWED_PERMISSIONS = new Set(['fullscreen', 'clipboard-sanitized-write']);

/** For session.setPermissionRequestHandler / setPermissionCheckHandler. */
export function permissionAllowed(permission: string, requestingUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}
