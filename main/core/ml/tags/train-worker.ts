// worker_threads entry: trains one custom tag and scores every clip with it, reading the library
// read-only (WAL lets it read while the app writes). It writes nothing: the service stores the
// model and all its scores in one transaction when the result arrives, so killing the app (or
// cancelling, which terminates this thread) at any moment leaves the library as it was.
// Runs compiled (dist/.../train-worker.js).
import { parentPort, workerData } from 'node:worker_threads';
import { openLibrary } from '../../library/index.js';
import { selectBackend } from '../backend.js';
import { MIN_POSITIVES, meanOf, pickBackground } from './examples.js';
import { headArtifacts, scoreHead, toSteps } from './head.js';
import type { FromTrainWorker, TrainRequest } from './protocol.js';
import { qualityAt } from '../../../../shared/tag-quality.js';
import { bestThreshold, crossValidate, fitHead, type Example } from './train.js';
import { createRng, shuffle } from '../../random.js';

/** Unlabelled clips looked at when choosing background negatives. */
const CANDIDATE_POOL = 3000;
const SCORE_BATCH = 512;

function post(message: FromTrainWorker, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

async function train(req: TrainRequest): Promise<void> {
  const started = performance.now();
  const progress = (phase: FromTrainWorker & { type: 'progress' }) => post(phase);
  const backend = await selectBackend(req.backend ? { prefer: req.backend } : {});
  const lib = openLibrary(req.libraryDir, { readonly: true });
  try {
    progress({ type: 'progress', phase: 'examples', fraction: 0 });
    const { positives, negatives } = lib.tagModels.examples(req.name);
    if (positives.length < MIN_POSITIVES) {
      throw new Error(`"${req.name}" has ${positives.length} example clip(s); tag at least ${MIN_POSITIVES} clips with it to teach it`);
    }
    const labelled = new Set([...positives, ...negatives]);
    const seqs = new Map(lib.tagModels.sequences({ ids: [...labelled] }).map((s) => [s.clipId, s.steps]));
    const missing = [...labelled].filter((id) => !seqs.has(id));
    if (missing.length > 0) throw new Error(`example clip(s) ${missing.join(', ')} have no embeddings (re-ingest their videos)`);
    const dim = seqs.get(positives[0]!)![0]!.length;

    // Background candidates: a seeded sample of the other clips, by id.
    const allIds = lib.db.prepare('SELECT id FROM clips ORDER BY id').pluck().all() as number[];
    const others = allIds.filter((id) => !labelled.has(id));
    shuffle(others, createRng(req.settings.seed));
    const pool = lib.tagModels.sequences({ ids: others.slice(0, CANDIDATE_POOL) });
    const picked = pickBackground(
      positives.map((id) => meanOf(seqs.get(id)!)),
      pool.map((c) => ({ clipId: c.clipId, mean: meanOf(c.steps) })),
      Math.min(req.maxBackground, Math.max(40, 8 * positives.length)),
      req.settings.seed,
    );
    const poolSteps = new Map(pool.map((c) => [c.clipId, c.steps]));
    const examples: Example[] = [
      ...positives.map((clipId) => ({ clipId, role: 'positive' as const, x: toSteps(seqs.get(clipId)!, dim) })),
      ...negatives.map((clipId) => ({ clipId, role: 'negative' as const, x: toSteps(seqs.get(clipId)!, dim) })),
      ...picked.clipIds.map((clipId) => ({ clipId, role: 'background' as const, x: toSteps(poolSteps.get(clipId)!, dim) })),
    ];
    if (examples.length === positives.length) throw new Error(`no clip in the library looks unlike "${req.name}": add some "not this" examples`);

    // Progress: examples 0–5 %, cross-validation 5–60 %, the final fit 60–80 %, scoring 80–100 %.
    const epochs = req.settings.epochs;
    const cv = await crossValidate(examples, dim, req.settings, {
      onEpoch: (() => {
        let done = 0;
        const total = epochs * Math.min(req.settings.folds, positives.length);
        return () => progress({ type: 'progress', phase: 'cross-validate', fraction: 0.05 + (0.55 * ++done) / total });
      })(),
    });
    const suggested = bestThreshold(cv.heldOut);
    const threshold = req.threshold ?? suggested;
    const model = await fitHead(examples, dim, req.settings, {
      onEpoch: (e, n) => progress({ type: 'progress', phase: 'fit', fraction: 0.6 + (0.2 * e) / n }),
    });

    const clipIds: number[] = [];
    const scores: number[] = [];
    const total = allIds.length;
    let after = 0;
    for (;;) {
      const batch = lib.tagModels.sequences({ afterId: after, limit: SCORE_BATCH });
      if (batch.length === 0) break;
      const s = scoreHead(model, batch.map((c) => toSteps(c.steps, dim)), dim);
      batch.forEach((c, i) => {
        clipIds.push(c.clipId);
        scores.push(s[i]!);
      });
      after = batch.at(-1)!.clipId;
      progress({ type: 'progress', phase: 'apply', fraction: 0.8 + (0.2 * Math.min(clipIds.length, total)) / Math.max(1, total) });
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const { modelJson, weights } = await headArtifacts(model);
    model.dispose();

    const heldOut = cv.heldOut.map((h): [number, number] => [Math.round(h.score * 1000) / 1000, h.label]);
    const result = {
      name: req.name,
      threshold,
      modelJson,
      weights: new Uint8Array(weights),
      metrics: {
        quality: qualityAt(heldOut, threshold, cv.folds),
        suggestedThreshold: suggested,
        examples: { positives: positives.length, negatives: negatives.length, background: picked.clipIds.length },
        training: {
          backend: backend.name,
          epochs,
          seed: req.settings.seed,
          backgroundCutoff: Math.round(picked.cutoff * 1000) / 1000,
          backgroundEligible: picked.eligible,
          trainMs: Math.round(performance.now() - started),
        },
        heldOut,
      },
      clipIds: Float64Array.from(clipIds),
      scores: Float32Array.from(scores),
    };
    post({ type: 'done', result }, [result.weights.buffer as ArrayBuffer, result.clipIds.buffer as ArrayBuffer, result.scores.buffer as ArrayBuffer]);
  } finally {
    lib.close();
  }
}

train(workerData as TrainRequest).catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
