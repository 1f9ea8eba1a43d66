// Messages between the Electron main process and the pipeline worker (a utilityProcess, or a
// worker_threads worker in tests). Only structured-clone data crosses.
import type { AnyEvent, MediaRoute, Result } from '../../shared/contract.js';

export interface WorkerConfig {
  libraryDir: string;
  cacheDir: string;
  version: string;
  transport: 'electron' | 'http';
  /** Inference worker threads (REELTAG_WORKERS). */
  workers?: number;
  /** For tests: the compiled inference worker entry. */
  inferenceWorkerUrl?: string;
}

/** What a media URL resolved to: a file to stream (checked again before opening), or bytes. */
export type MediaLookup =
  | { kind: 'file'; path: string }
  | { kind: 'bytes'; data: Uint8Array; contentType: string }
  | { kind: 'missing' };

export type ToWorker =
  | { type: 'init'; config: WorkerConfig }
  | { type: 'call'; id: number; method: string; request: unknown }
  | { type: 'media'; id: number; route: MediaRoute }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  /** The service could not start (e.g. better-sqlite3 built for another Node ABI). */
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'media'; id: number; lookup: MediaLookup }
  | { type: 'event'; event: AnyEvent }
  | { type: 'closed' };

/** The two ends a worker can have: Electron's process.parentPort and worker_threads' parentPort. */
export interface PortLike<In, Out> {
  post(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}
