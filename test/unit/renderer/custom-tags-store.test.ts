import { describe, expect, it, vi } from 'vitest';
import { ContractError, type TrainProgressEvent } from '../../../shared/contract.js';
import type { TagModelInfo } from '../../../shared/types.js';
import { suggestNames } from '../../../renderer/src/lib/tags.js';
import { CustomTagsStore, qualityLine } from '../../../renderer/src/stores/custom-tags.svelte.js';
import { FAKE_HELD_OUT, FakeClient, fakeScore } from './fake-client.js';

/** A trainTag the test finishes by hand, as a long training would. */
function gatedTraining(client: FakeClient) {
  let finish!: (how: 'done' | 'cancelled' | Error) => void;
  client.handlers.trainTag = (r) =>
    new Promise<TagModelInfo>((resolve, reject) => {
      finish = (how) => {
        if (how === 'done') resolve(client.train(r.name));
        else if (how === 'cancelled') reject(new ContractError('cancelled', `training "${r.name}" was cancelled; the library is as it was`));
        else reject(how);
      };
    });
  return { finish: (how: 'done' | 'cancelled' | Error) => finish(how) };
}

const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

describe('CustomTagsStore', () => {
  it("teaches: tags the clips as the user's (kind custom), trains, and keeps the model it gets", async () => {
    const client = new FakeClient(40);
    const edited = vi.fn();
    const tags = new CustomTagsStore(client, { onEdited: edited });
    expect(await tags.teach('  diver ', ids(5))).toBe(true);
    expect(client.callsOf('tagClips')).toEqual([{ clipIds: [1, 2, 3, 4, 5], names: ['diver'], kind: 'custom' }]);
    expect(client.callsOf('trainTag')).toEqual([{ name: 'diver' }]);
    // The grid gets the edited clips before the training ends.
    expect(edited.mock.calls[0]![0].every((c: { tags: { name: string; source: string }[] }) => c.tags.some((t) => t.name === 'diver' && t.source === 'user'))).toBe(true);
    const m = tags.model('diver')!;
    expect(m.examples.positives).toBe(5);
    expect(m.tagged).toBe(ids(35, 6).filter((id) => fakeScore(id) >= 0.5).length);
    expect(tags.training).toBeNull();
    expect(tags.error).toBeNull();
    expect(tags.notice).toBe(`Taught “diver”: ${m.tagged} clips tagged.`);
    // The teaching examples were used: nothing new to retrain with.
    expect(tags.answers.get('diver')).toBeUndefined();
    expect(tags.allNames).toContain('diver');
  });

  it('says clearly why a tag with too few examples cannot be taught, and keeps the examples', async () => {
    const client = new FakeClient(40);
    const tags = new CustomTagsStore(client);
    expect(await tags.teach('diver', ids(3))).toBe(false);
    expect(tags.error).toBe('Could not teach “diver”: "diver" has 3 example clip(s); tag at least 5 clips with it to teach it');
    expect(tags.training).toBeNull();
    expect(tags.model('diver')).toBeUndefined();
    // The three are tagged all the same, and count as answers for the next try.
    expect(client.callsOf('tagClips')).toHaveLength(1);
    expect(tags.answers.get('diver')).toBe(3);
    expect(await tags.teach('diver', [4, 5])).toBe(true);
    expect(tags.error).toBeNull();
  });

  it('follows progress events, cancels, and says the library is unchanged', async () => {
    const client = new FakeClient(40);
    const gate = gatedTraining(client);
    const tags = new CustomTagsStore(client);
    const done = tags.teach('diver', ids(5));
    await vi.waitFor(() => expect(client.callsOf('trainTag')).toHaveLength(1));
    expect(tags.training).toMatchObject({ name: 'diver', phase: 'examples', fraction: 0 });
    tags.onProgress({ name: 'diver', phase: 'cross-validate', fraction: 0.42 });
    expect(tags.training).toMatchObject({ phase: 'cross-validate', fraction: 0.42, cancelling: false });
    // Another tag's events cannot be ours (one training at a time).
    tags.onProgress({ name: 'city', phase: 'fit', fraction: 0.9 });
    expect(tags.training?.name).toBe('diver');
    // A second training waits for this one.
    expect(await tags.train('city')).toBe(false);
    expect(tags.error).toMatch(/Already training “diver”/);
    expect(client.callsOf('trainTag')).toHaveLength(1);

    client.handlers.cancelTraining = () => ({ cancelled: true });
    await tags.cancel();
    expect(client.callsOf('cancelTraining')).toEqual([{}]);
    expect(tags.training?.cancelling).toBe(true);
    // Progress still arriving keeps the "cancelling" state.
    tags.onProgress({ name: 'diver', phase: 'fit', fraction: 0.5 });
    expect(tags.training?.cancelling).toBe(true);
    gate.finish('cancelled');
    expect(await done).toBe(false);
    expect(tags.training).toBeNull();
    expect(tags.error).toBeNull();
    expect(tags.notice).toBe('Training “diver” was cancelled; nothing changed.');
    expect(tags.model('diver')).toBeUndefined();
  });

  it("ignores its training's straggling events after the end, but shows a training another window started", async () => {
    const client = new FakeClient(40);
    let now = 1000;
    const tags = new CustomTagsStore(client, { now: () => now });
    const late: TrainProgressEvent = { name: 'diver', phase: 'store', fraction: 1 };
    await tags.teach('diver', ids(5));
    tags.onProgress(late);
    expect(tags.training).toBeNull();

    now += 60_000;
    tags.onProgress({ name: 'diver', phase: 'fit', fraction: 0.3 });
    expect(tags.training).toMatchObject({ name: 'diver', phase: 'fit', fraction: 0.3 });
    // Its end arrives as libraryChanged 'train'.
    tags.onTrained();
    expect(tags.training).toBeNull();
    // A stranger's training that fails or is cancelled ends with trainEnd alone; its stragglers stay away.
    now += 60_000;
    tags.onProgress({ name: 'goal', phase: 'fit', fraction: 0.5 });
    tags.onTrainEnd({ name: 'goal', status: 'cancelled', error: 'cancelled' });
    expect(tags.training).toBeNull();
    tags.onProgress({ name: 'goal', phase: 'store', fraction: 1 });
    expect(tags.training).toBeNull();
  });

  it('shows a training that was already running when the window opened, unless it ended meanwhile', async () => {
    const client = new FakeClient(40);
    let now = 1000;
    client.handlers.trainingStatus = () => ({ name: 'goal', phase: 'fit', fraction: 0.6 });
    const tags = new CustomTagsStore(client, { now: () => now });
    await tags.load();
    expect(tags.training).toEqual({ name: 'goal', phase: 'fit', fraction: 0.6, cancelling: false });
    expect(tags.busy).toBe(true);
    tags.onTrainEnd({ name: 'goal', status: 'ok' });
    expect(tags.training).toBeNull();

    // The end overtakes the status answer: the bar must not come back.
    now += 60_000;
    let answer!: (v: TrainProgressEvent | null) => void;
    client.handlers.trainingStatus = () => new Promise<TrainProgressEvent | null>((r) => (answer = r));
    const asked = client.callsOf('trainingStatus').length;
    const reload = tags.load();
    await vi.waitFor(() => expect(client.callsOf('trainingStatus').length).toBe(asked + 1));
    tags.onTrainEnd({ name: 'goal', status: 'error', error: 'out of memory' });
    answer({ name: 'goal', phase: 'store', fraction: 0.95 });
    await reload;
    expect(tags.training).toBeNull();

    // Nothing running: no bar.
    client.handlers.trainingStatus = () => null;
    await tags.load();
    expect(tags.training).toBeNull();
  });

  it("forgets a tag's model: it leaves the list and stays gone after a reload", async () => {
    const client = new FakeClient(40);
    const tags = new CustomTagsStore(client);
    await tags.teach('diver', ids(5));
    expect(tags.model('diver')).toBeDefined();
    expect(await tags.forget('diver')).toBe(true);
    expect(tags.model('diver')).toBeUndefined();
    expect(tags.notice).toMatch(/Forgot the model of “diver”/);
    await tags.load();
    expect(tags.models).toEqual([]);
  });

  it('previews the quality at a dragged threshold without a round trip, then commits it', async () => {
    const client = new FakeClient(40);
    const tags = new CustomTagsStore(client);
    await tags.teach('diver', ids(5));
    expect(tags.quality('diver')).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75, folds: 4 });

    tags.preview('diver', 0.4);
    expect(tags.threshold('diver')).toBe(0.4);
    // At 0.4 the held-out positive at 0.45 is found, and the negative at 0.6 still slips in.
    expect(tags.quality('diver')).toMatchObject({ precision: 0.8, recall: 1 });
    tags.preview('diver', 0.95);
    expect(tags.quality('diver')).toMatchObject({ precision: 0, recall: 0 });
    tags.preview('diver', 0.65);
    expect(tags.quality('diver')).toMatchObject({ precision: 1, recall: 0.75 });
    expect(client.callsOf('setTagThreshold')).toEqual([]);
    expect(tags.model('diver')!.threshold).toBe(0.5);

    expect(await tags.commit('diver')).toBe(true);
    expect(client.callsOf('setTagThreshold')).toEqual([{ name: 'diver', threshold: 0.65 }]);
    expect(tags.drafts.has('diver')).toBe(false);
    expect(tags.model('diver')).toMatchObject({ threshold: 0.65, tagged: ids(35, 6).filter((id) => fakeScore(id) >= 0.65).length });
    expect(tags.quality('diver')).toEqual(tags.model('diver')!.quality);

    // A refused threshold falls back to the model's.
    client.handlers.setTagThreshold = () => {
      throw new Error('threshold 0.3 is outside 0..1');
    };
    tags.preview('diver', 0.3);
    expect(await tags.commit('diver')).toBe(false);
    expect(tags.threshold('diver')).toBe(0.65);
    expect(tags.error).toMatch(/Could not move the threshold of “diver”/);
    // Releasing without moving costs nothing.
    tags.preview('diver', 0.65);
    expect(await tags.commit('diver')).toBe(true);
    expect(client.callsOf('setTagThreshold')).toHaveLength(2);
  });

  it('marks clips "not this", counts answers since training and retrains with them', async () => {
    const client = new FakeClient(40);
    const tags = new CustomTagsStore(client);
    await tags.teach('diver', ids(5));
    expect(await tags.reject('diver', [8, 10])).toBe(true);
    expect(client.callsOf('untagClips')).toEqual([{ clipIds: [8, 10], names: ['diver'], kind: 'custom' }]);
    expect(tags.notice).toMatch(/2 clips marked “not diver”/);
    expect(await tags.answer('diver', 7, true)).toBeNull();
    expect(tags.answers.get('diver')).toBe(3);

    expect(await tags.train('diver')).toBe(true);
    expect(tags.model('diver')).toMatchObject({ version: 2, examples: { positives: 6, negatives: 2 } });
    expect(tags.notice).toMatch(/^Retrained “diver”/);
    expect(tags.answers.get('diver')).toBeUndefined();
    // A "no" is never tagged again by the model.
    expect(client.clip(7).tags.filter((t) => t.name === 'diver')).toEqual([]);
  });

  it('loads the trained tags and every custom tag name', async () => {
    const client = new FakeClient(40);
    client.handlers.tagClips!({ clipIds: ids(5), names: ['diver'], kind: 'custom' });
    client.train('diver');
    client.handlers.listTags = () => [
      { name: 'b-roll', kind: 'custom', clips: 2 },
      { name: 'diver', kind: 'custom', clips: 9 },
    ];
    const tags = new CustomTagsStore(client);
    await tags.load();
    expect(client.callsOf('listTags')).toEqual([{ kind: 'custom' }]);
    expect(tags.models.map((m) => m.name)).toEqual(['diver']);
    expect(tags.allNames).toEqual(['diver', 'b-roll']);
  });
});

describe('custom tag helpers', () => {
  it('writes the quality line', () => {
    expect(qualityLine({ precision: 0.95, recall: 0.875, f1: 0.9, folds: 5 }, 12)).toBe('P 0.95 · R 0.88 · 5-fold CV on 12 examples');
    expect(qualityLine({ precision: 0, recall: 0, f1: 0, folds: 0 }, 5)).toBe('Not cross-validated: too few examples (5)');
    expect(FAKE_HELD_OUT).toHaveLength(8);
  });

  it('suggests names that start with the text first, never the text itself', () => {
    const names = ['diver', 'b-roll', 'deep dive', 'skydiver', 'dive'];
    expect(suggestNames(names, 'dive')).toEqual(['diver', 'deep dive', 'skydiver']);
    expect(suggestNames(names, '')).toEqual(names);
    expect(suggestNames(names, 'DI', 2)).toEqual(['diver', 'dive']);
  });
});
