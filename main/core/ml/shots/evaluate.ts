// Scores predicted transitions against ground truth: one-to-one matching, a prediction
// matches a true transition when its centre falls within [start − N, end + N].
import type { TransitionType } from '../../../../shared/types.js';

export const TRANSITION_TYPES: readonly TransitionType[] = ['cut', 'dissolve', 'fade'];

export interface Span {
  /** Null for detectors that only say "something changed here" (ffmpeg's scdet). */
  type: TransitionType | null;
  startFrame: number;
  endFrame: number;
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

export interface Evaluation {
  overall: Scores;
  byType: Record<TransitionType, Scores>;
}

export function scores(tp: number, fp: number, fn: number): Scores {
  const precision = tp + fp === 0 ? (fn === 0 ? 1 : 0) : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn };
}

const centre = (s: Span) => (s.startFrame + s.endFrame) / 2;

/** Greedy one-to-one matching, closest pairs first. Returns truth index → prediction index. */
export function match(predicted: Span[], truth: Span[], tolerance: number): Map<number, number> {
  const pairs: { t: number; p: number; d: number }[] = [];
  for (const [t, tr] of truth.entries()) {
    for (const [p, pr] of predicted.entries()) {
      const c = centre(pr);
      if (c >= tr.startFrame - tolerance && c <= tr.endFrame + tolerance) pairs.push({ t, p, d: Math.abs(c - centre(tr)) });
    }
  }
  pairs.sort((a, b) => a.d - b.d || a.t - b.t || a.p - b.p);
  const byTruth = new Map<number, number>();
  const usedPred = new Set<number>();
  for (const { t, p } of pairs) {
    if (byTruth.has(t) || usedPred.has(p)) continue;
    byTruth.set(t, p);
    usedPred.add(p);
  }
  return byTruth;
}

/**
 * Overall scores ignore the type (a boundary found is found). Per type T, a hit needs a true T
 * matched by a prediction of type T — or of no type, for untyped detectors. False alarms count
 * against their own type; an untyped detector's false alarms count against every type, since
 * nothing says which kind of transition it thought it saw.
 */
export function evaluate(predicted: Span[], truth: Span[], tolerance = 2): Evaluation {
  const { matched, falseAlarms, misses } = outcomes(predicted, truth, tolerance);
  const overall = scores(matched, predicted.length - matched, truth.length - matched);
  const byType = {} as Record<TransitionType, Scores>;
  for (const type of TRANSITION_TYPES) {
    const fn = misses.filter((t) => truth[t]!.type === type).length;
    const tp = truth.filter((t) => t.type === type).length - fn;
    const fp = falseAlarms.filter((p) => predicted[p]!.type === type || predicted[p]!.type === null).length;
    byType[type] = scores(tp, fp, fn);
  }
  return { overall, byType };
}

/**
 * Which predictions are false alarms (matched to no true transition, or to one of another type)
 * and which true transitions are missed (matched by no prediction of their type or of none), by
 * index; `matched` counts the one-to-one pairs whatever their types.
 */
export function outcomes(predicted: Span[], truth: Span[], tolerance = 2): { matched: number; falseAlarms: number[]; misses: number[] } {
  const byTruth = match(predicted, truth, tolerance);
  const byPrediction = new Map([...byTruth].map(([t, p]) => [p, t]));
  const falseAlarms = predicted.flatMap((p, i) => {
    const t = byPrediction.get(i);
    return t === undefined || (p.type !== null && truth[t]!.type !== p.type) ? [i] : [];
  });
  const misses = truth.flatMap((t, i) => {
    const p = byTruth.get(i);
    return p === undefined || (predicted[p]!.type !== null && predicted[p]!.type !== t.type) ? [i] : [];
  });
  return { matched: byTruth.size, falseAlarms, misses };
}

/** Sums per-video evaluations into one score per type: a set of videos scored as one. */
export function evaluateSet(predictions: Span[][], truths: Span[][], tolerance = 2): Evaluation {
  const sum = new Map<string, [number, number, number]>();
  const add = (k: string, s: Scores) => {
    const acc = sum.get(k) ?? [0, 0, 0];
    sum.set(k, [acc[0] + s.tp, acc[1] + s.fp, acc[2] + s.fn]);
  };
  for (const [i, p] of predictions.entries()) {
    const e = evaluate(p, truths[i]!, tolerance);
    add('overall', e.overall);
    for (const t of TRANSITION_TYPES) add(t, e.byType[t]);
  }
  const get = (k: string) => scores(...(sum.get(k) ?? [0, 0, 0]));
  return { overall: get('overall'), byType: Object.fromEntries(TRANSITION_TYPES.map((t) => [t, get(t)])) as Record<TransitionType, Scores> };
}
