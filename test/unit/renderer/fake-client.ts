// An in-memory backend for the renderer tests: `n` generated clips (10 per video, made on
// demand, so 100 000 cost nothing until asked for), the contract's methods over them, events on
// demand, and a record of every call. Custom tags train instantly on a fixed score per clip
// (fakeScore) and follow the backend's rules: 5 examples or more, the user's rows always win.
import { vi } from 'vitest';
import { ContractError, type EventName, type EventPayload, type MediaRoute, type MethodName, type RequestOf, type ResponseOf, type Result } from '../../../shared/contract.js';
import { qualityAt } from '../../../shared/tag-quality.js';
import type { ClipRecord, ClipTag, MediaRecord, ScoredClip, TagKind, TagModelInfo } from '../../../shared/types.js';
import type { AddFileOptions, AddFileResult } from '../../../renderer/src/lib/transport.js';

const OBJECTS = ['dog', 'car', 'person', 'bird', 'boat'];

export function generatedClip(i: number): ClipRecord {
  const mediaId = Math.floor(i / 10) + 1;
  const start = (i % 10) * 2;
  const tags: ClipTag[] = [
    { name: OBJECTS[i % OBJECTS.length]!, kind: 'object', confidence: 0.6 + (i % 4) / 10, source: 'model' },
    { name: 'neutral', kind: 'rating', confidence: 0.9, source: 'model' },
  ];
  return {
    id: i + 1,
    mediaId,
    mediaPath: `/videos/video-${mediaId}.mp4`,
    start,
    end: start + 2,
    startFrame: start * 25,
    endFrame: (start + 2) * 25 - 1,
    startTransition: i % 10 === 0 ? null : 'cut',
    endTransition: i % 10 === 9 ? null : 'cut',
    tags,
    hasThumbnail: true,
  };
}

type Handler<M extends MethodName> = (request: RequestOf<M>) => ResponseOf<M> | Promise<ResponseOf<M>>;

/** What the fake's model for a custom tag says about clip `id` (spread over 0..1, fixed). */
export function fakeScore(id: number): number {
  return ((id * 37) % 100) / 100;
}

/** Held-out [score, label] pairs of the fake's cross-validation. */
export const FAKE_HELD_OUT: Array<[number, number]> = [
  [0.9, 1],
  [0.8, 1],
  [0.7, 1],
  [0.45, 1],
  [0.6, 0],
  [0.3, 0],
  [0.2, 0],
  [0.1, 0],
];

export class FakeClient {
  readonly transport = 'http' as const;
  readonly calls: { method: MethodName; request: unknown }[] = [];
  readonly handlers: { [M in MethodName]?: Handler<M> } = {};
  readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  /** Tags the user changed, by clip id (the generated ones stand for the rest). */
  readonly edited = new Map<number, ClipTag[]>();
  addFile = vi.fn(async (_file: File, _opts?: AddFileOptions): Promise<AddFileResult> => ({ ok: true, jobIds: [] }));
  /** Trained custom tags, by name. */
  readonly models = new Map<string, TagModelInfo>();
  /** The user's "not this", by clip id. */
  readonly rejected = new Map<number, Set<string>>();

