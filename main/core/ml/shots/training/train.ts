// `reeltag train shots`: build the data set from the recipe, train the LSTM on this machine's
// CPU (or whatever backend the core picks), keep the weights that score best on the tune set
// (held-out videos of the training footage), compare with ffmpeg's scdet on the validation
// videos, and write the weights and a model card.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../backend.js';
import type { TransitionType } from '../../../../../shared/types.js';
import { fileIOHandler } from '../../file-io-handler.js';
import { evaluateSet, TRANSITION_TYPES, type Evaluation, type Span } from '../evaluate.js';
import { averageModels, buildModel, CLASSES, decodeTransitions, DEFAULT_DECODE, predictFrames, WINDOW, type DecodeParams } from '../lstm-model.js';
import { loadDecodeParams, loadLstmModel } from '../lstm-detector.js';
import { LSTM_FEATURES, OFFSETS } from '../lstm-features.js';
import { bestScdet, scdetScores } from '../scdet.js';
import { buildSet, poolOf, windows, type LabelledVideo } from './dataset.js';
import { errorsBySource, type TypeErrors } from './errors.js';
import { fetchFootage, TRAIN_SOURCES, VALIDATION_SOURCES } from './footage.js';
import { createRng, RECIPE_VERSION } from './recipe.js';
import { tuneDecode } from './tune-decode.js';

export interface TrainOptions {
  ffmpeg: string;
  ffprobe: string;
  cacheDir: string;
  outDir: string;
  seed?: number;
  /**
   * Seeds the initialisers and the window shuffle (default: seed). Another value trains another
   * member on the same data, tune and validation sets (the data follow `seed`).
   */
  initSeed?: number;
  trainVideos?: number;
  valVideos?: number;
  /** Held-out videos of the training footage: they pick the epoch and tune the decoding. */
  tuneVideos?: number;
  /**
   * A second held-out set of the validation footage (seed + 15013), drawn once and scored only for
   * the final pick: the validation set has been looked at while choosing, this one has not.
   */
  testVideos?: number;
  epochs?: number;
  backend?: BackendName;
  log?: (line: string) => void;
}

/** Scores over a set of videos, overall and per transition type. */
export type SetScores = Evaluation;

export interface TrainReport {
  seed: number;
  /** The initialisers' and window shuffle's seed (absent in reports written before it existed: seed). */
  initSeed?: number;
  /** An average of trained members (`--average`): where they came from. */
  members?: MemberInfo[];
  backend: string;
  trainVideos: number;
  trainFrames: number;
  valVideos: number;
  valFrames: number;
  tuneVideos: number;
  tuneFrames: number;
  recipeVersion: number;
  epochs: number;
  bestEpoch: number;
  trainSeconds: number;
  /** Decoding tuned on the tune set (decode.json). */
  decode: DecodeParams;
  /** Tune-set scores with the tuned decoding (optimistic: the settings were chosen on them). */
  tune: SetScores;
  /** Validation scores with the tuned decoding: the honest estimate. */
  lstm: SetScores;
  /** Validation scores with the default decoding, to show what the tuning changed. */
  lstmDefaultDecode: SetScores;
  /** Inference on this backend, windows batched per video, features excluded. */
  msPer1000Frames: number;
  scdet: SetScores & { threshold: number };
  parameters: number;
  weightBytes: number;
}

const truthsOf = (videos: LabelledVideo[]) => videos.map((v) => v.truth.transitions as Span[]);

/** Per-frame class probabilities of every video: the model runs once per video. */
const frameProbs = (model: tf.LayersModel, videos: LabelledVideo[]) => videos.map((v) => predictFrames(model, v.features, v.frames));

/** Transitions decoded from frameProbs' output; decoding is cheap, so one run serves several settings. */
const decodeAll = (probs: Float32Array[], videos: LabelledVideo[], params: DecodeParams = DEFAULT_DECODE): Span[][] =>
  videos.map((v, i) => decodeTransitions(probs[i]!, v.frames, params));

const LEARNING_RATE = 0.003;

/** Class weights ∝ 1/sqrt(frequency): cuts are one frame in hundreds and must still count. */
function classWeights(videos: LabelledVideo[]): number[] {
  const counts = new Array<number>(CLASSES.length).fill(1);
  for (const v of videos) for (const l of v.labels) counts[l]!++;
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => Math.min(30, Math.sqrt(total / (CLASSES.length * c))));
}

