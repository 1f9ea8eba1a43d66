// `reeltag train shots`: build the data set from the recipe, train the LSTM on this machine's
// CPU (or whatever backend the core picks), keep the weights that score best on validation
// footage, compare with ffmpeg's scdet on the same validation videos, and write the weights and
// a model card.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../backend.js';
import { fileIOHandler } from '../../file-io-handler.js';
import { evaluateSet, TRANSITION_TYPES, type Evaluation, type Span } from '../evaluate.js';
import { buildModel, CLASSES, decodeTransitions, predictFrames, WINDOW } from '../lstm-model.js';
import { LSTM_FEATURES, OFFSETS } from '../lstm-features.js';
import { bestScdet, scdetScores } from '../scdet.js';
import { buildSet, poolOf, windows, type LabelledVideo } from './dataset.js';
import { fetchFootage, TRAIN_SOURCES, VALIDATION_SOURCES } from './footage.js';
import { createRng } from './recipe.js';

export interface TrainOptions {
  ffmpeg: string;
  ffprobe: string;
  cacheDir: string;
  outDir: string;
  seed?: number;
  trainVideos?: number;
  valVideos?: number;
  epochs?: number;
  backend?: BackendName;
  log?: (line: string) => void;
}

/** Scores over a set of videos, overall and per transition type. */
export type SetScores = Evaluation;

export interface TrainReport {
  seed: number;
  backend: string;
  trainVideos: number;
  trainFrames: number;
  valVideos: number;
  valFrames: number;
  epochs: number;
  bestEpoch: number;
  trainSeconds: number;
  lstm: SetScores;
  scdet: SetScores & { threshold: number };
  parameters: number;
  weightBytes: number;
}

function lstmPredictions(model: tf.LayersModel, videos: LabelledVideo[]): Span[][] {
  return videos.map((v) => decodeTransitions(predictFrames(model, v.features, v.frames), v.frames));
}

/** Class weights ∝ 1/sqrt(frequency): cuts are one frame in hundreds and must still count. */
function classWeights(videos: LabelledVideo[]): number[] {
  const counts = new Array<number>(CLASSES.length).fill(1);
  for (const v of videos) for (const l of v.labels) counts[l]!++;
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => Math.min(30, Math.sqrt(total / (CLASSES.length * c))));
}

