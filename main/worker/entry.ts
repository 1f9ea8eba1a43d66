// Entry of the pipeline worker. In Electron it runs as a utilityProcess (process.parentPort);
// under plain Node (tests) as a worker_threads worker. Either way the Electron main thread and
// the UI never wait on ffmpeg, SQLite or a model.
import { parentPort as threadPort } from 'node:worker_threads';
import { hostService } from './host.js';
import type { FromWorker, PortLike, ToWorker } from './protocol.js';

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

function pickPort(): PortLike<ToWorker, FromWorker> {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      post: (m) => electronPort.postMessage(m),
      onMessage: (fn) => electronPort.on('message', (e) => fn(e.data as ToWorker)),
    };
  }
  if (threadPort) {
    const port = threadPort;
    return { post: (m) => port.postMessage(m), onMessage: (fn) => port.on('message', fn) };
  }
  throw new Error('main/worker/entry must run as an Electron utilityProcess or a worker_threads worker');
}

const port = pickPort();
hostService(port, {
  onClosed: () => {
    // utilityProcess: exit once the library is closed; a worker thread ends when its port closes.
    if (!threadPort) setImmediate(() => process.exit(0));
    else threadPort.close();
  },
});
