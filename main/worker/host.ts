// Hosts ReeltagService behind a message port: the Electron main process sends contract calls and
// media look-ups, the worker answers and streams events back. The port is a parameter, so the
// same host runs in a utilityProcess (Electron) and in a worker_threads worker (tests).
import { ReeltagService, type CoreConfig } from '../core/service.js';
import { dispatch, toErrorInfo } from '../../shared/dispatch.js';
import { createBackend, type Backend } from './backend.js';
import { lookupMedia } from './media-lookup.js';
import type { FromWorker, PortLike, ToWorker, WorkerConfig } from './protocol.js';

export interface HostDeps {
  /** Builds the service (tests inject one that reads a temp library). */
  createService?: (config: CoreConfig) => ReeltagService;
  env?: NodeJS.ProcessEnv;
  /** Called after 'closed' is posted (the entry exits the process there). */
  onClosed?: () => void;
}

export function hostService(port: PortLike<ToWorker, FromWorker>, deps: HostDeps = {}): void {
  let service: ReeltagService | undefined;
  let backend: Backend | undefined;
  const createService = deps.createService ?? ((config: CoreConfig) => new ReeltagService(config));

  function start(config: WorkerConfig): void {
    try {
      service = createService({
        libraryDir: config.libraryDir,
        cacheDir: config.cacheDir,
        env: deps.env ?? process.env,
        ...(config.workers && { workers: config.workers }),
        ...(config.inferenceWorkerUrl && { workerUrl: new URL(config.inferenceWorkerUrl) }),
      });
      service.lib(); // open (and migrate) now, so a broken library or native module fails at start
      backend = createBackend(service, { transport: config.transport, version: config.version });
      backend.subscribe((event) => port.post({ type: 'event', event }));
      port.post({ type: 'ready' });
    } catch (e) {
      port.post({ type: 'fatal', message: toErrorInfo(e).message });
    }
  }

  async function close(): Promise<void> {
    try {
      await backend?.close();
      await service?.close();
    } finally {
      port.post({ type: 'closed' });
      deps.onClosed?.();
    }
  }

  port.onMessage((message) => {
    switch (message.type) {
      case 'init':
        if (!service) start(message.config);
        return;
      case 'call':
        if (!backend) {
          port.post({ type: 'result', id: message.id, result: { ok: false, error: { code: 'unavailable', message: 'the Reeltag worker did not start' } } });
          return;
        }
        void dispatch(backend.handlers, message.method, message.request).then((result) => port.post({ type: 'result', id: message.id, result }));
        return;
      case 'media': {
        let lookup: FromWorker & { type: 'media' };
        try {
          lookup = { type: 'media', id: message.id, lookup: service ? lookupMedia(service, message.route) : { kind: 'missing' } };
        } catch {
          lookup = { type: 'media', id: message.id, lookup: { kind: 'missing' } };
        }
        port.post(lookup);
        return;
      }
      case 'close':
        void close();
        return;
    }
  });
}
