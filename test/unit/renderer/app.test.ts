// The whole UI on a fake backend of 100 000 clips: keyboard navigation in the grid, opening a
// clip, play / pause, search, and tag edits on a selection and on the open clip.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from '../../../renderer/src/app.svelte';
import { AppState } from '../../../renderer/src/stores/app.svelte.js';
import { FakeClient, settle } from './fake-client.js';

async function setup(count = 100_000) {
  const client = new FakeClient(count);
  const app = new AppState(client, { library: { pageSize: 100, searchDelayMs: 10 }, refreshDelayMs: 10 });
  const utils = render(App, { props: { app, gridFallback: { width: 1214, height: 800 } } });
  await waitFor(() => expect(screen.getAllByRole('option').length).toBeGreaterThan(0));
  await settle();
  return { client, app, ...utils, user: userEvent.setup() };
}

const selectedIndices = () =>
  screen
    .getAllByRole('option')
    .filter((o) => o.getAttribute('aria-selected') === 'true')
    .map((o) => Number(o.dataset.index));

describe('App', () => {
  it('moves the selection with the arrows, extends it with Shift, opens with Enter', async () => {
    const { app, user } = await setup();
    expect(screen.getByTestId('clip-count')).toHaveTextContent('100,000 clips');
    expect(screen.getAllByRole('option').length).toBeLessThan(60);

    await user.keyboard('{ArrowRight}');
    expect(selectedIndices()).toEqual([0]);
    await user.keyboard('{ArrowRight}{ArrowRight}{ArrowDown}');
    expect(selectedIndices()).toEqual([7]);
    expect(screen.getByRole('listbox')).toHaveAttribute('aria-activedescendant', 'clip-7');
    await user.keyboard('{Shift>}{ArrowRight}{ArrowRight}{/Shift}');
    expect(selectedIndices()).toEqual([7, 8, 9]);
    expect(screen.getByRole('region', { name: 'Selection' })).toHaveTextContent('3 clips selected');
    await user.keyboard('{Escape}');
    expect(selectedIndices()).toEqual([]);

    // End goes to the last of 100 000: its page is fetched on the way.
    await user.keyboard('{End}');
    await waitFor(() => expect(app.selection.focus).toBe(99_999));
    await waitFor(() => expect(app.selection.ids.has(100_000)).toBe(true));
    await user.keyboard('{Home}{ArrowRight}{Enter}');
    await waitFor(() => expect(screen.getByRole('region', { name: 'Clip' })).toBeInTheDocument());
    expect(app.clipView.clip?.id).toBe(2);
    expect(screen.getByText(/Clip 2 of 10/)).toBeInTheDocument();
    const video = document.querySelector('video')!;
    expect(video).toHaveAttribute('src', '/media/video/1');
    expect(app.clipView.seekRequest?.time).toBe(2);
  });

  it('plays and pauses with Space, steps with the arrows, goes back with Escape', async () => {
    const { app, user } = await setup();
    await user.keyboard('{ArrowRight}{ArrowRight}{Enter}');
    await waitFor(() => expect(app.clipView.clip?.id).toBe(2));
    const video = document.querySelector('video')!;
    expect(video.paused).toBe(true);
    await user.keyboard(' ');
    await waitFor(() => expect(video.paused).toBe(false));
    expect(app.clipView.paused).toBe(false);
    await user.keyboard(' ');
    await waitFor(() => expect(video.paused).toBe(true));

    await user.keyboard('{ArrowRight}');
    await waitFor(() => expect(app.clipView.clip?.id).toBe(3));
    expect(app.selection.focus).toBe(2);
    await user.keyboard('{ArrowLeft}{ArrowLeft}');
    await waitFor(() => expect(app.clipView.clip?.id).toBe(1));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.getByRole('listbox')).toBeInTheDocument());
    expect(app.view).toBe('library');
  });

  it('focuses search with "/" and filters the grid', async () => {
    const { client, user } = await setup(1000);
    await user.keyboard('/');
    const search = screen.getByRole('searchbox', { name: 'Search' });
    expect(search).toHaveFocus();
    await user.keyboard('bird{Enter}');
    await waitFor(() => expect(screen.getByTestId('clip-count')).toHaveTextContent('200 matching clips'));
    expect(client.callsOf('listClips').at(-1)).toMatchObject({ query: 'bird', offset: 0 });
    // Keys typed in the search box are text, not shortcuts.
    expect(selectedIndices()).toEqual([]);
    await user.keyboard('{Escape}');
    expect(search).not.toHaveFocus();
  });

  it('adds a tag to a Ctrl-selection and removes it again from a chip', async () => {
    const { client, user, container } = await setup(1000);
    const tile = (i: number) => container.querySelector<HTMLElement>(`[data-index="${i}"]`)!;
    await fireEvent.click(tile(0));
    await fireEvent.click(tile(3), { ctrlKey: true });
    const bar = screen.getByRole('region', { name: 'Selection' });
    expect(bar).toHaveTextContent('2 clips selected');
    await user.type(within(bar).getByRole('textbox', { name: 'Add tag to selection' }), 'keeper{Enter}');
    expect(client.callsOf('tagClips')).toEqual([{ clipIds: [1, 4], names: ['keeper'] }]);
    await waitFor(() => expect(within(tile(3)).getByText('keeper')).toBeInTheDocument());
    const chip = within(bar).getByRole('button', { name: /^keeper/ });
    expect(chip).toHaveTextContent('keeper you 2/2');

    // Delete on the focused chip removes it from both.
    chip.focus();
    await user.keyboard('{Delete}');
    expect(client.callsOf('untagClips')).toEqual([{ clipIds: [1, 4], names: ['keeper'], kind: 'custom' }]);
    await waitFor(() => expect(within(tile(3)).queryByText('keeper')).toBeNull());
  });

  it('edits the open clip: add, rename with F2, remove with Delete', async () => {
    const { client, app, user } = await setup(50);
    await user.keyboard('{ArrowRight}{Enter}');
    await waitFor(() => expect(app.clipView.clip?.id).toBe(1));
    const panel = screen.getByRole('complementary', { name: 'Tags of this clip' });
    await user.type(within(panel).getByRole('textbox', { name: 'Add tag' }), 'b-roll{Enter}');
    await waitFor(() => expect(within(panel).getByText('b-roll')).toBeInTheDocument());
    expect(within(panel).getByText('you')).toBeInTheDocument();

    within(panel).getByRole('button', { name: /^b-roll/ }).focus();
    await user.keyboard('{F2}');
    const rename = within(panel).getByRole('textbox', { name: 'Rename tag b-roll' });
    await user.clear(rename);
    await user.type(rename, 'cutaway{Enter}');
    expect(client.callsOf('renameTag')).toEqual([{ clipIds: [1], from: 'b-roll', to: 'cutaway', kind: 'custom' }]);
    await waitFor(() => expect(within(panel).getByText('cutaway')).toBeInTheDocument());

    within(panel).getByRole('button', { name: /^dog/ }).focus();
    expect(app.clipView.focusedTag).toBe('object:dog');
    await user.keyboard('{Delete}');
    expect(client.callsOf('untagClips')).toEqual([{ clipIds: [1], names: ['dog'], kind: 'object' }]);
    await waitFor(() => expect(within(panel).queryByText('dog')).toBeNull());
    // The timeline has a lane per tag of the clip.
    expect(document.querySelectorAll('.lane').length).toBe(2);
  });

  it('refreshes when the library changes and opens the queue on a failure', async () => {
    const { client, app } = await setup(10);
    client.count = 20;
    client.emit('libraryChanged', { reason: 'ingest', mediaIds: [2], clipIds: [] });
    await waitFor(() => expect(screen.getByTestId('clip-count')).toHaveTextContent('20 clips'));
    client.emit('jobEnd', { jobId: 5, path: '/lib/media/notes.mp4', status: 'error', error: 'not a video' });
    await settle();
    expect(app.queueOpen).toBe(true);
    const queue = screen.getByRole('complementary', { name: 'Queue' });
    expect(within(queue).getByText('not a video')).toBeInTheDocument();
  });
});
