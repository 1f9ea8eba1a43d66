import { describe, expect, it } from 'vitest';
import { dominantRating, NSFW_CLASSES, ratingFromNsfw } from '../../../../main/core/ml/rating.js';

describe('ratingFromNsfw', () => {
  it('maps nsfwjs classes: Neutral, Drawing, Sexy, and Porn + Hentai', () => {
    expect(NSFW_CLASSES).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
    const rating = ratingFromNsfw([0.1, 0.05, 0.6, 0.15, 0.1]);
    expect(rating.neutral).toBeCloseTo(0.6);
    expect(rating.drawing).toBeCloseTo(0.1);
    expect(rating.suggestive).toBeCloseTo(0.1);
    expect(rating.explicit).toBeCloseTo(0.2);
  });

  it('keeps the total: four classes sum to what the five did', () => {
    const rating = ratingFromNsfw(new Float32Array([0.2, 0.3, 0.1, 0.25, 0.15]));
    expect(Object.values(rating).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(dominantRating(rating)).toBe('explicit');
  });

  it('rejects a row of the wrong length', () => {
    expect(() => ratingFromNsfw([0.5, 0.5])).toThrow(/expected 5/);
  });
});