interface Sets {
  train: LabelledVideo[];
  tune: LabelledVideo[];
  val: LabelledVideo[];
  test: LabelledVideo[];
}

/** The test set's plans: validation footage, a seed no other set uses. */
const TEST_SEED_OFFSET = 15_013;

/**
 * Renders (or reuses) and decodes the sets planned from opts.seed: validation always, the others
 * when asked. Only scoring asks for the test set, so a training never renders or sees it.
 */
async function loadSets(opts: TrainOptions, want: { train?: boolean; tune?: boolean; test?: boolean }, log: (line: string) => void): Promise<Sets> {
  const seed = opts.seed ?? 1;
  const footageDir = path.join(opts.cacheDir, 'footage');
  await fs.mkdir(footageDir, { recursive: true });
  log('fetching footage from Debian packages…');
  const files = await fetchFootage(footageDir, [...TRAIN_SOURCES, ...VALIDATION_SOURCES]);
  const pool = async (sources: typeof TRAIN_SOURCES) => poolOf(opts.ffprobe, sources.map((s) => ({ kind: s.kind, path: files.get(s.id)! })));
  // Validation plans are the recipe-1 plans (planVideo without augment), so their renders stay valid.
  const dataDir = path.join(opts.cacheDir, 'shots-data', `r${RECIPE_VERSION}-seed-${seed}`);
  const valDir = path.join(opts.cacheDir, 'shots-data', `seed-${seed}`);
  const progress = (name: string, n: number) => (i: number, v: LabelledVideo) => {
    if ((i + 1) % 10 === 0 || i + 1 === n) log(`  ${name} ${i + 1}/${n} (${v.frames} frames)`);
  };
  const trainN = opts.trainVideos ?? 160;
  const valN = opts.valVideos ?? 40;
  const tuneN = opts.tuneVideos ?? 40;
  const trainPool = want.train || want.tune ? await pool(TRAIN_SOURCES) : undefined;
  let train: LabelledVideo[] = [];
  if (want.train) {
    log('rendering and decoding the training set…');
    train = await buildSet({ ...opts, pool: trainPool!, dir: dataDir, prefix: 'train', seed, count: trainN, augment: true, onVideo: progress('train', trainN) });
  }
  let tune: LabelledVideo[] = [];
  if (want.tune) {
    log('rendering and decoding the tune set (other videos of the training footage)…');
    tune = await buildSet({ ...opts, pool: trainPool!, dir: dataDir, prefix: 'tune', seed: seed + 4999, count: tuneN, augment: true, onVideo: progress('tune', tuneN) });
  }
  log('rendering and decoding the validation set (held-out footage)…');
  const valPool = await pool(VALIDATION_SOURCES);
  const val = await buildSet({ ...opts, pool: valPool, dir: valDir, prefix: 'val', seed: seed + 7919, count: valN, onVideo: progress('val', valN) });
  const testN = want.test ? (opts.testVideos ?? 0) : 0;
  let test: LabelledVideo[] = [];
  if (testN > 0) {
    log('rendering and decoding the test set (held-out footage, never used to choose)…');
    const testDir = path.join(opts.cacheDir, 'shots-data', `test-seed-${seed}`);
    test = await buildSet({ ...opts, pool: valPool, dir: testDir, prefix: 'test', seed: seed + TEST_SEED_OFFSET, count: testN, onVideo: progress('test', testN) });
  }
  return { train, tune, val, test };
}

