import { describe, expect, it } from 'vitest';
import { gridWindow, pagesFor, scrollToShow } from '../../../renderer/src/lib/virtual.js';

const base = { width: 1214, height: 800, scrollTop: 0, total: 100_000, minTileWidth: 220, gap: 14, captionHeight: 58, overscan: 2 };

describe('gridWindow', () => {
  it('shows a few rows of 100 000 items, wherever the scroll is', () => {
    const top = gridWindow(base);
    expect(top.columns).toBe(5);
    expect(top.start).toBe(0);
    expect(top.end - top.start).toBeLessThan(60);
    expect(top.totalHeight).toBe(top.rows * top.rowHeight + base.gap);
    expect(top.rows).toBe(20_000);

    const middle = gridWindow({ ...base, scrollTop: top.rowHeight * 10_000 + 5 });
    expect(middle.start).toBe((10_000 - 2) * 5);
    expect(middle.end - middle.start).toBeLessThan(60);
    expect(middle.offsetY).toBe((10_000 - 2) * top.rowHeight);

    const past = gridWindow({ ...base, scrollTop: 1e12 });
    expect(past.end).toBe(100_000);
    expect(past.end - past.start).toBeLessThan(60);
  });

  it('fits the columns to the width and never goes below one', () => {
    expect(gridWindow({ ...base, width: 100 }).columns).toBe(1);
    expect(gridWindow({ ...base, width: 2000 }).columns).toBe(8);
    const w = gridWindow({ ...base, width: 2000 });
    expect(w.columns * (w.tileWidth + base.gap)).toBeLessThanOrEqual(2000);
  });

  it('is empty for an empty library', () => {
    expect(gridWindow({ ...base, total: 0 })).toMatchObject({ start: 0, end: 0, rows: 0 });
  });
});

describe('scrollToShow', () => {
  const w = { columns: 4, rowHeight: 100 };
  it('scrolls only when the item is out of view', () => {
    expect(scrollToShow(5, w, { scrollTop: 0, height: 300 })).toBe(0);
    expect(scrollToShow(40, w, { scrollTop: 0, height: 300 })).toBe(1100 - 300);
    expect(scrollToShow(0, w, { scrollTop: 500, height: 300 })).toBe(0);
  });
});

describe('pagesFor', () => {
  it('lists the pages covering a range', () => {
    expect(pagesFor(0, 0, 200)).toEqual([]);
    expect(pagesFor(0, 200, 200)).toEqual([0]);
    expect(pagesFor(150, 450, 200)).toEqual([0, 1, 2]);
  });
});
