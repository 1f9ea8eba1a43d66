// Runs a custom tag's training in a worker thread (train-worker.ts), so the process that serves
// the UI never waits on it. Cancelling terminates the thread at once, mid-op included; since the
// worker writes nothing, that leaves the library untouched.
import { Worker } from 'node:worker_threads';
import type { TrainPhase } from '../../../../shared/contract.js';
import type { FromTrainWorker, TrainedTag, TrainRequest } from './protocol.js';

export interface RunTrainingOptions {
  signal?: AbortSignal;
  onProgress?: (phase: TrainPhase, fraction: number) => void;
  /** The compiled worker (tests point at dist/). */
  workerUrl?: URL;
}

export function runTraining(request: TrainRequest, opts: RunTrainingOptions = {}): Promise<TrainedTag> {
  opts.signal?.throwIfAborted();
  const worker = new Worker(opts.workerUrl ?? new URL('./train-worker.js', import.meta.url), { workerData: request });
  return new Promise<TrainedTag>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(opts.signal!.reason instanceof Error ? opts.signal!.reason : new Error('training cancelled')));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FromTrainWorker) => {
      if (m.type === 'progress') opts.onProgress?.(m.phase, m.fraction);
      else if (m.type === 'done') finish(() => resolve({ ...m.result, weights: Buffer.from(m.result.weights) }));
      else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the training worker stopped (exit code ${code}) before it finished`))));
  });
}
