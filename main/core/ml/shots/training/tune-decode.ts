// Per-class decoding settings for the gradual transitions, chosen on held-out videos of the
// TRAINING footage (never on the validation footage, whose scores must stay an honest estimate).
// Each class is swept on its own F1. The cut threshold stays at 0.5: tuned the same way it rose
// to 0.8 on the tune set's swings and murky shots and cost 7.6 points of cut recall on validation.
import type { TransitionType } from '../../../../../shared/types.js';
import { evaluateSet, type Scores, type Span } from '../evaluate.js';
import { decodeTransitions, DEFAULT_DECODE, type DecodeParams, type GradualDecode } from '../lstm-model.js';

export interface ScoredVideo {
  probs: Float32Array;
  frames: number;
  truth: Span[];
}

const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const MIN_RUNS = [3, 4, 6, 8];
const MIN_MEANS = [0, 0.6, 0.7, 0.8, 0.9];
/** A few dozen videos are a small sample: a setting must win by this much F1 to replace the default. */
const MIN_GAIN = 0.01;

function f1Of(videos: ScoredVideo[], params: DecodeParams, type: TransitionType): Scores {
  return evaluateSet(
    videos.map((v) => decodeTransitions(v.probs, v.frames, params)),
    videos.map((v) => v.truth),
  ).byType[type];
}

/**
 * The settings with the best F1 per class on these videos. The defaults stay unless another
 * setting beats them by MIN_GAIN; among the others, ties keep the earlier candidate.
 */
export function tuneDecode(videos: ScoredVideo[]): DecodeParams {
  let params: DecodeParams = structuredClone(DEFAULT_DECODE);
  for (const type of ['dissolve', 'fade'] as const) {
    const candidates: GradualDecode[] = [];
    // maxRun is not swept: it is the recipe's longest transition, and the tune set (like any set
    // of training footage) has next to no runs longer than that to tune it on.
    const { maxRun } = params[type];
    for (const threshold of THRESHOLDS)
      for (const minRun of MIN_RUNS) for (const minMean of MIN_MEANS) if (minMean === 0 || minMean > threshold) candidates.push({ threshold, minRun, minMean, ...(maxRun !== undefined && { maxRun }) });
    let best = { f1: f1Of(videos, params, type).f1 + MIN_GAIN, g: params[type] };
    for (const g of candidates) {
      const f1 = f1Of(videos, { ...params, [type]: g }, type).f1;
      if (f1 > best.f1 + 1e-9) best = { f1, g };
    }
    params = { ...params, [type]: best.g };
  }
  return params;
}
