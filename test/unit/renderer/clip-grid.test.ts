import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ClipGrid from '../../../renderer/src/components/clip-grid.svelte';
import { generatedClip, settle } from './fake-client.js';

function setup(total: number) {
  const onrange = vi.fn();
  const onpick = vi.fn();
  const onopen = vi.fn();
  const onlayout = vi.fn();
  const utils = render(ClipGrid, {
    props: {
      total,
      clipAt: (i: number) => (i < total ? generatedClip(i) : undefined),
      isSelected: (id: number) => id === 3,
      focusIndex: -1,
      thumbUrl: (id: number) => `/media/thumb/${id}`,
      resetKey: 0,
      onrange,
      onpick,
      onopen,
      onlayout,
      fallbackSize: { width: 1214, height: 800 },
    },
  });
  return { ...utils, onrange, onpick, onopen, onlayout };
}

describe('ClipGrid', () => {
  it('renders only a window of 100 000 clips, and moves it with the scroll', async () => {
    const { onrange, onlayout } = setup(100_000);
    await settle();
    const tiles = screen.getAllByRole('option');
    expect(tiles.length).toBeGreaterThan(10);
    expect(tiles.length).toBeLessThan(60);
    expect(tiles[0]).toHaveAttribute('data-index', '0');
    expect(onrange).toHaveBeenLastCalledWith(0, tiles.length);
    expect(onlayout).toHaveBeenLastCalledWith({ columns: 5, pageRows: 4 });
    const listbox = screen.getByRole('listbox');
    expect(listbox).toHaveAttribute('data-total', '100000');
    // The spacer stands for all 20 000 rows.
    const spacer = listbox.firstElementChild as HTMLElement;
    expect(parseFloat(spacer.style.height)).toBeGreaterThan(20_000 * 190);

    listbox.scrollTop = parseFloat(spacer.style.height) / 2;
    await fireEvent.scroll(listbox);
    await settle();
    const moved = screen.getAllByRole('option');
    expect(moved.length).toBeLessThan(60);
    const first = Number(moved[0]!.dataset.index);
    expect(first).toBeGreaterThan(49_000);
    expect(first).toBeLessThan(51_000);
    expect(onrange).toHaveBeenLastCalledWith(first, first + moved.length);
    expect(listbox.querySelector('[data-index="0"]')).toBeNull();
  });

  it('shows selection, tags with confidence and thumbnails; picks with modifiers; opens on double-click', async () => {
    const { onpick, onopen, container } = setup(12);
    await settle();
    const tile = container.querySelector<HTMLElement>('[data-index="2"]')!;
    expect(tile).toHaveAttribute('aria-selected', 'true');
    expect(tile.querySelector('img')).toHaveAttribute('src', '/media/thumb/3');
    expect(tile).toHaveTextContent('video-1.mp4');
    expect(tile).toHaveTextContent('person');
    expect(tile).toHaveTextContent('80%');
    await fireEvent.click(tile, { shiftKey: true });
    expect(onpick).toHaveBeenLastCalledWith(2, { shift: true, toggle: false });
    await fireEvent.click(tile.querySelector('.caption')!, { ctrlKey: true });
    expect(onpick).toHaveBeenLastCalledWith(2, { shift: false, toggle: true });
    await fireEvent.dblClick(tile);
    expect(onopen).toHaveBeenCalledWith(2);
  });
});
