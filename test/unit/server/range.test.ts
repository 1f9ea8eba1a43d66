import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRange } from '../../../main/server/range.js';

describe('parseRange', () => {
  it('serves the ranges a video element asks for', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRange('bytes=10-19', 100)).toEqual({ kind: 'partial', start: 10, end: 19 });
    expect(parseRange('bytes=90-500', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-1000', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=99999999999999999999-', 100)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores what it does not serve (the RFC allows a 200)', () => {
    for (const h of ['bytes=0-1,5-6', 'items=0-1', 'bytes=5-1', 'bytes=-', 'bytes=a-b', '']) expect(parseRange(h, 100), h).toEqual({ kind: 'full' });
  });

  it('never returns a range outside the file', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(10_000), (h, size) => {
        const r = parseRange(h, size);
        return r.kind !== 'partial' || (r.start >= 0 && r.start <= r.end && r.end < size);
      }),
    );
    fc.assert(
      fc.property(fc.option(fc.nat(20_000)), fc.option(fc.nat(20_000)), fc.nat(10_000), (a, b, size) => {
        const r = parseRange(`bytes=${a ?? ''}-${b ?? ''}`, size);
        return r.kind !== 'partial' || (r.start >= 0 && r.start <= r.end && r.end < size);
      }),
    );
  });
});