  constructor(public count = 0) {
    this.handlers.listClips = (r) => {
      const limit = r.limit ?? 100;
      const offset = r.offset ?? 0;
      const filtered = r.query !== undefined || r.tag !== undefined || r.kind !== undefined || r.mediaId !== undefined;
      if (!filtered) {
        const clips: ClipRecord[] = [];
        for (let i = offset; i < Math.min(this.count, offset + limit); i++) clips.push(this.clip(i));
        return { clips, total: this.count, limit, offset };
      }
      const all: ClipRecord[] = [];
      for (let i = 0; i < this.count; i++) {
        const c = this.clip(i);
        const q = r.query?.toLowerCase();
        if (q && !c.tags.some((t) => t.name.toLowerCase().startsWith(q)) && !c.mediaPath.toLowerCase().includes(q)) continue;
        if (r.tag && !c.tags.some((t) => t.name === r.tag)) continue;
        if (r.kind && !c.tags.some((t) => t.kind === r.kind)) continue;
        if (r.mediaId && c.mediaId !== r.mediaId) continue;
        all.push(c);
      }
      return { clips: all.slice(offset, offset + limit), total: all.length, limit, offset };
    };
    this.handlers.listTags = () => [
      ...OBJECTS.map((name) => ({ name, kind: 'object' as const, clips: Math.ceil(this.count / OBJECTS.length) })),
      { name: 'neutral', kind: 'rating' as const, clips: this.count },
    ];
    this.handlers.listMedia = () => [];
    this.handlers.listJobs = () => [];
    this.handlers.appInfo = () => ({ name: 'Reeltag', version: '0.0.0', libraryDir: '/lib', transport: 'http', backend: null, platform: 'linux' });
    this.handlers.clipDetail = (r) => {
      const clip = this.clip(r.clipId - 1);
      const first = (clip.mediaId - 1) * 10;
      const timeline = Array.from({ length: 10 }, (_, k) => this.clip(first + k)).filter((c) => c.id <= this.count);
      const media: MediaRecord = {
        id: clip.mediaId,
        path: clip.mediaPath,
        fileName: clip.mediaPath.split('/').pop()!,
        contentHash: null,
        sizeBytes: 1000,
        status: 'ok',
        error: null,
        info: null,
        addedAt: 0,
      };
      const occurrences = clip.tags.map((t) => ({
        name: t.name,
        kind: t.kind,
        spans: timeline.flatMap((c) => {
          const hit = c.tags.find((x) => x.name === t.name && x.kind === t.kind);
          return hit ? [{ clipId: c.id, start: c.start, end: c.end, confidence: hit.confidence }] : [];
        }),
      }));
      return { clip, media, timeline, occurrences };
    };
    this.handlers.tagClips = (r) => {
      for (const id of r.clipIds) {
        for (const name of r.names) this.rejected.get(id)?.delete(name);
        const tags = this.ownTags(id).filter((t) => !r.names.includes(t.name));
        for (const name of r.names) tags.push({ name, kind: r.kind ?? 'custom', confidence: 1, source: 'user' });
        this.edited.set(id, tags);
      }
      return { clips: r.clipIds.map((id) => this.clip(id - 1)) };
    };
    this.handlers.untagClips = (r) => {
      for (const id of r.clipIds) {
        for (const name of r.names) this.rejected.set(id, new Set([...(this.rejected.get(id) ?? []), name]));
        this.edited.set(
          id,
          this.ownTags(id).filter((t) => !(r.names.includes(t.name) && (r.kind === undefined || t.kind === r.kind))),
        );
      }
      return { clips: r.clipIds.map((id) => this.clip(id - 1)) };
    };
    this.handlers.renameTag = (r) => {
      for (const id of r.clipIds) {
        const tags = this.ownTags(id);
        const from = tags.find((t) => t.name === r.from && (r.kind === undefined || t.kind === r.kind));
        if (!from) continue;
        this.edited.set(id, [...tags.filter((t) => t !== from), { name: r.to, kind: from.kind, confidence: 1, source: 'user' }]);
      }
      return { clips: r.clipIds.map((id) => this.clip(id - 1)) };
    };
    this.handlers.cancelJob = () => ({ cancelled: true });
    this.handlers.cancelAllJobs = () => ({ cancelled: 0 });

    this.handlers.similarClips = (r) => {
      if (r.clipId > this.count) throw new ContractError('not_found', `no clip with id ${r.clipId}`);
      const out: ScoredClip[] = [];
      for (let i = 0; i < this.count; i++) {
        if (i + 1 === r.clipId) continue;
        out.push({ clip: this.clip(i), score: 1 - Math.abs(i + 1 - r.clipId) / this.count });
      }
      return out.sort((a, b) => b.score - a.score).slice(0, r.limit ?? 24);
    };
    this.handlers.listTagModels = () => [...this.models.values()];
    // As the backend: a training or a new threshold may have tagged any clip.
    this.handlers.trainTag = (r) => {
      const info = this.train(r.name, r.threshold);
      queueMicrotask(() => this.emit('libraryChanged', { reason: 'train', mediaIds: [], clipIds: [] }));
      return info;
    };
    this.handlers.cancelTraining = () => ({ cancelled: false });
    this.handlers.trainingStatus = () => null;
    this.handlers.setTagThreshold = (r) => {
      const m = this.models.get(r.name);
      if (!m) throw new ContractError('not_found', `"${r.name}" has no trained model`);
      queueMicrotask(() => this.emit('libraryChanged', { reason: 'train', mediaIds: [], clipIds: [] }));
      return this.#setModel({ ...m, threshold: r.threshold, quality: qualityAt(m.heldOut, r.threshold, m.quality.folds) });
    };
    this.handlers.forgetTag = (r) => {
      const forgotten = this.models.delete(r.name);
      if (forgotten) queueMicrotask(() => this.emit('libraryChanged', { reason: 'train', mediaIds: [], clipIds: [] }));
      return { forgotten };
    };
    this.handlers.reviewTag = (r) => {
      const m = this.models.get(r.name);
      if (!m) throw new ContractError('not_found', `"${r.name}" has no trained model`);
      const out: ScoredClip[] = [];
      for (let i = 0; i < this.count; i++) if (!this.judged(i + 1, r.name)) out.push({ clip: this.clip(i), score: fakeScore(i + 1) });
      const order = r.order ?? 'uncertain';
      out.sort((a, b) => (order === 'uncertain' ? Math.abs(a.score - m.threshold) - Math.abs(b.score - m.threshold) : b.score - a.score) || a.clip.id - b.clip.id);
      return out.slice(0, r.limit ?? 24);
    };
  }

