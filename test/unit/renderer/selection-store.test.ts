import { describe, expect, it } from 'vitest';
import { SelectionStore } from '../../../renderer/src/stores/selection.svelte.js';

const idAt = (i: number) => (i >= 0 && i < 100 ? i + 1 : undefined);

describe('SelectionStore', () => {
  it('selects one on click, toggles with Ctrl, ranges with Shift', () => {
    const s = new SelectionStore();
    s.click(3, idAt);
    expect([...s.ids]).toEqual([4]);
    s.click(5, idAt, { toggle: true });
    expect([...s.ids].sort()).toEqual([4, 6]);
    s.click(3, idAt, { toggle: true });
    expect([...s.ids]).toEqual([6]);
    // The Ctrl-click moved the anchor to 3.
    s.click(9, idAt, { shift: true });
    expect([...s.ids].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(s.focus).toBe(9);
    s.click(2, idAt, { shift: true, toggle: true });
    expect(s.count).toBe(8);
    expect(s.selectedIds()).toHaveLength(8);
  });

  it('moves by one, by a row, to the ends; Shift extends from the anchor', () => {
    const s = new SelectionStore();
    s.columns = 5;
    expect(s.move('right', 100, idAt)).toBe(0);
    expect(s.move('right', 100, idAt)).toBe(1);
    expect(s.move('down', 100, idAt)).toBe(6);
    expect(s.move('up', 100, idAt)).toBe(1);
    expect(s.move('up', 100, idAt)).toBe(1);
    expect(s.move('left', 100, idAt)).toBe(0);
    expect(s.move('left', 100, idAt)).toBe(0);
    expect([...s.ids]).toEqual([1]);
    s.move('down', 100, idAt, true);
    s.move('right', 100, idAt, true);
    expect([...s.ids].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(s.move('end', 100, idAt)).toBe(99);
    expect(s.move('down', 100, idAt)).toBe(99);
    s.pageRows = 4;
    expect(s.move('pageup', 100, idAt)).toBe(79);
    expect(s.move('home', 100, idAt)).toBe(0);
    expect(s.move('right', 0, idAt)).toBe(-1);
  });

  it('forgets everything on reset; clear keeps the focus', () => {
    const s = new SelectionStore();
    s.click(4, idAt);
    s.clear();
    expect(s.count).toBe(0);
    expect(s.focus).toBe(4);
    s.reset();
    expect(s.focus).toBe(-1);
    expect(s.has(5)).toBe(false);
  });
});
