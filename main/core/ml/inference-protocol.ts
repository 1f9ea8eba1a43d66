// Messages between inference-pool (parent) and inference-worker (worker_threads entry).
import type { FrameAnalysis } from '../../../shared/types.js';
import type { BackendName, BackendReport } from './backend.js';
import type { RgbFrame } from './frame-tensors.js';

/** workerData of an inference worker. */
export interface WorkerInit {
  cacheDir: string;
  backend?: BackendName;
}

export type ToWorker = { type: 'analyze'; id: number; frames: RgbFrame[] };

export type FromWorker =
  | { type: 'ready'; backend: BackendReport }
  | { type: 'init-error'; error: string }
  | { type: 'result'; id: number; results: FrameAnalysis[]; embedMs: number; objectsMs: number }
  | { type: 'error'; id: number; error: string };
