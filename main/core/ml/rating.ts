// Maps the NSFW head's five probabilities onto the four rating classes Reeltag reports.
import type { RatingClass } from '../../../shared/types.js';

/** Output order of nsfwjs's classifiers (its NSFW_CLASSES). */
export const NSFW_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;

/**
 * neutral = Neutral, drawing = Drawing, suggestive = Sexy, explicit = Porn + Hentai (explicit
 * drawn content is still explicit: the rating is about what is shown, not how).
 * @param probs the softmax row in NSFW_CLASSES order.
 */
export function ratingFromNsfw(probs: ArrayLike<number>): Record<RatingClass, number> {
  if (probs.length !== NSFW_CLASSES.length) throw new Error(`expected ${NSFW_CLASSES.length} NSFW probabilities, got ${probs.length}`);
  const p = (i: number): number => probs[i] ?? 0;
  return { neutral: p(2), drawing: p(0), suggestive: p(4), explicit: p(3) + p(1) };
}

/** The class with the highest probability. */
export function dominantRating(rating: Record<RatingClass, number>): RatingClass {
  return (Object.entries(rating) as [RatingClass, number][]).reduce((best, cur) => (cur[1] > best[1] ? cur : best))[0];
}
