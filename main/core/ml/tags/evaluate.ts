// Scoring a custom tag against a known truth over the whole library: which clips really are the
// tag (e.g. by file name in a test library) versus which the model tags at its threshold. The
// user's own examples are left out: the model was trained on them.
import { precisionRecall } from '../../../../shared/tag-quality.js';

export interface TagTruthEvaluation {
  threshold: number;
  /** Clips judged: scored, not among the user's examples. */
  clips: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

export function evaluateAgainstTruth(
  scored: ReadonlyArray<{ clipId: number; score: number; truth: boolean }>,
  threshold: number,
  examples: ReadonlySet<number>,
): TagTruthEvaluation {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let clips = 0;
  for (const s of scored) {
    if (examples.has(s.clipId)) continue;
    clips++;
    const yes = s.score >= threshold;
    if (yes && s.truth) tp++;
    else if (yes) fp++;
    else if (s.truth) fn++;
  }
  return { threshold, clips, truePositives: tp, falsePositives: fp, falseNegatives: fn, ...precisionRecall(tp, fp, fn) };
}

/** A file-name glob (`*`, `?`; case-sensitive) as a whole-name RegExp. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}
