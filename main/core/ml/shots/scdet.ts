// ffmpeg's own scene-change detector, the baseline the shot tagger is measured against.
// One run prints scdet's score for every frame; thresholds are then swept in JavaScript,
// so "scdet at its best threshold" costs one decode.
import { runTool } from '../../media/index.js';
import { evaluateSet, type Evaluation, type Span } from './evaluate.js';

export function scdetArgs(input: string): string[] {
  return [
    '-v', 'error', '-nostdin', '-i', input.startsWith('-') ? `file:${input}` : input,
    '-map', '0:v:0',
    '-vf', 'scdet=threshold=0,metadata=mode=print:key=lavfi.scd.score:file=-',
    '-f', 'null', '-',
  ];
}

/** Parses metadata=print output: "frame:N pts:… pts_time:…" then "lavfi.scd.score=X". */
export function parseScdetScores(text: string): Float64Array {
  const scores: number[] = [];
  let frame = -1;
  for (const line of text.split('\n')) {
    const f = /^frame:(\d+)/.exec(line);
    if (f) {
      frame = Number(f[1]);
      continue;
    }
    const s = /^lavfi\.scd\.score=([\d.eE+-]+)/.exec(line);
    if (s && frame >= 0) scores[frame] = Number(s[1]);
  }
  return Float64Array.from(scores, (x) => x ?? 0);
}

export function scdetPredictions(scores: Float64Array, threshold: number): Span[] {
  const out: Span[] = [];
  for (let i = 1; i < scores.length; i++) if (scores[i]! >= threshold) out.push({ type: null, startFrame: i - 1, endFrame: i });
  return out;
}

export async function scdetScores(ffmpeg: string, input: string, signal?: AbortSignal): Promise<Float64Array> {
  const { stdout } = await runTool(ffmpeg, scdetArgs(input), { signal, timeoutMs: 600_000, maxStdout: 256 << 20 });
  return parseScdetScores(stdout.toString('utf8'));
}

/**
 * scdet at its best: the threshold (1–60 in steps of 0.5, scdet's useful range) with the best
 * overall F1 over a set of videos — one video for `reeltag eval shots`, the validation set in training.
 */
export function bestScdet(scores: Float64Array[], truths: Span[][], tolerance: number): { threshold: number; evaluation: Evaluation } {
  let best: { threshold: number; evaluation: Evaluation } | undefined;
  for (let threshold = 1; threshold <= 60; threshold += 0.5) {
    const evaluation = evaluateSet(scores.map((sc) => scdetPredictions(sc, threshold)), truths, tolerance);
    if (!best || evaluation.overall.f1 > best.evaluation.overall.f1) best = { threshold, evaluation };
  }
  return best!;
}
