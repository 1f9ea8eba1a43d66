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

  it('answers the review with Y / N and leaves a focused slider its keys', () => {
    expect(keyAction({ key: 'y' }, 'review')).toEqual({ type: 'answer', yes: true });
    expect(keyAction({ key: 'N', shiftKey: true }, 'review')).toEqual({ type: 'answer', yes: false });
    expect(keyAction({ key: 'Escape' }, 'review')).toEqual({ type: 'back' });
    expect(keyAction({ key: 'ArrowRight' }, 'review')).toBeNull();
    expect(keyAction({ key: 'y' }, 'library')).toBeNull();
    expect(keyAction({ key: 'y', target: { tagName: 'INPUT', type: 'text' } }, 'review')).toBeNull();
    // A threshold slider in the side panel: arrows move it, not the grid selection.
    const slider = { tagName: 'INPUT', type: 'range' };
    expect(keyAction({ key: 'ArrowRight', target: slider }, 'library')).toBeNull();
    expect(keyAction({ key: 'Home', target: slider }, 'library')).toBeNull();
    expect(keyAction({ key: 'Enter', target: slider }, 'library')).toBeNull();
    expect(keyAction({ key: 'Escape', target: slider }, 'library')).toEqual({ type: 'clearSelection' });
  });

  it('knows which targets take text', () => {
    expect(isEditable({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isEditable({ tagName: 'INPUT' })).toBe(true);
    expect(isEditable({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isEditable(null)).toBe(false);
  });
});
