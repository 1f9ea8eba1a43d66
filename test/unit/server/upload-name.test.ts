import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeFileName } from '../../../main/server/upload.js';

describe('sanitizeFileName', () => {
  it('keeps ordinary names and strips folders and odd characters', () => {
    expect(sanitizeFileName('Beach day.mp4')).toBe('Beach day.mp4');
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\x\\clip.mov')).toBe('clip.mov');
    expect(sanitizeFileName('a<b>c:d"e|f?g*h.mp4')).toBe('a_b_c_d_e_f_g_h.mp4');
    expect(sanitizeFileName('..')).toBe('upload');
    expect(sanitizeFileName('.hidden.mp4')).toBe('hidden.mp4');
    expect(sanitizeFileName('CON.mp4')).toBe('_CON.mp4');
    expect(sanitizeFileName('line\nbreak.mp4')).toBe('line_break.mp4');
    expect(sanitizeFileName(`${'x'.repeat(500)}.mp4`)).toMatch(/^x{176}\.mp4$/);
  });

  it('always gives one plain, bounded, non-hidden path segment', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (raw) => {
        const name = sanitizeFileName(raw);
        return (
          name.length > 0 &&
          name.length <= 180 &&
          !/[/\\<>:"|?*]/.test(name) &&
          !/\p{Cc}/u.test(name) &&
          !name.startsWith('.') &&
          name !== '..'
        );
      }),
    );
  });
});
