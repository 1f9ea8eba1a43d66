import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, arr, bool, int, nullable, num, obj, oneOf, optional, refine, str } from '../../../shared/validate.js';

const rejects = (fn: () => unknown, match?: RegExp) => {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  if (match) expect((error as Error).message).toMatch(match);
};

describe('validators', () => {
  it('str bounds the length and applies the pattern', () => {
    const v = str({ min: 1, max: 5, pattern: /^[a-z]+$/, patternName: 'lowercase' });
    expect(v.parse('abc')).toBe('abc');
    rejects(() => v.parse(''), /1\.\.5/);
    rejects(() => v.parse('abcdef'));
    rejects(() => v.parse('ABC'), /lowercase/);
    rejects(() => v.parse(12));
    rejects(() => v.parse('x'.repeat(10_000)), /a string of 10000 characters/);
  });

  it('int accepts only safe integers in range', () => {
    const v = int({ min: 1, max: 10 });
    expect(v.parse(10)).toBe(10);
    for (const bad of [0, 11, 1.5, NaN, Infinity, '3', null, 2 ** 60]) rejects(() => v.parse(bad));
  });

  it('num refuses NaN and infinities', () => {
    const v = num({ min: 0, max: 1 });
    expect(v.parse(0.5)).toBe(0.5);
    for (const bad of [NaN, Infinity, -0.1, '0.5']) rejects(() => v.parse(bad));
  });

  it('bool, oneOf, nullable, refine', () => {
    expect(bool().parse(false)).toBe(false);
    rejects(() => bool().parse('true'));
    const kind = oneOf(['a', 'b'] as const);
    expect(kind.parse('b')).toBe('b');
    rejects(() => kind.parse('c'), /one of "a", "b"/);
    expect(nullable(int({ min: 0, max: 1 })).parse(null)).toBeNull();
    const even = refine(int({ min: 0, max: 100 }), (n) => (n % 2 === 0 ? null : 'must be even'));
    expect(even.parse(4)).toBe(4);
    rejects(() => even.parse(3), /must be even/);
  });

  it('arr bounds the length, checks items with their index, and can require distinct items', () => {
    const v = arr(int({ min: 0, max: 9 }), { min: 1, max: 3, unique: true });
    expect(v.parse([1, 2])).toEqual([1, 2]);
    rejects(() => v.parse([]));
    rejects(() => v.parse([1, 2, 3, 4]));
    rejects(() => v.parse([1, 'x']), /\[1\]/);
    rejects(() => v.parse([1, 1]), /\[1\]: repeats 1/);
    rejects(() => v.parse({ length: 1, 0: 1 }));
  });

  it('obj rejects unknown keys, names nested paths, and drops absent optionals', () => {
    const v = obj({ id: int({ min: 1, max: 9 }), tags: optional(arr(str({ max: 3 }), { max: 2 })) });
    expect(v.parse({ id: 1 })).toEqual({ id: 1 });
    expect(Object.keys(v.parse({ id: 1, tags: undefined }))).toEqual(['id']);
    rejects(() => v.parse({ id: 1, idd: 2 }), /unknown field "idd"/);
    rejects(() => v.parse({ id: 1, tags: ['toolong'] }), /tags\[0\]/);
    rejects(() => v.parse({}), /^id:/);
    rejects(() => v.parse([]));
    rejects(() => v.parse(null));
    rejects(() => v.parse(new Date()));
  });

  it('obj never lets __proto__ through', () => {
    const v = obj({ a: optional(int({ min: 0, max: 1 })) });
    rejects(() => v.parse(JSON.parse('{"__proto__": {"polluted": true}}')), /unknown field "__proto__"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('validator properties', () => {
  it('str accepts exactly the strings within its bounds', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.nat(20), fc.nat(20), (s, a, b) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        const ok = s.length >= min && s.length <= max;
        let accepted = true;
        try {
          str({ min, max }).parse(s);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
          accepted = false;
        }
        return accepted === ok;
      }),
    );
  });

  it('int accepts exactly the safe integers in range, whatever else comes in', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.boolean()), (x) => {
        const ok = typeof x === 'number' && Number.isSafeInteger(x) && x >= -5 && x <= 5;
        try {
          return int({ min: -5, max: 5 }).parse(x) === x && ok;
        } catch (e) {
          return e instanceof ValidationError && !ok;
        }
      }),
    );
  });

  it('obj output holds only declared keys, for any input object', () => {
    const v = obj({ a: optional(int({ min: 0, max: 10 })), b: optional(str({ max: 5 })) });
    fc.assert(
      fc.property(fc.object(), (input) => {
        try {
          const out = v.parse(input);
          return Object.keys(out).every((k) => k === 'a' || k === 'b');
        } catch (e) {
          return e instanceof ValidationError;
        }
      }),
    );
  });

  it('never throws anything but ValidationError on arbitrary JSON', () => {
    const v = obj({ ids: arr(int({ min: 1, max: 100 }), { max: 3 }), q: optional(str({ max: 10 })) });
    fc.assert(
      fc.property(fc.jsonValue(), (x) => {
        try {
          v.parse(x);
          return true;
        } catch (e) {
          return e instanceof ValidationError;
        }
      }),
    );
  });
});
