// Where a shot model goes wrong on the recipe's videos: its false alarms by what the video shows
// at them, its misses by the two shots the transition joins (evaluate's outcomes), so that
// features or data can be aimed at the footage that fools it.
import type { TransitionType } from '../../../../../shared/types.js';
import { outcomes, TRANSITION_TYPES, type Span } from '../evaluate.js';
import { sourceAt, type RecipeVideo } from './recipe.js';

export interface ErrorCount {
  where: string;
  count: number;
}

export interface TypeErrors {
  /** Predictions of the type that match no true transition of it, by the footage at their centre. */
  falseAlarms: ErrorCount[];
  /** True transitions of the type that no prediction of it matched, by "from → to" footage. */
  misses: ErrorCount[];
}

export function errorsBySource(
  videos: ReadonlyArray<{ plan: RecipeVideo; truth: { transitions: readonly Span[] } }>,
  predictions: readonly Span[][],
  tolerance = 2,
): Record<TransitionType, TypeErrors> {
  const counts = Object.fromEntries(TRANSITION_TYPES.map((t) => [t, { falseAlarms: new Map<string, number>(), misses: new Map<string, number>() }])) as Record<
    TransitionType,
    { falseAlarms: Map<string, number>; misses: Map<string, number> }
  >;
  const add = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  videos.forEach(({ plan, truth }, v) => {
    const predicted = predictions[v]!;
    const truths = truth.transitions as Span[];
    const { falseAlarms, misses } = outcomes(predicted, truths, tolerance);
    for (const i of falseAlarms) {
      const p = predicted[i]!;
      if (p.type !== null) add(counts[p.type].falseAlarms, sourceAt(plan, Math.round((p.startFrame + p.endFrame) / 2)));
    }
    for (const i of misses) {
      const t = truths[i]!;
      if (t.type !== null) add(counts[t.type].misses, `${sourceAt(plan, Math.max(0, t.startFrame - 2))} → ${sourceAt(plan, t.endFrame + 1)}`);
    }
  });
  const sorted = (m: Map<string, number>) => [...m].map(([where, count]) => ({ where, count })).sort((a, b) => b.count - a.count || a.where.localeCompare(b.where));
  return Object.fromEntries(TRANSITION_TYPES.map((t) => [t, { falseAlarms: sorted(counts[t].falseAlarms), misses: sorted(counts[t].misses) }])) as Record<TransitionType, TypeErrors>;
}
