import fs from 'node:fs/promises';
import { locateBinaries, probe } from '../../core/media/index.js';
import { analyzeVideo } from '../../core/jobs/stages/analyze.js';
import { evaluate, TRANSITION_TYPES, type Evaluation, type Span } from '../../core/ml/shots/evaluate.js';
import { createLstmDetector } from '../../core/ml/shots/lstm-detector.js';
import { bestScdet, scdetScores } from '../../core/ml/shots/scdet.js';
import { globToRegExp } from '../../core/ml/tags/evaluate.js';
import { ReeltagService } from '../../core/service.js';
import { UsageError, coreConfig, parse, positiveInt } from '../args.js';
import { describeTagModel } from '../format.js';
import type { CliIO } from '../io.js';

interface TruthJson {
  fps: number;
  frames: number;
  transitions: { type: Span['type']; start_frame: number; end_frame: number }[];
}

export function parseTruth(text: string, file: string): Span[] {
  let json: TruthJson;
  try {
    json = JSON.parse(text) as TruthJson;
  } catch (e) {
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(json?.transitions)) throw new UsageError(`${file}: expected {"fps","frames","transitions":[…]}`);
  return json.transitions.map((t, i) => {
    if (!TRANSITION_TYPES.includes(t.type as never) || !Number.isInteger(t.start_frame) || !Number.isInteger(t.end_frame)) {
      throw new UsageError(`${file}: transition ${i} needs type (cut|dissolve|fade), start_frame and end_frame`);
    }
    return { type: t.type, startFrame: t.start_frame, endFrame: t.end_frame };
  });
}

export async function evalCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, { tolerance: { type: 'string' }, 'truth-files': { type: 'string' }, truth: { type: 'string' } });
  if (positionals[0] === 'tag') return evalTag(positionals.slice(1), values, io);
  if (positionals[0] !== 'shots' || positionals.length !== 3) throw new UsageError('usage: reeltag eval shots <video> <truth.json> [--tolerance N]');
  const [, video, truthFile] = positionals as [string, string, string];
  const tolerance = positiveInt(values.tolerance, 'tolerance') ?? 2;
  const truth = parseTruth(await fs.readFile(truthFile, 'utf8'), truthFile);
  const config = coreConfig(values, io.env);
  const { ffmpeg, ffprobe } = locateBinaries(io.env);

  const info = await probe(ffprobe, video);
  const analysis = await analyzeVideo({ ffmpeg, input: video, info, analyzer: null });
  const predicted = await createLstmDetector({ backend: config.backend }).detect(analysis.track, info.fps);
  const lstm = evaluate(predicted, truth, tolerance);
  const scdet = bestScdet([await scdetScores(ffmpeg, video)], [truth], tolerance);

  if (values.json) {
    io.out(JSON.stringify({ tolerance, frames: analysis.track.count, truth: truth.length, lstm, scdet: { threshold: scdet.threshold, ...scdet.evaluation } }));
    return 0;
  }
  io.out(`${analysis.track.count} frames, ${truth.length} true transitions, tolerance ±${tolerance} frames`);
  io.out(`${'type'.padEnd(10)}${'LSTM  P / R / F1'.padEnd(26)}scdet@${scdet.threshold}  P / R / F1`);
  const row = (e: Evaluation, t: (typeof TRANSITION_TYPES)[number] | 'overall') => {
    const s = t === 'overall' ? e.overall : e.byType[t];
    return `${s.precision.toFixed(3)} / ${s.recall.toFixed(3)} / ${s.f1.toFixed(3)}`.padEnd(26);
  };
  for (const t of [...TRANSITION_TYPES, 'overall'] as const) io.out(`${t.padEnd(10)}${row(lstm, t)}${row(scdet.evaluation, t)}`);
  return 0;
}

/**
 * `reeltag eval tag <name>`: the tag's cross-validated quality on the user's examples and, given a
 * truth (--truth-files GLOB on video file names, or --truth FILE with {"clips":[ids]}), its
 * precision and recall over the rest of the library.
 */
async function evalTag(positionals: string[], values: { library?: string; json?: boolean; 'truth-files'?: string; truth?: string }, io: CliIO): Promise<number> {
  if (positionals.length !== 1) throw new UsageError("usage: reeltag eval tag <name> [--truth-files 'GLOB' | --truth truth.json]");
  const name = positionals[0]!;
  let isTag: ((c: { clipId: number; fileName: string }) => boolean) | undefined;
  if (values['truth-files'] !== undefined) {
    const re = globToRegExp(values['truth-files']);
    isTag = (c) => re.test(c.fileName);
  } else if (values.truth !== undefined) {
    const file = values.truth;
    let ids: unknown;
    try {
      ids = (JSON.parse(await fs.readFile(file, 'utf8')) as { clips?: unknown }).clips;
    } catch (e) {
      throw new UsageError(`${file}: ${(e as Error).message}`);
    }
    if (!Array.isArray(ids) || !ids.every((x) => Number.isSafeInteger(x))) throw new UsageError(`${file}: expected {"clips":[clip ids]}`);
    const set = new Set(ids as number[]);
    isTag = (c) => set.has(c.clipId);
  }
  const service = new ReeltagService(coreConfig(values, io.env));
  try {
    const model = service.tagModel(name);
    const library = isTag ? service.evalTag(name, isTag).library : null;
    if (values.json) {
      io.out(JSON.stringify({ model, library }));
      return 0;
    }
    for (const line of describeTagModel(model)) io.out(line);
    if (library) {
      io.out(
        `  against the truth, over ${library.clips} clips that are not examples: precision ${library.precision.toFixed(3)}, ` +
          `recall ${library.recall.toFixed(3)}, F1 ${library.f1.toFixed(3)} (TP ${library.truePositives}, FP ${library.falsePositives}, FN ${library.falseNegatives})`,
      );
    }
    return 0;
  } finally {
    await service.close();
  }
}
