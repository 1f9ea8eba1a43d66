// An in-memory backend for the renderer tests: `n` generated clips (10 per video, made on
// demand, so 100 000 cost nothing until asked for), the contract's methods over them, events on
// demand, and a record of every call.
import { vi } from 'vitest';
import type { EventName, EventPayload, MediaRoute, MethodName, RequestOf, ResponseOf, Result } from '../../../shared/contract.js';
import type { ClipRecord, ClipTag, MediaRecord, TagKind } from '../../../shared/types.js';
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

export class FakeClient {
  readonly transport = 'http' as const;
  readonly calls: { method: MethodName; request: unknown }[] = [];
  readonly handlers: { [M in MethodName]?: Handler<M> } = {};
  readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  /** Tags the user changed, by clip id (the generated ones stand for the rest). */
  readonly edited = new Map<number, ClipTag[]>();
  addFile = vi.fn(async (_file: File, _opts?: AddFileOptions): Promise<AddFileResult> => ({ ok: true, jobIds: [] }));

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
        const tags = this.clip(id - 1).tags.filter((t) => !r.names.includes(t.name));
        for (const name of r.names) tags.push({ name, kind: r.kind ?? 'custom', confidence: 1, source: 'user' });
        this.edited.set(id, tags);
      }
      return { clips: r.clipIds.map((id) => this.clip(id - 1)) };
    };
    this.handlers.untagClips = (r) => {
      for (const id of r.clipIds) {
        this.edited.set(
          id,
          this.clip(id - 1).tags.filter((t) => !(r.names.includes(t.name) && (r.kind === undefined || t.kind === r.kind))),
        );
      }
      return { clips: r.clipIds.map((id) => this.clip(id - 1)) };
    };
    this.handlers.renameTag = (r) => {
      for (const id of r.clipIds) {
        const tags = this.clip(id - 1).tags;
        const from = tags.find((t) => t.name === r.from && (r.kind === undefined || t.kind === r.kind));
        if (!from) continue;
        this.edited.set(id, [...tags.filter((t) => t !== from), { name: r.to, kind: from.kind, confidence: 1, source: 'user' }]);
      }
      return { clips: r.clipIds.map((id) => this.clip(id - 1)) };
    };
    this.handlers.cancelJob = () => ({ cancelled: true });
    this.handlers.cancelAllJobs = () => ({ cancelled: 0 });
  }

  clip(index: number): ClipRecord {
    const c = generatedClip(index);
    const tags = this.edited.get(c.id);
    return tags ? { ...c, tags } : c;
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
      return { ok: false, error: { code: 'internal', message: (e as Error).message } };
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
