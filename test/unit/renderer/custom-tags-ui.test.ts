// Custom tags through the whole UI on the fake backend: teach from a selection, follow and cancel
// the training, see the tag spread with its confidence and quality, drag the threshold, review
// (yes / no, also by keyboard), retrain, and "more like this" in the clip view.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract.js';
import type { TagModelInfo } from '../../../shared/types.js';
import App from '../../../renderer/src/app.svelte';
import { AppState } from '../../../renderer/src/stores/app.svelte.js';
import { FakeClient, fakeScore, settle } from './fake-client.js';

async function setup(count = 40) {
  const client = new FakeClient(count);
  const app = new AppState(client, { library: { pageSize: 100, searchDelayMs: 10 }, refreshDelayMs: 10 });
  const utils = render(App, { props: { app, gridFallback: { width: 1214, height: 2000 } } });
  await waitFor(() => expect(screen.getAllByRole('option').length).toBeGreaterThan(0));
  await settle();
  return { client, app, ...utils, user: userEvent.setup() };
}

const tile = (container: HTMLElement, id: number) => container.querySelector<HTMLElement>(`[role=option][data-clip-id="${id}"]`)!;

async function select(container: HTMLElement, ids: number[]) {
  await fireEvent.click(tile(container, ids[0]!));
  for (const id of ids.slice(1)) await fireEvent.click(tile(container, id), { ctrlKey: true });
}

async function teach(user: ReturnType<typeof userEvent.setup>, name: string) {
  const bar = screen.getByRole('region', { name: 'Selection' });
  await user.click(within(bar).getByRole('button', { name: 'Teach a tag…' }));
  await user.type(within(bar).getByRole('combobox', { name: 'Tag to teach' }), name);
  await user.click(within(bar).getByRole('button', { name: 'Teach this tag' }));
}

const panel = () => screen.getByRole('region', { name: 'Taught tags' });
const card = (name: string) => panel().querySelector<HTMLElement>(`li[data-tag="${name}"]`)!;

