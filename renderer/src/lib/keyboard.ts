// Keyboard shortcuts as a pure function of the key and where focus is, so the rules are tested
// without a browser. The app's one window-level keydown handler asks this what to do.
//   library: arrows / Home / End / PageUp / PageDown move the grid selection (Shift extends),
//            Enter opens, Escape clears the selection
//   clip:    Space plays / pauses, ←/→ previous / next clip, Escape back to the library
//   review:  Y / N answer the first (most uncertain) clip, Escape back to the library
//   all:     "/" focuses the search box
// Delete on a focused tag chip is handled by the chip itself; a focused slider keeps its keys.

export type MoveKey = 'left' | 'right' | 'up' | 'down' | 'home' | 'end' | 'pageup' | 'pagedown';

export type KeyAction =
  | { type: 'move'; move: MoveKey; extend: boolean }
  | { type: 'open' }
  | { type: 'clearSelection' }
  | { type: 'back' }
  | { type: 'togglePlay' }
  | { type: 'prevClip' }
  | { type: 'nextClip' }
  | { type: 'answer'; yes: boolean }
  | { type: 'focusSearch' }
  | { type: 'blur' };

export type View = 'library' | 'clip' | 'review';

export interface KeyTarget {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

export interface KeyInput {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: KeyTarget | null;
}

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset', 'image']);

export function isEditable(t: KeyTarget | null | undefined): boolean {
  if (!t) return false;
  const tag = (t.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable === true) return true;
  return tag === 'INPUT' && !NON_TEXT_INPUTS.has((t.type ?? 'text').toLowerCase());
}

const MOVES: Record<string, MoveKey> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  Home: 'home',
  End: 'end',
  PageUp: 'pageup',
  PageDown: 'pagedown',
};

export function keyAction(e: KeyInput, view: View): KeyAction | null {
  const tag = (e.target?.tagName ?? '').toUpperCase();
  if (isEditable(e.target)) return e.key === 'Escape' ? { type: 'blur' } : null;
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  if (e.key === '/') return { type: 'focusSearch' };
  // The player's own controls handle keys while it has focus, and so does a slider.
  if (tag === 'VIDEO') return null;
  if (tag === 'INPUT' && (e.target?.type ?? '').toLowerCase() === 'range' && e.key !== 'Escape') return null;

  if (view === 'review') {
    if (e.key === 'Escape') return { type: 'back' };
    const k = e.key.toLowerCase();
    if (k === 'y' || k === 'n') return { type: 'answer', yes: k === 'y' };
    return null;
  }

  if (view === 'library') {
    const move = MOVES[e.key];
    if (move) return { type: 'move', move, extend: e.shiftKey === true };
    // Enter on a button or link is that control's.
    if (e.key === 'Enter' && tag !== 'BUTTON' && tag !== 'A') return { type: 'open' };
    if (e.key === 'Escape') return { type: 'clearSelection' };
    return null;
  }
  if (e.key === ' ' || e.key === 'Spacebar') return { type: 'togglePlay' };
  if (e.key === 'Escape') return { type: 'back' };
  if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') return { type: 'prevClip' };
  if (e.key === 'ArrowRight' || e.key === 'ArrowDown') return { type: 'nextClip' };
  return null;
}
