// A custom tag's quality at a threshold, from the held-out scores of its cross-validation. Shared
// so that the core reports it and the UI can show it live while the user drags the threshold.
import type { TagQuality } from './types.js';

/** [score, label]: what a model that never saw the example said, and whether it is the tag (1). */
export type HeldOutScore = readonly [score: number, label: number];

export function qualityAt(heldOut: readonly HeldOutScore[], threshold: number, folds: number): TagQuality {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [score, label] of heldOut) {
    const yes = score >= threshold;
    if (yes && label === 1) tp++;
    else if (yes) fp++;
    else if (label === 1) fn++;
  }
  return { ...precisionRecall(tp, fp, fn), folds };
}

/** Precision, recall and F1 from counts, to 3 decimals; 0 where a ratio has nothing to count. */
export function precisionRecall(tp: number, fp: number, fn: number): Pick<TagQuality, 'precision' | 'recall' | 'f1'> {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision: round3(precision), recall: round3(recall), f1: round3(f1) };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
