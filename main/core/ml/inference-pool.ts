// Runs the Analyzer in worker_threads so the app's main thread never waits on a model. Each
// worker has its own tfjs backend (tfjs state is per thread); calls go to the worker with the
// fewest frames in flight.
//
// Crashes: a worker that dies (wasm out of memory, a native abort) rejects exactly the calls it
// held, with an error that says so, and the pool replaces it on the next call. A bad input is
// not a crash (the worker answers with an error), so repeated deaths mean something is wrong
// with the machine or the install: after `maxRestarts` replacements the pool stops replacing,
// and once no worker is left `dead` holds the reason and every call rejects with it.
import { Worker } from 'node:worker_threads';
import type { FrameAnalysis } from '../../../shared/types.js';
import type { AnalyzerTimings } from './analyzer.js';
import type { BackendName, BackendReport } from './backend.js';
import { copyBytes } from './file-io-handler.js';
import { assertFrame, type RgbFrame } from './frame-tensors.js';
import type { FromWorker, ToWorker, WorkerInit } from './inference-protocol.js';

export interface InferencePoolOptions {
  cacheDir: string;
  /** Worker threads (default 1). On 2 cores, 2 wasm workers give ~1.5× one. */
  workers?: number;
  backend?: BackendName;
  /** The compiled worker entry; tests running TypeScript sources point this at dist/. */
  workerUrl?: URL;
  /** Crashed workers replaced over the pool's life before it gives up (default 3). */
  maxRestarts?: number;
}

export interface InferencePool {
  /** What worker 0 selected (every worker selects the same way). */
  readonly backend: BackendReport;
  /** Worker threads in the pool. */
  readonly workers: number;
  /** Null while the pool works; the reason once no worker is left and none may be started. */
  readonly dead: Error | null;
  /**
   * Analyses frames in a worker. The frames' rgb buffers are transferred, not copied: after this
   * call they are detached (length 0) in the caller. Views into a larger buffer are copied first.
   */
  analyze(frames: RgbFrame[]): Promise<FrameAnalysis[]>;
  /** Summed over all workers: per-frame compute time, not wall time. */
  timings(): AnalyzerTimings;
  /** Rejects calls still pending and stops the workers. */
  close(): Promise<void>;
}

interface Pending {
  resolve: (results: FrameAnalysis[]) => void;
  reject: (error: Error) => void;
  frames: number;
  objectFrames: number;
}

interface Slot {
  index: number;
  worker: Worker | null;
  ready: Promise<BackendReport> | null;
  pending: Map<number, Pending>;
  /** Frames in flight: the least-busy measure. */
  load: number;
  lastError: Error | null;
}

/**
 * Frames ready for postMessage with their buffers in the transfer list. A buffer is moved only
 * when the frame's view covers all of it; otherwise moving it would also detach whatever else
 * shares it (Node pools small Buffers), so that frame is copied.
 */
export function transferableFrames(frames: RgbFrame[]): { frames: RgbFrame[]; transfer: ArrayBuffer[] } {
  const transfer = new Set<ArrayBuffer>();
  const out = frames.map((frame) => {
    const buffer = frame.rgb.buffer;
    if (buffer instanceof ArrayBuffer && frame.rgb.byteOffset === 0 && frame.rgb.byteLength === buffer.byteLength) {
      transfer.add(buffer);
      return frame;
    }
    const rgb = copyBytes(frame.rgb);
    transfer.add(rgb.buffer);
    return { ...frame, rgb };
  });
  return { frames: out, transfer: [...transfer] };
}

