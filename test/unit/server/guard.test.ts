import { describe, expect, it } from 'vitest';
import { bearerToken, cookieValue, isAllowedHost, isAllowedOrigin, sameToken } from '../../../main/server/guard.js';

describe('guard', () => {
  it('accepts only this server as Host and Origin', () => {
    expect(isAllowedHost('127.0.0.1:5757', 5757)).toBe(true);
    expect(isAllowedHost('LOCALHOST:5757', 5757)).toBe(true);
    for (const h of [undefined, '127.0.0.1', '127.0.0.1:5758', 'evil.example:5757', 'localhost.evil.example:5757', '0.0.0.0:5757', '[::1]:5757']) expect(isAllowedHost(h, 5757), String(h)).toBe(false);
    expect(isAllowedOrigin(undefined, 5757)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5757', 5757)).toBe(true);
    for (const o of ['null', 'http://evil.example', 'https://127.0.0.1:5757', 'http://127.0.0.1:5758']) expect(isAllowedOrigin(o, 5757), o).toBe(false);
  });

  it('reads tokens from cookies and bearer headers, compares in constant time', () => {
    expect(cookieValue('a=1; reeltag_token_1=abc; b=2', 'reeltag_token_1')).toBe('abc');
    expect(cookieValue('xreeltag_token_1=abc', 'reeltag_token_1')).toBeUndefined();
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(sameToken('abc', 'abc')).toBe(true);
    expect(sameToken('abd', 'abc')).toBe(false);
    expect(sameToken('ab', 'abc')).toBe(false);
    expect(sameToken(undefined, 'abc')).toBe(false);
  });
});
