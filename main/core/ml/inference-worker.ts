// worker_threads entry: owns one tfjs backend and one Analyzer, answers analyze requests one at
// a time. Runs compiled (dist/.../inference-worker.js): Node cannot start a worker from .ts.
import { parentPort, workerData } from 'node:worker_threads';
import { loadAnalyzer, type Analyzer } from './analyzer.js';
import { selectBackend } from './backend.js';
import type { FromWorker, ToWorker, WorkerInit } from './inference-protocol.js';

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function answer(analyzer: Analyzer, request: ToWorker): Promise<void> {
  const before = analyzer.timings();
  try {
    const results = await analyzer.analyze(request.frames);
    const after = analyzer.timings();
    const total = (t: typeof before, key: 'embedMsPerFrame' | 'objectsMsPerFrame'): number =>
      key === 'objectsMsPerFrame' ? t[key] * t.objectFrames : t[key] * t.frames;
    post(
      {
        type: 'result',
        id: request.id,
        results,
        embedMs: total(after, 'embedMsPerFrame') - total(before, 'embedMsPerFrame'),
        objectsMs: total(after, 'objectsMsPerFrame') - total(before, 'objectsMsPerFrame'),
      },
      // Each embedding owns its buffer (sliced per frame): hand them over instead of copying.
      results.map((r) => r.embedding.buffer as ArrayBuffer),
    );
  } catch (error) {
    post({ type: 'error', id: request.id, error: errorText(error) });
  }
}

async function main(init: WorkerInit): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('inference-worker must run in a worker thread');
  let analyzer: Analyzer;
  try {
    const backend = await selectBackend(init.backend ? { prefer: init.backend } : {});
    analyzer = await loadAnalyzer({ cacheDir: init.cacheDir });
    post({ type: 'ready', backend });
  } catch (error) {
    post({ type: 'init-error', error: errorText(error) });
    return;
  }
  // One request at a time, in arrival order, so each reply's timing delta covers only its frames.
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (request: ToWorker) => {
    if (request.type === 'analyze') chain = chain.then(() => answer(analyzer, request));
  });
}

void main(workerData as WorkerInit);