export async function createInferencePool(opts: InferencePoolOptions): Promise<InferencePool> {
  const count = opts.workers ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new Error(`workers must be a positive integer, got ${count}`);
  const workerUrl = opts.workerUrl ?? new URL('./inference-worker.js', import.meta.url);
  const init: WorkerInit = { cacheDir: opts.cacheDir, ...(opts.backend && { backend: opts.backend }) };
  const totals = { embedMs: 0, objectsMs: 0, frames: 0, objectFrames: 0 };
  let restartsLeft = opts.maxRestarts ?? 3;
  let closed = false;
  let nextId = 1;
  let nextSlot = 0;
  let lastCrash: Error | null = null;

  const settle = (slot: Slot, id: number, fn: (p: Pending) => void): void => {
    const pending = slot.pending.get(id);
    if (!pending) return;
    slot.pending.delete(id);
    slot.load -= pending.frames;
    fn(pending);
  };

  const failAll = (slot: Slot, error: Error): void => {
    for (const id of [...slot.pending.keys()]) settle(slot, id, (p) => p.reject(error));
  };

  function spawn(slot: Slot): void {
    const worker = new Worker(workerUrl, { workerData: init });
    slot.worker = worker;
    slot.lastError = null;
    let started = false;
    slot.ready = new Promise<BackendReport>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          started = true;
          resolve(message.backend);
        } else if (message.type === 'init-error') {
          slot.lastError = new Error(message.error);
          reject(new Error(`inference worker ${slot.index} could not start: ${message.error}`));
          void worker.terminate();
        } else if (message.type === 'result') {
          settle(slot, message.id, (p) => {
            totals.embedMs += message.embedMs;
            totals.objectsMs += message.objectsMs;
            totals.frames += p.frames;
            totals.objectFrames += p.objectFrames;
            p.resolve(message.results);
          });
        } else {
          settle(slot, message.id, (p) => p.reject(new Error(message.error)));
        }
      });
      worker.on('error', (error) => {
        slot.lastError = error;
      });
      worker.on('exit', (code) => {
        if (slot.worker !== worker) return;
        slot.worker = null;
        slot.ready = null;
        const why = slot.lastError?.message ?? `exited with code ${code}`;
        if (!started) reject(new Error(`inference worker ${slot.index} could not start: ${why}`));
        if (closed) return;
        const lost = slot.pending.size;
        lastCrash = new Error(`inference worker ${slot.index} crashed (${why}); ${lost} pending call(s) failed`);
        failAll(slot, lastCrash);
      });
    });
    // Callers observe `ready` through their own handlers; this one only keeps Node from
    // reporting an unhandled rejection when nobody is waiting.
    slot.ready.catch(() => undefined);
  }

  const slots: Slot[] = Array.from({ length: count }, (_, index) => ({
    index,
    worker: null,
    ready: null,
    pending: new Map(),
    load: 0,
    lastError: null,
  }));

  const deadError = (): Error | null => {
    if (closed) return new Error('inference pool is closed');
    if (slots.some((s) => s.worker) || restartsLeft > 0) return null;
    return new Error(`inference pool is dead: no worker left and no restarts left (last: ${lastCrash?.message ?? 'unknown'})`);
  };

  function pick(): Slot {
    const dead = deadError();
    if (dead) throw dead;
    let best: Slot | undefined;
    for (let k = 0; k < slots.length; k++) {
      const slot = slots[(nextSlot + k) % slots.length];
      if (!slot || (!slot.worker && restartsLeft <= 0)) continue;
      if (!best || slot.load < best.load) best = slot;
    }
    if (!best) throw new Error('inference pool has no usable worker');
    nextSlot = (best.index + 1) % slots.length;
    if (!best.worker) {
      restartsLeft--;
      spawn(best);
    }
    return best;
  }

  for (const slot of slots) spawn(slot);
  let backend: BackendReport;
  try {
    const reports = await Promise.all(slots.map((s) => s.ready));
    if (!reports[0]) throw new Error('inference worker 0 reported no backend');
    backend = reports[0];
  } catch (error) {
    closed = true;
    await Promise.all(slots.map((s) => s.worker?.terminate()));
    throw error;
  }

  return {
    workers: count,
    backend,
    get dead() {
      return deadError();
    },
    async analyze(frames) {
      if (frames.length === 0) {
        const dead = deadError();
        if (dead) throw dead;
        return [];
      }
      // Check here: a bad frame must fail before its buffer is moved away from the caller.
      frames.forEach(assertFrame);
      const slot = pick();
      const worker = slot.worker;
      const ready = slot.ready;
      if (!worker || !ready) throw new Error('inference pool has no usable worker');
      const id = nextId++;
      const packed = transferableFrames(frames);
      const request: ToWorker = { type: 'analyze', id, frames: packed.frames };
      slot.load += frames.length;
      return new Promise<FrameAnalysis[]>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject, frames: frames.length, objectFrames: frames.filter((f) => f.objects !== false).length });
        ready.then(
          () => {
            if (slot.pending.has(id) && slot.worker === worker) worker.postMessage(request, packed.transfer);
          },
          (error: Error) => settle(slot, id, (p) => p.reject(error)),
        );
      });
    },
    timings: () => ({
      embedMsPerFrame: totals.frames ? totals.embedMs / totals.frames : 0,
      objectsMsPerFrame: totals.objectFrames ? totals.objectsMs / totals.objectFrames : 0,
      frames: totals.frames,
      objectFrames: totals.objectFrames,
    }),
    async close() {
      if (closed) return;
      closed = true;
      const error = new Error('inference pool closed');
      for (const slot of slots) failAll(slot, error);
      await Promise.all(slots.map((s) => s.worker?.terminate()));
    },
  };
}