describe('Custom tags in the UI', () => {
  it('teaches a tag from a selection, shows its progress and cancels it', async () => {
    const { client, container, user } = await setup();
    let finish!: (info: TagModelInfo | Error) => void;
    client.handlers.trainTag = (r) =>
      new Promise((resolve, reject) => {
        finish = (x) => (x instanceof Error ? reject(x) : resolve(x));
        void r;
      });
    client.handlers.cancelTraining = () => {
      finish(new ContractError('cancelled', 'training "diver" was cancelled; the library is as it was'));
      return { cancelled: true };
    };
    await select(container, [1, 2, 3, 4, 5]);
    // The teach row opens on demand (the bar must not grow on every click), with focus in it.
    const selection = screen.getByRole('region', { name: 'Selection' });
    expect(within(selection).queryByRole('combobox', { name: 'Tag to teach' })).toBeNull();
    await user.click(within(selection).getByRole('button', { name: 'Teach a tag…' }));
    expect(within(selection).getByRole('combobox', { name: 'Tag to teach' })).toHaveFocus();
    await user.click(within(selection).getByRole('button', { name: 'Teach a tag…' }));
    await teach(user, 'diver');
    expect(client.callsOf('tagClips')).toEqual([{ clipIds: [1, 2, 3, 4, 5], names: ['diver'], kind: 'custom' }]);
    expect(client.callsOf('trainTag')).toEqual([{ name: 'diver' }]);
    // The examples show as the user's at once.
    await waitFor(() => expect(within(tile(container, 3)).getByText('diver')).toBeInTheDocument());

    const training = await screen.findByRole('region', { name: 'Training' });
    const bar = within(training).getByRole('progressbar', { name: 'Training diver' });
    expect(bar).toHaveAttribute('aria-valuenow', '0');
    client.emit('trainProgress', { name: 'diver', phase: 'cross-validate', fraction: 0.37 });
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '37'));
    expect(within(training).getByTestId('train-phase')).toHaveTextContent('Cross-validating');
    expect(screen.getByText('Teaching “diver” 37%')).toBeInTheDocument();
    // Teaching again waits for this one.
    expect(screen.getByRole('button', { name: 'Teach this tag' })).toBeDisabled();

    await user.click(within(training).getByRole('button', { name: 'Cancel' }));
    expect(client.callsOf('cancelTraining')).toEqual([{}]);
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Training' })).toBeNull());
    expect(screen.getByRole('status')).toHaveTextContent('Training “diver” was cancelled; nothing changed.');
    expect(screen.queryByRole('region', { name: 'Taught tags' })).toBeNull();
  });

  it('says clearly when there are too few examples', async () => {
    const { container, user } = await setup();
    await select(container, [1, 2, 3]);
    const bar = screen.getByRole('region', { name: 'Selection' });
    await user.click(within(bar).getByRole('button', { name: 'Teach a tag…' }));
    await user.type(within(bar).getByRole('combobox', { name: 'Tag to teach' }), 'diver');
    expect(within(bar).getByText('Teaching needs 5 or more examples')).toBeInTheDocument();
    await user.click(within(bar).getByRole('button', { name: 'Teach this tag' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not teach “diver”: "diver" has 3 example clip(s); tag at least 5 clips with it to teach it');
    await user.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('spreads the tag with confidences, shows its quality, previews and commits the threshold', async () => {
    const { client, container, user } = await setup();
    await select(container, [1, 2, 3, 4, 5]);
    await teach(user, 'diver');
    await waitFor(() => expect(panel()).toBeInTheDocument());
    expect(within(card('diver')).getByTestId('quality')).toHaveTextContent('P 0.75 · R 0.75 · 4-fold CV on 8 examples');
    const tagged = client.models.get('diver')!.tagged;
    expect(within(card('diver')).getByTestId('tagged')).toHaveTextContent(`${tagged} clips`);
    expect(screen.getByRole('status')).toHaveTextContent(`Taught “diver”: ${tagged} clips tagged.`);
    // Clip 8 scores 0.96: the grid shows the learned tag with the model's confidence.
    await waitFor(() => expect(within(tile(container, 8)).getByTitle('diver 96%')).toBeInTheDocument());
    expect(within(tile(container, 6)).queryByText('diver')).toBeNull();

    const slider = within(card('diver')).getByRole('slider', { name: 'Threshold for diver' });
    await fireEvent.input(slider, { target: { value: '0.4' } });
    expect(within(card('diver')).getByTestId('quality')).toHaveTextContent('P 0.80 · R 1.00');
    expect(slider).toHaveAttribute('aria-valuetext', '0.40: precision 0.80, recall 1.00');
    expect(client.callsOf('setTagThreshold')).toEqual([]);
    await fireEvent.change(slider);
    expect(client.callsOf('setTagThreshold')).toEqual([{ name: 'diver', threshold: 0.4 }]);
    await waitFor(() => expect(within(card('diver')).getByTestId('tagged')).toHaveTextContent(`${client.models.get('diver')!.tagged} clips`));
    expect(client.models.get('diver')!.tagged).toBeGreaterThan(tagged);

    // "Best F1" puts the suggested threshold back in one step.
    await user.click(within(card('diver')).getByRole('button', { name: 'Best F1 at 0.45' }));
    expect(client.callsOf('setTagThreshold').at(-1)).toEqual({ name: 'diver', threshold: 0.45 });
  });

  it('marks a selection "not this"', async () => {
    const { client, container, user } = await setup();
    await select(container, [8, 10]);
    const bar = screen.getByRole('region', { name: 'Selection' });
    await user.click(within(bar).getByRole('button', { name: 'Teach a tag…' }));
    await user.type(within(bar).getByRole('combobox', { name: 'Tag to teach' }), 'diver');
    await user.click(within(bar).getByRole('button', { name: 'Not this' }));
    expect(client.callsOf('untagClips')).toEqual([{ clipIds: [8, 10], names: ['diver'], kind: 'custom' }]);
    expect(client.callsOf('trainTag')).toEqual([]);
    expect(await screen.findByRole('status')).toHaveTextContent('2 clips marked “not diver”');
  });

  it('reviews the most uncertain clips, rejects one, and retrains without bringing it back', async () => {
    const { client, app, container, user } = await setup();
    await select(container, [1, 2, 3, 4, 5]);
    await teach(user, 'diver');
    await waitFor(() => expect(panel()).toBeInTheDocument());
    await user.click(within(card('diver')).getByRole('button', { name: 'Review diver' }));
    const view = await screen.findByRole('region', { name: 'Review diver' });
    expect(within(view).getByTestId('review-quality')).toHaveTextContent('P 0.75 · R 0.75 · 4-fold CV on 8 examples · threshold 0.50');
    const cards = () => within(view).getAllByRole('listitem');
    await waitFor(() => expect(cards().length).toBe(24));
    const ids = () => cards().map((c) => Number(c.dataset.clipId));
    const first = ids();
    expect(Math.abs(fakeScore(first[0]!) - 0.5)).toBeLessThanOrEqual(Math.abs(fakeScore(first[23]!) - 0.5));
    expect(cards()[0]!.querySelector('img')).toHaveAttribute('src', `/media/thumb/${first[0]}`);
    expect(within(cards()[0]!).getByTestId('confidence')).toHaveTextContent(`${Math.round(fakeScore(first[0]!) * 100)}%`);
    const retrain = within(view).getByRole('button', { name: /^Retrain with/ });
    expect(retrain).toHaveTextContent('Retrain with 0 new answers');
    expect(retrain).toBeDisabled();

    // Reject the most confident one the model tagged.
    await user.click(within(view).getByRole('radio', { name: 'Most confident' }));
    const top = Array.from({ length: 35 }, (_, i) => i + 6).sort((a, b) => fakeScore(b) - fakeScore(a))[0]!;
    await waitFor(() => expect(ids()[0]).toBe(top));
    expect(client.clip(top - 1).tags).toContainEqual(expect.objectContaining({ name: 'diver', source: 'model' }));
    const name = `video-${Math.floor((top - 1) / 10) + 1}.mp4`;
    await user.click(within(cards()[0]!).getByRole('button', { name: `No, ${name} is not diver` }));
    expect(client.callsOf('untagClips')).toEqual([{ clipIds: [top], names: ['diver'], kind: 'custom' }]);
    await waitFor(() => expect(ids()).not.toContain(top));
    // Y answers the first one from the keyboard.
    const next = ids()[0]!;
    await user.keyboard('y');
    await waitFor(() => expect(ids()).not.toContain(next));
    expect(client.callsOf('tagClips').at(-1)).toEqual({ clipIds: [next], names: ['diver'], kind: 'custom' });
    expect(retrain).toHaveTextContent('Retrain with 2 new answers');

    await user.click(retrain);
    await waitFor(() => expect(client.models.get('diver')!.version).toBe(2));
    await waitFor(() => expect(retrain).toHaveTextContent('Retrain with 0 new answers'));
    expect(client.callsOf('reviewTag').length).toBeGreaterThanOrEqual(3);
    expect(ids()).not.toContain(top);
    // The user's no stands after the retrain.
    expect(client.clip(top - 1).tags.some((t) => t.name === 'diver')).toBe(false);
    expect(within(card('diver')).getByTestId('quality').getAttribute('title')).toMatch(/^6 tagged by you, 1 marked “not this”/);

    // Opening a clip from the review and going back returns to it.
    await user.click(within(cards()[0]!).getByRole('button', { name: /^Open / }));
    await waitFor(() => expect(app.view).toBe('clip'));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.getByRole('region', { name: 'Review diver' })).toBeInTheDocument());
    await user.keyboard('{Escape}');
    await waitFor(() => expect(app.view).toBe('library'));
  });

  it('shows more like this in the clip view, with similarity, and opens one', async () => {
    const { client, app, user } = await setup();
    await app.openClip(12);
    const strip = await screen.findByRole('region', { name: 'More like this' });
    await waitFor(() => expect(within(strip).getAllByRole('button').length).toBe(12));
    const like = within(strip).getAllByRole('button')[0]!;
    expect(like).toHaveAccessibleName(/^Open video-2\.mp4 at 0:\d\d\.\d, 98% similar$/);
    expect(like.querySelector('img')).toHaveAttribute('src', `/media/thumb/${like.dataset.clipId}`);
    await user.click(like);
    await waitFor(() => expect(app.clipView.clip?.id).toBe(Number(like.dataset.clipId)));
    expect(client.callsOf('similarClips').at(-1)).toEqual({ clipId: Number(like.dataset.clipId), limit: 12 });
  });

  it("shows a custom tag's confidence on the open clip's chip", async () => {
    const { client, app } = await setup();
    client.handlers.tagClips!({ clipIds: [1, 2, 3, 4, 5], names: ['diver'], kind: 'custom' });
    client.train('diver');
    await app.openClip(8);
    const tags = await screen.findByRole('complementary', { name: 'Tags of this clip' });
    const chip = await within(tags).findByRole('button', { name: /^diver/ });
    expect(chip).toHaveTextContent('diver 96%');
    expect(chip).toHaveAttribute('title', expect.stringContaining('learned from your examples, 96% confident'));
  });
});
