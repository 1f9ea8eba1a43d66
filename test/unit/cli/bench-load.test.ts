import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latencyStats, percentile } from '../../../main/cli/commands/bench-load.js';

describe('bench --load statistics', () => {
  it('percentiles by nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile(xs, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
    expect(latencyStats([1, 2, 3, 4])).toEqual({ count: 4, p50Ms: 2, p95Ms: 4, maxMs: 4 });
  });

  it('a percentile is one of the samples, and grows with p', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(xs).toContain(percentile(xs, lo));
        expect(percentile(xs, lo)).toBeLessThanOrEqual(percentile(xs, hi));
      }),
    );
  });
});
