import { describe, expect, it } from 'vitest';
import { isEditable, keyAction } from '../../../renderer/src/lib/keyboard.js';

describe('keyAction', () => {
  it('moves the grid selection with arrows, extends with Shift, opens with Enter', () => {
    expect(keyAction({ key: 'ArrowRight' }, 'library')).toEqual({ type: 'move', move: 'right', extend: false });
    expect(keyAction({ key: 'ArrowDown', shiftKey: true }, 'library')).toEqual({ type: 'move', move: 'down', extend: true });
    expect(keyAction({ key: 'End' }, 'library')).toEqual({ type: 'move', move: 'end', extend: false });
    expect(keyAction({ key: 'Enter', target: { tagName: 'DIV' } }, 'library')).toEqual({ type: 'open' });
    expect(keyAction({ key: 'Enter', target: { tagName: 'BUTTON' } }, 'library')).toBeNull();
    expect(keyAction({ key: 'Escape' }, 'library')).toEqual({ type: 'clearSelection' });
  });

  it('plays, pauses and steps through clips in the clip view', () => {
    expect(keyAction({ key: ' ' }, 'clip')).toEqual({ type: 'togglePlay' });
    expect(keyAction({ key: ' ', target: { tagName: 'VIDEO' } }, 'clip')).toBeNull();
    expect(keyAction({ key: 'ArrowRight' }, 'clip')).toEqual({ type: 'nextClip' });
    expect(keyAction({ key: 'ArrowLeft' }, 'clip')).toEqual({ type: 'prevClip' });
    expect(keyAction({ key: 'Escape' }, 'clip')).toEqual({ type: 'back' });
  });

  it('focuses search on "/" except while typing; leaves shortcuts with modifiers alone', () => {
    expect(keyAction({ key: '/' }, 'library')).toEqual({ type: 'focusSearch' });
    expect(keyAction({ key: '/' }, 'clip')).toEqual({ type: 'focusSearch' });
    expect(keyAction({ key: '/', target: { tagName: 'INPUT', type: 'search' } }, 'library')).toBeNull();
    expect(keyAction({ key: 'Escape', target: { tagName: 'INPUT' } }, 'library')).toEqual({ type: 'blur' });
    expect(keyAction({ key: 'ArrowLeft', target: { tagName: 'TEXTAREA' } }, 'library')).toBeNull();
    expect(keyAction({ key: 'a', ctrlKey: true }, 'library')).toBeNull();
    expect(keyAction({ key: 'ArrowDown', metaKey: true }, 'library')).toBeNull();
  });

  it('knows which targets take text', () => {
    expect(isEditable({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isEditable({ tagName: 'INPUT' })).toBe(true);
    expect(isEditable({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isEditable(null)).toBe(false);
  });
});