  clip(index: number): ClipRecord {
    const c = generatedClip(index);
    const tags = this.edited.get(c.id) ?? c.tags;
    const learned: ClipTag[] = [];
    for (const m of this.models.values()) {
      const score = fakeScore(c.id);
      if (score >= m.threshold && !this.judged(c.id, m.name)) learned.push({ name: m.name, kind: 'custom', confidence: score, source: 'model' });
    }
    return tags === c.tags && learned.length === 0 ? c : { ...c, tags: [...tags, ...learned] };
  }

  /** The clip's tags without the ones learned models add. */
  ownTags(id: number): ClipTag[] {
    return this.edited.get(id) ?? generatedClip(id - 1).tags;
  }

  /** The user said yes or no to `name` on the clip. */
  judged(id: number, name: string): boolean {
    return this.rejected.get(id)?.has(name) === true || (this.edited.get(id)?.some((t) => t.name === name && t.source === 'user') ?? false);
  }

  /** Trains `name` the way the backend would, minus the model: progress events, then the info. */
  train(name: string, threshold?: number): TagModelInfo {
    const positives = [...this.edited].filter(([, tags]) => tags.some((t) => t.name === name && t.kind === 'custom' && t.source === 'user')).length;
    if (positives < 5) throw new ContractError('conflict', `"${name}" has ${positives} example clip(s); tag at least 5 clips with it to teach it`);
    const negatives = [...this.rejected.values()].filter((s) => s.has(name)).length;
    for (const phase of ['examples', 'cross-validate', 'fit', 'apply', 'store'] as const) this.emit('trainProgress', { name, phase, fraction: 0.2 });
    const prev = this.models.get(name);
    const t = threshold ?? prev?.threshold ?? 0.5;
    return this.#setModel({
      name,
      threshold: t,
      suggestedThreshold: 0.45,
      quality: qualityAt(FAKE_HELD_OUT, t, 4),
      heldOut: FAKE_HELD_OUT,
      examples: { positives, negatives, background: 3 },
      tagged: 0,
      scored: this.count,
      version: (prev?.version ?? 0) + 1,
      trainedAt: 1_700_000_000_000,
    });
  }

  #setModel(m: TagModelInfo): TagModelInfo {
    let tagged = 0;
    for (let id = 1; id <= this.count; id++) if (fakeScore(id) >= m.threshold && !this.judged(id, m.name)) tagged++;
    const info = { ...m, tagged };
    this.models.set(m.name, info);
    return info;
  }

  callsOf(method: MethodName): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.request);
  }

  async call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<Result<ResponseOf<M>>> {
    this.calls.push({ method, request });
    const handler = this.handlers[method] as Handler<M> | undefined;
    if (!handler) return { ok: false, error: { code: 'unknown_method', message: `no fake for ${method}` } };
    try {
      return { ok: true, value: await handler(request) };
    } catch (e) {
      return { ok: false, error: { code: e instanceof ContractError ? e.code : 'internal', message: (e as Error).message } };
    }
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const fn = listener as (payload: unknown) => void;
    set.add(fn);
    return () => set.delete(fn);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const fn of this.listeners.get(event) ?? []) fn(payload);
  }

  mediaUrl(route: MediaRoute): string {
    return route.kind === 'video' ? `/media/video/${route.mediaId}` : `/media/thumb/${route.clipId}`;
  }
}

export function kindOf(name: string): TagKind {
  return OBJECTS.includes(name) ? 'object' : 'custom';
}

/** Lets pending promises and Svelte's effects settle. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
