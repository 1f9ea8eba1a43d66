import { describe, expect, it } from 'vitest';
import { CustomTagsStore } from '../../../renderer/src/stores/custom-tags.svelte.js';
import { TagReviewStore } from '../../../renderer/src/stores/review.svelte.js';
import { FakeClient, fakeScore } from './fake-client.js';

async function trained(count = 60, opts: { limit?: number; refillBelow?: number } = {}) {
  const client = new FakeClient(count);
  const tags = new CustomTagsStore(client);
  await tags.teach('diver', [1, 2, 3, 4, 5]);
  const review = new TagReviewStore(client, (name, id, yes) => tags.answer(name, id, yes), opts);
  return { client, tags, review };
}

const distance = (id: number) => Math.abs(fakeScore(id) - 0.5);

describe('TagReviewStore', () => {
  it('lists the clips nearest the threshold first, never the ones the user judged', async () => {
    const { client, review } = await trained();
    await review.open('diver');
    expect(client.callsOf('reviewTag')).toEqual([{ name: 'diver', order: 'uncertain', limit: 24 }]);
    const got = review.items.map((s) => s.clip.id);
    expect(got).toHaveLength(24);
    expect(got.some((id) => id <= 5)).toBe(false);
    for (let i = 1; i < got.length; i++) expect(distance(got[i]!)).toBeGreaterThanOrEqual(distance(got[i - 1]!));
    expect(review.items[0]!.score).toBe(fakeScore(got[0]!));

    await review.setOrder('confidence');
    expect(client.callsOf('reviewTag').at(-1)).toEqual({ name: 'diver', order: 'confidence', limit: 24 });
    expect(review.items[0]!.score).toBeGreaterThanOrEqual(review.items[1]!.score);
  });

  it('takes an answered clip off the list at once and records a yes or a no', async () => {
    const { client, tags, review } = await trained();
    await review.open('diver');
    const [a, b] = review.items.map((s) => s.clip.id);
    const yes = review.answer(a!, true);
    // Gone before the backend answers.
    expect(review.items.some((s) => s.clip.id === a)).toBe(false);
    expect(await yes).toBe(true);
    expect(await review.answer(b!, false)).toBe(true);
    expect(client.callsOf('tagClips').at(-1)).toEqual({ clipIds: [a], names: ['diver'], kind: 'custom' });
    expect(client.callsOf('untagClips')).toEqual([{ clipIds: [b], names: ['diver'], kind: 'custom' }]);
    expect(tags.answers.get('diver')).toBe(2);
    // A reload does not bring them back: the backend knows they are judged.
    await review.reload();
    expect(review.items.map((s) => s.clip.id)).not.toContain(a);
    expect(review.items.map((s) => s.clip.id)).not.toContain(b);
  });

  it('puts a clip back where it was when its answer could not be saved', async () => {
    const { client, review } = await trained();
    await review.open('diver');
    const before = review.items.map((s) => s.clip.id);
    client.handlers.untagClips = () => {
      throw new Error('the library is read-only');
    };
    expect(await review.answer(before[2]!, false)).toBe(false);
    expect(review.items.map((s) => s.clip.id)).toEqual(before);
    expect(review.error).toBe('Could not save your answer: the library is read-only');
  });

  it('refills when few are left, without the clips whose answers are still travelling', async () => {
    const { client, review } = await trained(60, { limit: 4, refillBelow: 3 });
    await review.open('diver');
    const first = review.items.map((s) => s.clip.id);
    expect(first).toHaveLength(4);
    // Hold the first answer; answer the second meanwhile, which triggers a refill.
    let release!: () => void;
    const real = client.handlers.tagClips!;
    client.handlers.tagClips = (r) => (r.clipIds[0] === first[0] ? new Promise((resolve) => (release = () => resolve(real(r)))) : real(r));
    const held = review.answer(first[0]!, true);
    expect(await review.answer(first[1]!, true)).toBe(true);
    expect(client.callsOf('reviewTag')).toHaveLength(2);
    const ids = review.items.map((s) => s.clip.id);
    expect(ids).not.toContain(first[0]);
    expect(ids).not.toContain(first[1]);
    expect(ids).toHaveLength(3);
    release();
    expect(await held).toBe(true);
  });

  it('shows why a tag cannot be reviewed, and forgets everything on close', async () => {
    const client = new FakeClient(20);
    const review = new TagReviewStore(client, async () => null);
    await review.open('nothing');
    expect(review.error).toBe('"nothing" has no trained model');
    expect(review.items).toEqual([]);
    review.close();
    expect(review.name).toBeNull();
    expect(review.error).toBeNull();
  });
});
