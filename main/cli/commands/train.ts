import path from 'node:path';
import { appRoot } from '../../core/app-root.js';
import { locateBinaries } from '../../core/media/index.js';
import { averageShots, scoreShots, scoreTable, trainShots, type ScoreReport } from '../../core/ml/shots/training/train.js';
import { ReeltagService } from '../../core/service.js';
import { UsageError, coreConfig, parse, positiveInt } from '../args.js';
import { describeTagModel } from '../format.js';
import type { CliIO } from '../io.js';

export async function trainCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    seed: { type: 'string' },
    'init-seed': { type: 'string' },
    average: { type: 'string' },
    score: { type: 'string' },
    test: { type: 'string' },
    videos: { type: 'string' },
    val: { type: 'string' },
    epochs: { type: 'string' },
    out: { type: 'string' },
    threshold: { type: 'string' },
  });
  if (positionals[0] === 'tag') return trainTag(positionals.slice(1), values, io);
  if (positionals[0] !== 'shots') throw new UsageError('what to train: `reeltag train shots` or `reeltag train tag <name>`');
  const config = coreConfig(values, io.env);
  const { ffmpeg, ffprobe } = locateBinaries(io.env);
  const outDir = path.resolve(values.out ?? path.join(appRoot(), 'assets', 'models', 'shots'));
  const members = values.average?.split(',').map((d) => path.resolve(d.trim())).filter((d) => d !== '');
  if (members && members.length < 2) throw new UsageError('--average needs two or more member folders: --average DIR,DIR[,DIR…]');
  if (members && values.score !== undefined) throw new UsageError('--average and --score: one at a time (score the average after writing it)');
  // The test set is scored only on purpose, for a model already chosen: never beside a training.
  if (values.test !== undefined && values.score === undefined) throw new UsageError('--test N goes with --score DIR: the test set scores a model already chosen');
  const common = {
    ffmpeg,
    ffprobe,
    cacheDir: config.cacheDir,
    outDir,
    seed: positiveInt(values.seed, 'seed'),
    initSeed: positiveInt(values['init-seed'], 'init-seed'),
    trainVideos: positiveInt(values.videos, 'videos'),
    valVideos: positiveInt(values.val, 'val'),
    testVideos: positiveInt(values.test, 'test'),
    epochs: positiveInt(values.epochs, 'epochs'),
    backend: config.backend,
    log: values.json ? io.err : io.out,
  };
  if (values.score !== undefined) {
    // --score DIR: a trained model's scores on validation (and the test set with --test N); no training.
    const r = await scoreShots({ ...common, modelDir: path.resolve(values.score) });
    if (values.json) io.out(JSON.stringify(r));
    else {
      io.out(`\nvalidation (${r.valVideos} videos):\n${scoreTable([['LSTM', r.val]])}`);
      io.out(`\nvalidation errors by footage:\n${errorLines(r.valErrors)}`);
      if (r.test) io.out(`\ntest (${r.test.videos} videos, ${r.test.frames} frames):\n${scoreTable([['LSTM', r.test], [`scdet@${r.test.scdet.threshold}`, r.test.scdet]])}`);
    }
    return 0;
  }
  // --average: no training; the members' mean, its decoding tuned on the tune set.
  const report = members ? await averageShots({ ...common, members }) : await trainShots(common);
  if (values.json) io.out(JSON.stringify(report));
  else {
    io.out(`\n${members ? `averaged ${members.length} members` : `trained in ${(report.trainSeconds / 60).toFixed(1)} min`}; weights and model card in ${outDir}\n`);
    io.out(scoreTable([['LSTM', report.lstm], [`scdet@${report.scdet.threshold}`, report.scdet]]));
  }
  return 0;
}

/** One line per type and kind of error: the footage it falls on, most first. */
function errorLines(errors: ScoreReport['valErrors']): string {
  const list = (xs: { where: string; count: number }[]) => (xs.length === 0 ? 'none' : xs.map((x) => `${x.count} ${x.where}`).join(', '));
  return Object.entries(errors)
    .map(([type, e]) => `  ${type} false alarms: ${list(e.falseAlarms)}\n  ${type} misses: ${list(e.misses)}`)
    .join('\n');
}

/** `reeltag train tag <name>`: trains the custom tag from the user's examples and applies it. */
async function trainTag(
  positionals: string[],
  values: { library?: string; json?: boolean; threshold?: string; epochs?: string; seed?: string },
  io: CliIO,
): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('usage: reeltag train tag <name> [--threshold 0..1] [--epochs N] [--seed N]');
  const name = positionals[0]!;
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw new UsageError('--threshold must be between 0 and 1');
  const epochs = positiveInt(values.epochs, 'epochs');
  const seed = positiveInt(values.seed, 'seed');
  const service = new ReeltagService({
    ...coreConfig(values, io.env),
    trainSettings: { ...(epochs !== undefined && { epochs }), ...(seed !== undefined && { seed }) },
  });
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  try {
    // One line per phase and per tenth of the way: readable in a terminal and in a log file.
    let last = '';
    const info = await service.trainTag(name, {
      threshold,
      signal: abort.signal,
      onProgress: (phase, fraction) => {
        const line = `training "${name}": ${phase} ${Math.floor(fraction * 10) * 10} %`;
        if (line !== last) io.err(line);
        last = line;
      },
    });
    if (values.json) io.out(JSON.stringify(info));
    else for (const line of describeTagModel(info)) io.out(line);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    await service.close();
  }
}