export async function trainShots(opts: TrainOptions): Promise<TrainReport> {
  const log = opts.log ?? (() => undefined);
  const seed = opts.seed ?? 1;
  const epochs = opts.epochs ?? 14;
  const backend = await selectBackend({ prefer: opts.backend });
  log(`backend: ${backend.name}`);
  const sets = await loadSets(opts, { train: true, tune: true }, log);
  const { train, tune } = sets;
  const tuneTruths = truthsOf(tune);
  // Seeded initialisers and a seeded shuffle: the same seed trains the same weights.
  const initSeed = opts.initSeed ?? seed;
  const model = buildModel(48, initSeed);
  const weights = tf.tensor1d(classWeights(train));
  const loss = (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    tf.tidy(() => tf.mean(tf.sum(tf.mul(tf.mul(yTrue, tf.log(tf.clipByValue(yPred, 1e-7, 1))), weights), -1)).neg());
  const optimizer = tf.train.adam(LEARNING_RATE);
  model.compile({ optimizer, loss });

  const rng = createRng(initSeed);
  const started = performance.now();
  let best = { f1: -1, epoch: 0, weights: [] as tf.Tensor[] };
  for (let epoch = 1; epoch <= epochs; epoch++) {
    // The tune F1 swings by ±0.05 from epoch to epoch at the full rate: settle for the last third.
    (optimizer as unknown as { learningRate: number }).learningRate = epoch > Math.round((2 * epochs) / 3) ? LEARNING_RATE / 3 : LEARNING_RATE;
    const w = shuffled(windows(train, WINDOW, 24, rng), rng);
    const x = tf.tensor3d(w.x, [w.count, WINDOW, LSTM_FEATURES]);
    const y = tf.tensor3d(w.y, [w.count, WINDOW, CLASSES.length]);
    const h = await model.fit(x, y, { batchSize: 32, epochs: 1, shuffle: false, verbose: 0 });
    x.dispose();
    y.dispose();
    // The epoch is chosen on the tune set: validation footage must not steer training.
    const s = evaluateSet(decodeAll(frameProbs(model, tune), tune), tuneTruths);
    const mean = TRANSITION_TYPES.reduce((a, t) => a + s.byType[t]!.f1, 0) / TRANSITION_TYPES.length;
    log(
      `epoch ${epoch}/${epochs}  loss ${(h.history.loss![0] as number).toFixed(4)}  tune F1 cut ${s.byType.cut!.f1.toFixed(3)} dissolve ${s.byType.dissolve!.f1.toFixed(3)} fade ${s.byType.fade!.f1.toFixed(3)}  (${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
    if (mean > best.f1) {
      best.weights.forEach((t) => t.dispose());
      best = { f1: mean, epoch, weights: model.getWeights().map((t) => t.clone()) };
    }
  }
  const trainSeconds = (performance.now() - started) / 1000;
  model.setWeights(best.weights);
  weights.dispose();
  return finishModel(opts, backend.name, model, sets, { epochs, bestEpoch: best.epoch, trainSeconds, initSeed }, log);
}

/** What `train shots --score DIR` prints: a trained model's scores on the held-out sets. */
export interface ScoreReport {
  modelDir: string;
  decode: DecodeParams;
  val: SetScores;
  valVideos: number;
  /** Validation's false alarms and misses per type, by the footage they fall on. */
  valErrors: Record<TransitionType, TypeErrors>;
  test?: SetScores & { videos: number; frames: number; scdet: SetScores & { threshold: number } };
}

/**
 * Scores a trained model folder (model.json + decode.json) on validation and, with testVideos,
 * on the test set, next to scdet there. Trains and tunes nothing.
 */
export async function scoreShots(opts: TrainOptions & { modelDir: string }): Promise<ScoreReport> {
  const log = opts.log ?? (() => undefined);
  const backend = await selectBackend({ prefer: opts.backend });
  log(`backend: ${backend.name}`);
  const model = await loadLstmModel(opts.modelDir);
  const decode = await loadDecodeParams(opts.modelDir);
  const { val, test } = await loadSets(opts, { test: true }, log);
  const valPredictions = decodeAll(frameProbs(model, val), val, decode);
  const report: ScoreReport = {
    modelDir: opts.modelDir,
    decode,
    val: evaluateSet(valPredictions, truthsOf(val)),
    valVideos: val.length,
    valErrors: errorsBySource(val, valPredictions),
  };
  if (test.length > 0) {
    log('scoring ffmpeg scdet on the test videos…');
    const scdet = await bestScdetOnSet(opts.ffmpeg, test, truthsOf(test));
    report.test = { ...evaluateSet(decodeAll(frameProbs(model, test), test, decode), truthsOf(test)), videos: test.length, frames: test.reduce((a, v) => a + v.frames, 0), scdet };
  }
  model.dispose();
  return report;
}

/** What a member's training-report.json says about it (the average's report lists them). */
export interface MemberInfo {
  dir: string;
  seed?: number;
  initSeed?: number;
  epochs?: number;
  bestEpoch?: number;
  trainSeconds?: number;
  trainFrames?: number;
}

/**
 * `reeltag train shots --average DIR,DIR,…`: one model whose output is the mean of the trained
 * members' probabilities (averageModels), its decoding tuned on the tune set, scored on
 * validation, written like a trained model. No gradient steps: the members are trained already
 * (each by `train shots --seed S --init-seed K --out DIR`), and their data seed must be opts.seed.
 */
export async function averageShots(opts: TrainOptions & { members: string[] }): Promise<TrainReport> {
  const log = opts.log ?? (() => undefined);
  const backend = await selectBackend({ prefer: opts.backend });
  log(`backend: ${backend.name}`);
  const { model, members } = await averageMembers(opts.members, opts.seed ?? 1);
  log(`averaged ${members.length} members: ${members.map((m) => m.dir).join(', ')}`);
  const sets = await loadSets(opts, { tune: true }, log);
  const trainSeconds = members.reduce((a, m) => a + (m.trainSeconds ?? 0), 0);
  return finishModel(opts, backend.name, model, sets, { epochs: members[0]!.epochs ?? 0, bestEpoch: 0, trainSeconds, members }, log);
}

/**
 * The members in dirs (each a trained model.json + weights, with its training-report.json when
 * there is one) averaged into one model. Members trained on another data seed are refused: their
 * tune set would not be this one's.
 */
export async function averageMembers(dirs: string[], seed: number, units = 48): Promise<{ model: tf.LayersModel; members: MemberInfo[] }> {
  if (dirs.length < 2) throw new Error('--average needs at least two member folders');
  const members: MemberInfo[] = [];
  for (const dir of dirs) members.push({ dir, ...(await memberInfo(dir)) });
  const other = members.find((m) => m.seed !== undefined && m.seed !== seed);
  if (other) throw new Error(`${other.dir} was trained on the data of seed ${other.seed}, not ${seed}: its tune set would be another`);
  const loaded: tf.LayersModel[] = [];
  for (const m of members) loaded.push(await loadLstmModel(m.dir));
  const model = averageModels(loaded, units);
  loaded.forEach((m) => m.dispose());
  return { model, members };
}

async function memberInfo(dir: string): Promise<Omit<MemberInfo, 'dir'>> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, 'training-report.json'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  const r = JSON.parse(text) as Partial<TrainReport>;
  return { seed: r.seed, initSeed: r.initSeed ?? r.seed, epochs: r.epochs, bestEpoch: r.bestEpoch, trainSeconds: r.trainSeconds, trainFrames: r.trainFrames };
}

/** Tunes the decoding on the tune set, scores validation and scdet, writes weights, decode.json, report and card. */
async function finishModel(
  opts: TrainOptions,
  backendName: string,
  model: tf.LayersModel,
  { train, tune, val }: Sets,
  run: { epochs: number; bestEpoch: number; trainSeconds: number; initSeed?: number; members?: MemberInfo[] },
  log: (line: string) => void,
): Promise<TrainReport> {
  const seed = opts.seed ?? 1;
  const truths = truthsOf(val);
  const tuneTruths = truthsOf(tune);
  const valFrames = val.reduce((a, v) => a + v.frames, 0);
  log('tuning the decoding on the tune set…');
  const tuneProbs = frameProbs(model, tune);
  const decode = tuneDecode(tune.map((v, i) => ({ probs: tuneProbs[i]!, frames: v.frames, truth: tuneTruths[i]! })));
  log(`  ${JSON.stringify(decode)}`);
  const tuneScores = evaluateSet(decodeAll(tuneProbs, tune, decode), tuneTruths);
  const inferStart = performance.now();
  const valProbs = frameProbs(model, val);
  const msPer1000Frames = ((performance.now() - inferStart) / valFrames) * 1000;
  const lstmDefaultDecode = evaluateSet(decodeAll(valProbs, val), truths);
  const lstm = evaluateSet(decodeAll(valProbs, val, decode), truths);

  log('scoring ffmpeg scdet on the same validation videos…');
  const scdet = await bestScdetOnSet(opts.ffmpeg, val, truths);

  await fs.mkdir(opts.outDir, { recursive: true });
  const saved = await model.save(fileIOHandler(path.join(opts.outDir, 'model.json')));
  await fs.writeFile(path.join(opts.outDir, 'decode.json'), `${JSON.stringify(decode, null, 2)}\n`);
  const report: TrainReport = {
    seed,
    ...(run.initSeed !== undefined && { initSeed: run.initSeed }),
    ...(run.members && { members: run.members }),
    backend: backendName,
    trainVideos: run.members ? (opts.trainVideos ?? 160) : train.length,
    trainFrames: run.members ? (run.members[0]!.trainFrames ?? 0) : train.reduce((a, v) => a + v.frames, 0),
    valVideos: val.length,
    valFrames,
    tuneVideos: tune.length,
    tuneFrames: tune.reduce((a, v) => a + v.frames, 0),
    recipeVersion: RECIPE_VERSION,
    epochs: run.epochs,
    bestEpoch: run.bestEpoch,
    trainSeconds: run.trainSeconds,
    decode,
    tune: tuneScores,
    lstm,
    lstmDefaultDecode,
    msPer1000Frames,
    scdet,
    parameters: model.countParams(),
    weightBytes: saved.modelArtifactsInfo.weightDataBytes ?? 0,
  };
  await fs.writeFile(path.join(opts.outDir, 'training-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await fs.writeFile(path.join(opts.outDir, 'README.md'), modelCard(report));
  return report;
}

/** The windows in an order drawn from rng (tfjs's own shuffle uses Math.random). */
function shuffled(w: { x: Float32Array; y: Float32Array; count: number }, rng: () => number): { x: Float32Array; y: Float32Array; count: number } {
  const order = Array.from({ length: w.count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const xs = w.x.length / w.count;
  const ys = w.y.length / w.count;
  const x = new Float32Array(w.x.length);
  const y = new Float32Array(w.y.length);
  for (const [to, from] of order.entries()) {
    x.set(w.x.subarray(from * xs, (from + 1) * xs), to * xs);
    y.set(w.y.subarray(from * ys, (from + 1) * ys), to * ys);
  }
  return { x, y, count: w.count };
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

const decodeLine = (name: string, g: DecodeParams['dissolve']) =>
  `${name}: a run of frames at probability ≥ ${g.threshold} (dips of up to 4 frames bridged), at least ${g.minRun} frames, mean probability ≥ ${g.minMean}` +
  (g.maxRun === undefined ? '' : `; a run longer than ${g.maxRun} frames (the recipe's longest) is trimmed to its part of ${g.minRun}–${g.maxRun} frames that stands highest above the run's mean`);

function trainedBy(r: TrainReport): string {
  if (r.members) {
    const lines = r.members.map(
      (m) => `- \`${m.dir}\`: seed ${m.seed ?? '?'}, init seed ${m.initSeed ?? '?'}, best epoch ${m.bestEpoch ?? '?'} of ${m.epochs ?? '?'}, ${((m.trainSeconds ?? 0) / 60).toFixed(1)} min`,
    );
    return `The average of ${r.members.length} trained members (the mean of their per-frame probabilities), made by
\`reeltag train shots --seed ${r.seed} --average ${r.members.map((m) => m.dir).join(',')}\`; each member trained by
\`reeltag train shots --seed ${r.seed} --init-seed K --videos ${r.trainVideos} --val ${r.valVideos} --epochs ${r.epochs} --out DIR\`:
${lines.join('\n')}
`;
  }
  const init = r.initSeed !== undefined && r.initSeed !== r.seed ? ` --init-seed ${r.initSeed}` : '';
  return `Trained by
\`reeltag train shots --seed ${r.seed}${init} --videos ${r.trainVideos} --val ${r.valVideos} --epochs ${r.epochs}\` on the ${r.backend} backend
in ${(r.trainSeconds / 60).toFixed(1)} min (best epoch ${r.bestEpoch} of ${r.epochs}, chosen on the tune set).`;
}

export function modelCard(r: TrainReport): string {
  return `# Shot-transition LSTM

Labels every frame of a video none / cut / dissolve / fade; \`main/core/ml/shots/lstm-detector.ts\`
turns the labels into transitions with the decoding in \`decode.json\`. ${trainedBy(r)}

## Model
- Input per frame (${LSTM_FEATURES} values, from the 64×36 every-frame stream of the single decode):
  colour-histogram distance and 8×6 luma-grid distance to the frames ${OFFSETS.join(', ')} back (a cut
  is one large step; a dissolve or fade is many small steps that add up over 4–8 frames), mean
  luma, luma contrast, saturation (fades pass through black) and the luma step, a pixel-wise
  blend test at ±3 and ±6 frames (change across the window, distance of the middle frame from the
  average of the ends, their ratio: a dissolve is such an average, a pan moves pixels instead),
  and a motion test against the frames 1 and 3 back (the 32×18 luma change, what is left of it
  when each 6×6 block is matched within ±3 pixels, their ratio: camera and subject motion is
  explained by the matching, a dissolve or a fade is not).
  Cheap: computed in JavaScript as ffmpeg decodes, no second decode.
- Dense(24, relu) → bidirectional LSTM(48) → Dense(4, softmax) per frame; windows of ${WINDOW} frames
  overlapping by 16, predictions weighted towards window centres. ${r.parameters} parameters,
  ${(r.weightBytes / 1024).toFixed(1)} KiB of weights. Inference ${r.msPer1000Frames.toFixed(0)} ms per 1000 frames
  (${r.backend}, this machine, features excluded; measured over the validation set).
- Loss: cross-entropy weighted by 1/√(class frequency) (cuts are one frame in hundreds); Adam at
  0.003, a third of that for the last third of the epochs. Initialisers and the window shuffle are
  seeded from \`--seed\`: the same command trains the same weights.

## Decoding (\`decode.json\`)
Tuned per class on the tune set — ${r.tuneVideos} other videos (${r.tuneFrames} frames) planned from the
*training* footage with seed ${r.seed} + 4999, never used for gradient steps — by sweeping each class's
settings for its own F1; a setting replaces the default only when it wins by ≥ 0.01 F1. The
validation footage plays no part in it (nor in choosing the epoch).
- cut: a local maximum of the cut probability ≥ ${r.decode.cut}
- ${decodeLine('dissolve', r.decode.dissolve)}
- ${decodeLine('fade', r.decode.fade)}

## Data recipe (\`main/core/ml/shots/training/recipe.ts\`, version ${r.recipeVersion})
Continuous shots of real footage from Debian packages (fetched at run time, never committed) spliced
by one ffmpeg run per video with transitions whose frames are exact: hard cuts, cross-dissolves of
5–40 frames (xfade fade), fades through black of 10–40 frames (xfade fadeblack). Hard negatives inside
shots: camera flashes (1–3 bright frames), slow light changes, fast pans and zooms over photos, speed
changes, motion in the footage. Each video draws its size (320×180 … 640×360), frame rate (24/25/30)
and codec (H.264, MPEG-4 part 2, VP9, MPEG-2) and quality. Deterministic from the seed.
Training and tune videos (not validation) add two hard negatives for dissolves: 30 % of shots get a
murky look (contrast 0.35–0.75, a blue / green / grey cast, blur σ 0.5–3, temporal grain) and 30 % of
footage shots a handheld swing (the crop of a 1.5–2.2× zoom sways at 0.2–1.2 Hz). Validation plans
are drawn without them, so the validation set is the one earlier models were scored on.${
  r.recipeVersion >= 3
    ? `
Recipe 3 adds a third training-only hard negative, drawn after every other number so that the
recipe-2 plans are otherwise unchanged: 30 % of shots get a veil of spray, bubbles or smoke (blurred
blobs of ffmpeg's \`life\` source, 24–96 cells across, blur σ 2–8) that swells to 25–70 % over
0.6–2.5 s and ebbs away inside the shot — a blend with something else that is not a transition.`
    : ''
}

- Training footage: ${['cockatoo, city (CC0), motion, birds, retroMars, Principe_inertie', 'photos dog, eagle, giraffe, horses, kite'].join('; ')}.
- Validation footage (never seen in training): diver, balle-jbart, realshort; photos person, scream, chelsea.
- ${r.trainVideos} training videos (${r.trainFrames} frames), ${r.tuneVideos} tune videos (${r.tuneFrames} frames), ${r.valVideos} validation videos (${r.valFrames} frames).

## Validation scores (tolerance ±2 frames, one-to-one matching)
ffmpeg's \`scdet\` at its best threshold on the same set (${r.scdet.threshold}); it has no notion of type,
so its hits count for whatever type they hit and its false alarms count against every type. "LSTM"
decodes with \`decode.json\`; "LSTM, default decoding" with every threshold 0.5, runs ≥ 4 frames.

${scoreTable([
  ['LSTM', r.lstm],
  ['LSTM, default decoding', r.lstmDefaultDecode],
  ['scdet', r.scdet],
])}

Tune set (training footage; optimistic, the decoding was chosen on it):

${scoreTable([['LSTM', r.tune]])}
`;
}
