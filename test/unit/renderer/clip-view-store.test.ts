import { describe, expect, it, vi } from 'vitest';
import { ClipViewStore } from '../../../renderer/src/stores/clip-view.svelte.js';
import { TagEditStore, parseTagNames } from '../../../renderer/src/stores/edits.svelte.js';
import { summarizeTags, tileTags } from '../../../renderer/src/lib/tags.js';
import { FakeClient, generatedClip } from './fake-client.js';

describe('ClipViewStore', () => {
  it('opens a clip at its start, with its video and timeline', async () => {
    const client = new FakeClient(30);
    const view = new ClipViewStore(client);
    await view.open(14);
    expect(view.clip?.id).toBe(14);
    expect(view.detail?.timeline.map((c) => c.id)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(view.position).toBe(3);
    expect(view.seekRequest?.time).toBe(generatedClip(13).start);
    expect(view.currentTime).toBe(6);
    expect(view.duration).toBe(20);
    expect(view.detail?.occurrences.find((o) => o.name === 'neutral')?.spans).toHaveLength(10);

    const first = view.seekRequest!.n;
    view.seek(6);
    expect(view.seekRequest!.n).toBe(first + 1);
    expect(view.paused).toBe(true);
    view.togglePlay();
    expect(view.paused).toBe(false);
    view.close();
    expect(view.detail).toBeNull();
    expect(view.paused).toBe(true);
  });

  it('drops an answer for a clip that is no longer open, and reports errors', async () => {
    const client = new FakeClient(30);
    const view = new ClipViewStore(client);
    const first = view.open(1);
    const second = view.open(2);
    await Promise.all([first, second]);
    expect(view.clip?.id).toBe(2);
    client.handlers.clipDetail = () => {
      throw new Error('no clip with id 2');
    };
    await view.reload();
    expect(view.error).toBe('no clip with id 2');
  });
});

describe('ClipViewStore: more like this', () => {
  it('loads the most similar clips with the clip, and drops them for a clip no longer open', async () => {
    const client = new FakeClient(30);
    const view = new ClipViewStore(client);
    await view.open(14);
    await vi.waitFor(() => expect(view.similar).not.toBeNull());
    expect(client.callsOf('similarClips')).toEqual([{ clipId: 14, limit: 12 }]);
    expect(view.similar!.map((s) => s.clip.id).slice(0, 2).sort()).toEqual([13, 15]);
    expect(view.similar!.some((s) => s.clip.id === 14)).toBe(false);

    // Slow answer for 3, then 4 opens: 3's list must not show under 4.
    let release!: () => void;
    const real = client.handlers.similarClips!;
    client.handlers.similarClips = (r) => (r.clipId === 3 ? new Promise((resolve) => (release = () => resolve(real(r)))) : real(r));
    const a = view.open(3);
    expect(view.similar).toBeNull();
    await view.open(4);
    await a;
    await vi.waitFor(() => expect(view.similar?.[0]?.clip.id).toBe(3));
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(view.similar!.some((s) => s.clip.id === 4)).toBe(false);

    client.handlers.similarClips = () => {
      throw new Error('no embedding for clip 5 yet');
    };
    await view.open(5);
    await vi.waitFor(() => expect(view.similar).toEqual([]));
    expect(view.similarError).toBe('no embedding for clip 5 yet');
    view.close();
    expect(view.similar).toBeNull();
  });
});

describe('TagEditStore', () => {
  it("adds, removes and renames the user's tags and hands back the edited clips", async () => {
    const client = new FakeClient(30);
    const edited = vi.fn();
    const edits = new TagEditStore(client, edited);
    expect(await edits.add([1, 2], ' keeper, b-roll ,keeper')).toBe(true);
    expect(client.callsOf('tagClips')).toEqual([{ clipIds: [1, 2], names: ['keeper', 'b-roll'] }]);
    expect(edited.mock.calls[0]![0].map((c: { tags: { name: string; source: string }[] }) => c.tags.filter((t) => t.source === 'user').map((t) => t.name))).toEqual([
      ['keeper', 'b-roll'],
      ['keeper', 'b-roll'],
    ]);
    expect(await edits.remove([1], 'dog', 'object')).toBe(true);
    expect(client.callsOf('untagClips')).toEqual([{ clipIds: [1], names: ['dog'], kind: 'object' }]);
    expect(await edits.rename([1, 2], 'keeper', 'hero', 'custom')).toBe(true);
    expect(client.callsOf('renameTag')).toEqual([{ clipIds: [1, 2], from: 'keeper', to: 'hero', kind: 'custom' }]);
    expect(await edits.add([1], '  ')).toBe(false);
    expect(await edits.rename([1], 'hero', 'hero')).toBe(false);

    client.handlers.tagClips = () => {
      throw new Error('tag name too long');
    };
    expect(await edits.add([1], 'x')).toBe(false);
    expect(edits.error).toBe('tag name too long');
    expect(edits.busy).toBe(false);
  });

  it('parses comma-separated names', () => {
    expect(parseTagNames('a, b,,a , c')).toEqual(['a', 'b', 'c']);
    expect(parseTagNames('x'.repeat(300))[0]).toHaveLength(200);
  });
});

describe('tag summaries', () => {
  it('counts tags over a selection and picks the few a tile shows', () => {
    const a = generatedClip(0);
    const b = { ...generatedClip(1), tags: [...generatedClip(1).tags, { name: 'keeper', kind: 'custom' as const, confidence: 1, source: 'user' as const }] };
    const s = summarizeTags([a, b]);
    expect(s[0]).toMatchObject({ name: 'neutral', kind: 'rating', clips: 2 });
    expect(s.find((t) => t.name === 'keeper')).toMatchObject({ clips: 1, user: true });
    expect(tileTags(b.tags, 2).map((t) => t.name)).toEqual(['keeper', 'neutral']);
    // A learned custom tag comes before more confident model tags.
    const learned = { ...b, tags: [...b.tags, { name: 'diver', kind: 'custom' as const, confidence: 0.55, source: 'model' as const }] };
    expect(tileTags(learned.tags, 2).map((t) => t.name)).toEqual(['keeper', 'diver']);
  });
});
