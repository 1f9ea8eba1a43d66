// Messages between the service and the custom-tag training worker (train-worker.ts).
import type { TrainPhase } from '../../../../shared/contract.js';
import type { TagModelMetrics } from '../../library/tag-models.js';
import type { BackendName } from '../backend.js';
import type { TrainSettings } from './train.js';

export interface TrainRequest {
  libraryDir: string;
  name: string;
  /** The threshold to start at; the cross-validation's best when undefined. */
  threshold?: number;
  settings: TrainSettings;
  /** Most background negatives. */
  maxBackground: number;
  backend?: BackendName;
}

export interface TrainedTag {
  name: string;
  threshold: number;
  modelJson: string;
  weights: Buffer;
  metrics: TagModelMetrics;
  clipIds: Float64Array;
  scores: Float32Array;
}

export type FromTrainWorker =
  | { type: 'progress'; phase: TrainPhase; fraction: number }
  | { type: 'done'; result: Omit<TrainedTag, 'weights'> & { weights: Uint8Array } }
  | { type: 'error'; message: string };
