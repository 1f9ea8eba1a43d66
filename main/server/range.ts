// HTTP Range requests (RFC 9110 §14) for one byte range, which is all a <video> element sends.
// Anything we do not serve as a range (several ranges, bad syntax) gets the whole file: the RFC
// lets a server ignore Range, and a player copes with a 200.

export type RangeResult =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  /** 416: the range starts at or past the end of the file. */
  | { kind: 'unsatisfiable' };

export function parseRange(header: string | null | undefined, size: number): RangeResult {
  if (header === null || header === undefined) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return { kind: 'full' };
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // Suffix range: the last N bytes.
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    const start = Number.isSafeInteger(n) ? Math.max(0, size - n) : 0;
    return { kind: 'partial', start, end: size - 1 };
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start) || start >= size) return { kind: 'unsatisfiable' };
  if (last === '') return { kind: 'partial', start, end: size - 1 };
  const end = Number(last);
  if (Number.isSafeInteger(end) && end < start) return { kind: 'full' };
  return { kind: 'partial', start, end: Number.isSafeInteger(end) ? Math.min(end, size - 1) : size - 1 };
}
