// Which clips of the grid are selected (by id, so a refresh keeps them) and where the keyboard
// focus is (by index). Click selects one, Ctrl/Cmd-click toggles, Shift-click and Shift-arrows
// select the range from the anchor.
import { SvelteSet } from 'svelte/reactivity';
import { LIMITS } from '../../../shared/contract.js';
import type { MoveKey } from '../lib/keyboard.js';

export interface ClickModifiers {
  shift?: boolean;
  /** Ctrl (or Cmd on macOS). */
  toggle?: boolean;
}

/** The clip id at a grid index, or undefined when that page is not loaded. */
export type IdAt = (index: number) => number | undefined;

export class SelectionStore {
  readonly ids = new SvelteSet<number>();
  /** The grid index with the keyboard focus; -1 for none. */
  focus = $state(-1);
  anchor = $state(-1);
  /** Columns of the grid as laid out now (for up/down). */
  columns = $state(1);
  /** Visible rows (for page up/down). */
  pageRows = $state(3);

  get count(): number {
    return this.ids.size;
  }

  has(id: number | undefined): boolean {
    return id !== undefined && this.ids.has(id);
  }

  /** Selected ids, at most what one edit may touch. */
  selectedIds(): number[] {
    return [...this.ids].slice(0, LIMITS.editClips);
  }

  clear(): void {
    this.ids.clear();
    this.anchor = this.focus;
  }

  /** Everything forgotten (the filter changed: indices mean other clips now). */
  reset(): void {
    this.ids.clear();
    this.focus = -1;
    this.anchor = -1;
  }

  click(index: number, idAt: IdAt, mods: ClickModifiers = {}): void {
    const id = idAt(index);
    if (id === undefined) return;
    if (mods.shift && this.anchor >= 0) {
      if (!mods.toggle) this.ids.clear();
      this.#addRange(this.anchor, index, idAt);
    } else if (mods.toggle) {
      if (this.ids.has(id)) this.ids.delete(id);
      else this.ids.add(id);
      this.anchor = index;
    } else {
      this.ids.clear();
      this.ids.add(id);
      this.anchor = index;
    }
    this.focus = index;
  }

  /** Arrow keys and friends. Returns the new focus index. */
  move(move: MoveKey, total: number, idAt: IdAt, extend = false): number {
    if (total <= 0) return -1;
    const cols = Math.max(1, this.columns);
    const from = this.focus < 0 ? -1 : Math.min(this.focus, total - 1);
    let to: number;
    if (from < 0) to = 0;
    else {
      const step: Record<MoveKey, number> = {
        left: -1,
        right: 1,
        up: -cols,
        down: cols,
        pageup: -cols * Math.max(1, this.pageRows),
        pagedown: cols * Math.max(1, this.pageRows),
        home: -Infinity,
        end: Infinity,
      };
      to = from + step[move];
      // Up from the first row / down from the last one stay in their column's bounds.
      if ((move === 'up' || move === 'down') && (to < 0 || to >= total)) to = from;
      to = Math.max(0, Math.min(total - 1, to));
    }
    if (extend) {
      if (this.anchor < 0) this.anchor = from < 0 ? to : from;
      this.ids.clear();
      this.#addRange(this.anchor, to, idAt);
    } else {
      this.ids.clear();
      const id = idAt(to);
      if (id !== undefined) this.ids.add(id);
      this.anchor = to;
    }
    this.focus = to;
    return to;
  }

  #addRange(a: number, b: number, idAt: IdAt): void {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    for (let i = lo; i <= hi && this.ids.size < LIMITS.editClips; i++) {
      const id = idAt(i);
      if (id !== undefined) this.ids.add(id);
    }
  }
}
