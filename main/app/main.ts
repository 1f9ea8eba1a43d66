// Electron entry: wires the pieces and nothing more. The pipeline runs in a utilityProcess
// (main/worker/entry.ts); IPC handlers, protocols and hardening live in small modules next to
// this one, which take their electron dependencies as parameters (unit-tested without Electron).
import path from 'node:path';
import { BrowserWindow, app, dialog, ipcMain, protocol, session, utilityProcess } from 'electron';
import { IPC_EVENT_CHANNEL, MEDIA_SCHEME } from '../../shared/contract.js';
import { defaultCacheDir, defaultLibraryDir } from '../core/paths.js';
import { appRoot } from '../server/app-root.js';
import { registerIpcHandlers } from './ipc.js';
import { APP_SCHEME, APP_URL, PRIVILEGED_SCHEMES } from './origins.js';
import { createAppProtocolHandler, createMediaProtocolHandler } from './protocols.js';
import { createAppWindow, hardenWebContents, permissionAllowed, type ContentsLike } from './security.js';
import { isTrustedSender, type InvokeEventLike } from './sender.js';
import { createWorkerClient, type WorkerChannel, type WorkerClient } from './worker-client.js';

// The app root: the project folder, or app.asar when packaged.
const { dir: root, version } = appRoot(import.meta.url);

protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES);
// userData must be …/Reeltag, where the CLI looks too (main/core/paths.ts), even when started as
// `electron dist/main/app/main.js`.
app.setName('Reeltag');
app.enableSandbox();

function explain(message: string): string {
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) {
    return `${message}\n\nbetter-sqlite3 is built for another Node ABI. For Electron run \`npx electron-builder install-app-deps\` ` +
      '(and `npm rebuild better-sqlite3` to go back to the CLI under Node), or use `reeltag serve` in a browser.';
  }
  return message;
}

function main(): void {
  let win: BrowserWindow | null = null;
  let worker: WorkerClient | null = null;
  let quitting = false;

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents as unknown as ContentsLike));
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (quitting || !worker) return;
    event.preventDefault();
    quitting = true;
    void worker.close().finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl)));
    ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));

    const child = utilityProcess.fork(path.join(root, 'dist/main/worker/entry.js'), [], { serviceName: 'Reeltag pipeline', stdio: 'inherit' });
    const env = process.env;
    const client = createWorkerClient(child as unknown as WorkerChannel, {
      libraryDir: defaultLibraryDir(env),
      cacheDir: defaultCacheDir(env),
      version,
      transport: 'electron',
      ...(Number(env.REELTAG_WORKERS) > 0 && { workers: Number(env.REELTAG_WORKERS) }),
    });
    worker = client;
    client.ready.catch((e: Error) => dialog.showErrorBox('Reeltag could not open its library', explain(e.message)));
    client.onEvent((event) => win?.webContents.send(IPC_EVENT_CHANNEL, event));

    protocol.handle(APP_SCHEME, createAppProtocolHandler(path.join(root, 'renderer/dist')));
    protocol.handle(MEDIA_SCHEME, createMediaProtocolHandler((route) => client.media(route)));
    registerIpcHandlers(ipcMain as unknown as Parameters<typeof registerIpcHandlers>[0], {
      isTrusted: (event: InvokeEventLike) => isTrustedSender(event, () => win?.webContents),
      call: (method, request) => client.call(method, request),
    });

    win = createAppWindow(BrowserWindow, path.join(root, 'dist/main/preload/index.cjs'));
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => {
      win = null;
    });
    await win.loadURL(APP_URL);
  });
}

// One window per library: a second start focuses the first.
if (app.requestSingleInstanceLock()) main();
else app.quit();
