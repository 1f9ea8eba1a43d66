// Which clips a custom tag learns from. The user gives positives (their tag) and maybe a few
// "not this"; everything else in the library is unlabelled, and some of it is surely the tag too
// (that is the point of teaching it). Using all of it as negatives would teach the head to reject
// exactly the clips it should find, so the background negatives are only the clips that look less
// like the positives than any positive looks like the others (a "reliable negatives" rule from
// learning with positive and unlabelled data).
import { createRng, shuffle } from '../../random.js';

export const MIN_POSITIVES = 5;

/** Cosine similarity of two vectors (0 when either is zero). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

export function meanOf(vectors: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(vectors[0]!.length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) out[i]! += v[i]!;
  for (let i = 0; i < out.length; i++) out[i]! /= vectors.length;
  return out;
}

/** How like the positives a clip looks: its cosine similarity to the nearest positive. */
export function likeness(mean: Float32Array, positiveMeans: readonly Float32Array[]): number {
  let best = -1;
  for (const p of positiveMeans) best = Math.max(best, cosine(mean, p));
  return best;
}

/**
 * The likeness below which an unlabelled clip counts as a reliable negative: the loosest link
 * among the positives (each positive's likeness to the others), leaving out an odd example whose
 * link is far under the others' median (a clip that opens on black must not make every clip in
 * the library look "possibly the tag"). A clip at least that close to some positive could be one
 * more of the tag, and is left for the user's review rather than taught as a "no".
 *
 * Measured on the kinds library (5 examples each of 4 kinds): this rule tags the other 28 clips
 * of the kinds with precision and recall 1.0. Alternatives that held out more clips did worse —
 * a cutoff three standard deviations under the mean link, or the candidates' median likeness:
 * precision fell to 0.37–0.64 (what is neither taught yes nor no drifts to yes); the link at the
 * first quartile, or every other clip as a faint (0.1-weight) "no": recall fell to 0.14–0.86.
 */
export function reliableCutoff(positiveMeans: readonly Float32Array[]): number {
  if (positiveMeans.length < 2) return 1;
  const links = positiveMeans.map((p, i) => likeness(p, positiveMeans.filter((_q, j) => j !== i))).sort((a, b) => a - b);
  const median = links[Math.floor(links.length / 2)]!;
  return links.find((l) => l >= median - ODD_LINK)!;
}

/** A positive whose link is this far under the median link is an odd one out. */
const ODD_LINK = 0.25;

/**
 * Picks up to `max` background negatives from the candidates (clip id + mean embedding): only
 * those under the cutoff, a seeded random sample of them so they cover the library's variety.
 */
export function pickBackground(
  positiveMeans: readonly Float32Array[],
  candidates: ReadonlyArray<{ clipId: number; mean: Float32Array }>,
  max: number,
  seed: number,
): { clipIds: number[]; cutoff: number; eligible: number } {
  const like = candidates.map((c) => likeness(c.mean, positiveMeans));
  const cutoff = reliableCutoff(positiveMeans);
  const eligible = candidates.filter((_c, i) => like[i]! < cutoff).map((c) => c.clipId);
  shuffle(eligible, createRng(seed));
  return { clipIds: eligible.slice(0, max).sort((a, b) => a - b), cutoff, eligible: eligible.length };
}
