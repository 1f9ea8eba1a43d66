import path from 'node:path';
import { appRoot } from '../../core/app-root.js';
import { locateBinaries } from '../../core/media/index.js';
import { scoreTable, trainShots } from '../../core/ml/shots/training/train.js';
import { UsageError, coreConfig, parse, positiveInt } from '../args.js';
import type { CliIO } from '../io.js';

export async function trainCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    seed: { type: 'string' },
    videos: { type: 'string' },
    val: { type: 'string' },
    epochs: { type: 'string' },
    out: { type: 'string' },
  });
  if (positionals[0] !== 'shots') throw new UsageError('what to train: `reeltag train shots` (custom tags come with the tag-learning feature)');
  const config = coreConfig(values, io.env);
  const { ffmpeg, ffprobe } = locateBinaries(io.env);
  const outDir = path.resolve(values.out ?? path.join(appRoot(), 'assets', 'models', 'shots'));
  const report = await trainShots({
    ffmpeg,
    ffprobe,
    cacheDir: config.cacheDir,
    outDir,
    seed: positiveInt(values.seed, 'seed'),
    trainVideos: positiveInt(values.videos, 'videos'),
    valVideos: positiveInt(values.val, 'val'),
    epochs: positiveInt(values.epochs, 'epochs'),
    backend: config.backend,
    log: values.json ? io.err : io.out,
  });
  if (values.json) io.out(JSON.stringify(report));
  else {
    io.out(`\ntrained in ${(report.trainSeconds / 60).toFixed(1)} min; weights and model card in ${outDir}\n`);
    io.out(scoreTable([['LSTM', report.lstm], [`scdet@${report.scdet.threshold}`, report.scdet]]));
  }
  return 0;
}