export async function trainShots(opts: TrainOptions): Promise<TrainReport> {
  const log = opts.log ?? (() => undefined);
  const seed = opts.seed ?? 1;
  const epochs = opts.epochs ?? 14;
  const backend = await selectBackend({ prefer: opts.backend });
  log(`backend: ${backend.name}`);

  const footageDir = path.join(opts.cacheDir, 'footage');
  await fs.mkdir(footageDir, { recursive: true });
  log('fetching footage from Debian packages…');
  const files = await fetchFootage(footageDir, [...TRAIN_SOURCES, ...VALIDATION_SOURCES]);
  const pool = async (sources: typeof TRAIN_SOURCES) => poolOf(opts.ffprobe, sources.map((s) => ({ kind: s.kind, path: files.get(s.id)! })));
  const dataDir = path.join(opts.cacheDir, 'shots-data', `seed-${seed}`);
  const progress = (name: string, n: number) => (i: number, v: LabelledVideo) => {
    if ((i + 1) % 10 === 0 || i + 1 === n) log(`  ${name} ${i + 1}/${n} (${v.frames} frames)`);
  };
  log('rendering and decoding the training set…');
  const trainN = opts.trainVideos ?? 160;
  const valN = opts.valVideos ?? 40;
  const train = await buildSet({ ...opts, pool: await pool(TRAIN_SOURCES), dir: dataDir, prefix: 'train', seed, count: trainN, onVideo: progress('train', trainN) });
  log('rendering and decoding the validation set (held-out footage)…');
  const val = await buildSet({ ...opts, pool: await pool(VALIDATION_SOURCES), dir: dataDir, prefix: 'val', seed: seed + 7919, count: valN, onVideo: progress('val', valN) });
  const truths = val.map((v) => v.truth.transitions as Span[]);

  const model = buildModel();
  const weights = tf.tensor1d(classWeights(train));
  const loss = (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() => tf.mean(tf.sum(tf.mul(tf.mul(yTrue, tf.log(tf.clipByValue(yPred, 1e-7, 1))), weights), -1)).neg());
  model.compile({ optimizer: tf.train.adam(0.003), loss });

  const rng = createRng(seed);
  const started = performance.now();
  let best = { f1: -1, epoch: 0, weights: [] as tf.Tensor[] };
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const w = windows(train, WINDOW, 24, rng);
    const x = tf.tensor3d(w.x, [w.count, WINDOW, LSTM_FEATURES]);
    const y = tf.tensor3d(w.y, [w.count, WINDOW, CLASSES.length]);
    const h = await model.fit(x, y, { batchSize: 32, epochs: 1, shuffle: true, verbose: 0 });
    x.dispose();
    y.dispose();
    const s = evaluateSet(lstmPredictions(model, val), truths);
    const mean = TRANSITION_TYPES.reduce((a, t) => a + s.byType[t]!.f1, 0) / TRANSITION_TYPES.length;
    log(
      `epoch ${epoch}/${epochs}  loss ${(h.history.loss![0] as number).toFixed(4)}  val F1 cut ${s.byType.cut!.f1.toFixed(3)} dissolve ${s.byType.dissolve!.f1.toFixed(3)} fade ${s.byType.fade!.f1.toFixed(3)}  (${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
    if (mean > best.f1) {
      best.weights.forEach((t) => t.dispose());
      best = { f1: mean, epoch, weights: model.getWeights().map((t) => t.clone()) };
    }
  }
  const trainSeconds = (performance.now() - started) / 1000;
  model.setWeights(best.weights);
  const lstm = evaluateSet(lstmPredictions(model, val), truths);

  log('scoring ffmpeg scdet on the same validation videos…');
  const scdet = await bestScdetOnSet(opts.ffmpeg, val, truths);

  await fs.mkdir(opts.outDir, { recursive: true });
  const saved = await model.save(fileIOHandler(path.join(opts.outDir, 'model.json')));
  const report: TrainReport = {
    seed,
    backend: backend.name,
    trainVideos: train.length,
    trainFrames: train.reduce((a, v) => a + v.frames, 0),
    valVideos: val.length,
    valFrames: val.reduce((a, v) => a + v.frames, 0),
    epochs,
    bestEpoch: best.epoch,
    trainSeconds,
    lstm,
    scdet,
    parameters: model.countParams(),
    weightBytes: saved.modelArtifactsInfo.weightDataBytes ?? 0,
  };
  await fs.writeFile(path.join(opts.outDir, 'training-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await fs.writeFile(path.join(opts.outDir, 'README.md'), modelCard(report));
  weights.dispose();
  return report;
}

/** One scdet decode per video; the threshold is swept over the whole set. */
async function bestScdetOnSet(ffmpeg: string, videos: LabelledVideo[], truths: Span[][]): Promise<SetScores & { threshold: number }> {
  const all = [];
  for (const v of videos) all.push(await scdetScores(ffmpeg, v.file));
  const { threshold, evaluation } = bestScdet(all, truths, 2);
  return { ...evaluation, threshold };
}

const pct = (x: number) => (100 * x).toFixed(1);

export function scoreTable(rows: [string, SetScores][]): string {
  const lines = ['| detector | type | precision | recall | F1 |', '| --- | --- | --- | --- | --- |'];
  for (const [name, s] of rows) {
    for (const t of [...TRANSITION_TYPES, 'overall'] as const) {
      const x = t === 'overall' ? s.overall : s.byType[t]!;
      lines.push(`| ${name} | ${t} | ${pct(x.precision)} | ${pct(x.recall)} | ${pct(x.f1)} |`);
    }
  }
  return lines.join('\n');
}

function modelCard(r: TrainReport): string {
  return `# Shot-transition LSTM

Labels every frame of a video none / cut / dissolve / fade; \`main/core/ml/shots/lstm-detector.ts\`
turns the labels into transitions. Trained by \`reeltag train shots --seed ${r.seed}\` on the
${r.backend} backend in ${(r.trainSeconds / 60).toFixed(1)} min (best epoch ${r.bestEpoch} of ${r.epochs}).

## Model
- Input per frame (${LSTM_FEATURES} values, from the 64×36 every-frame stream of the single decode):
  colour-histogram distance and 8×6 luma-grid distance to the frames ${OFFSETS.join(', ')} back (a cut
  is one large step; a dissolve or fade is many small steps that add up over 4–8 frames), plus mean
  luma, luma contrast, saturation (fades pass through black) and the luma step. Cheap: computed in
  JavaScript as ffmpeg decodes, no second decode.
- Dense(24, relu) → bidirectional LSTM(48) → Dense(4, softmax) per frame; windows of ${WINDOW} frames
  overlapping by 16, predictions weighted towards window centres. ${r.parameters} parameters,
  ${(r.weightBytes / 1024).toFixed(1)} KiB of weights.
- Loss: cross-entropy weighted by 1/√(class frequency) (cuts are one frame in hundreds).

## Data recipe (\`main/core/ml/shots/training/recipe.ts\`)
Continuous shots of real footage from Debian packages (fetched at run time, never committed) spliced
by one ffmpeg run per video with transitions whose frames are exact: hard cuts, cross-dissolves of
5–40 frames (xfade fade), fades through black of 10–40 frames (xfade fadeblack). Hard negatives inside
shots: camera flashes (1–3 bright frames), slow light changes, fast pans and zooms over photos, speed
changes, motion in the footage. Each video draws its size (320×180 … 640×360), frame rate (24/25/30)
and codec (H.264, MPEG-4 part 2, VP9, MPEG-2) and quality. Deterministic from the seed.

- Training footage: ${['cockatoo, city (CC0), motion, birds, retroMars, Principe_inertie', 'photos dog, eagle, giraffe, horses, kite'].join('; ')}.
- Validation footage (never seen in training): diver, balle-jbart, realshort; photos person, scream, chelsea.
- ${r.trainVideos} training videos (${r.trainFrames} frames), ${r.valVideos} validation videos (${r.valFrames} frames).

## Validation scores (tolerance ±2 frames, one-to-one matching)
ffmpeg's \`scdet\` at its best threshold on the same set (${r.scdet.threshold}); it has no notion of type,
so its hits count for whatever type they hit and its false alarms count against every type.

${scoreTable([
  ['LSTM', r.lstm],
  ['scdet', r.scdet],
])}
`;
}
