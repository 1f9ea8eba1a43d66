import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ContractError,
  EVENT_NAMES,
  LIMITS,
  METHOD_NAMES,
  isMethodName,
  mediaRoutePath,
  methods,
  parseMediaRoutePath,
  type Handlers,
} from '../../../shared/contract.js';
import { dispatch } from '../../../shared/dispatch.js';

describe('the method table', () => {
  it('names the methods the UI needs, each with a doc and a request validator', () => {
    expect(METHOD_NAMES).toEqual([
      'appInfo', 'listClips', 'listMedia', 'listTags', 'clipDetail', 'tagClips', 'untagClips', 'renameTag',
      'ingest', 'cancelJob', 'cancelAllJobs', 'similarClips', 'listTagModels', 'trainTag', 'cancelTraining',
      'trainingStatus', 'setTagThreshold', 'forgetTag', 'reviewTag', 'listJobs',
    ]);
    for (const name of METHOD_NAMES) {
      expect(methods[name].doc.length).toBeGreaterThan(10);
      expect(typeof methods[name].request.parse).toBe('function');
    }
    expect(EVENT_NAMES).toEqual(['jobProgress', 'jobEnd', 'trainProgress', 'trainEnd', 'libraryChanged']);
    expect(isMethodName('constructor')).toBe(false);
    expect(isMethodName('toString')).toBe(false);
  });

  it('accepts typical requests and refuses oversized or malformed ones', () => {
    expect(methods.listClips.request.parse({ query: 'dog', kind: 'object', limit: 50, offset: 0 })).toEqual({ query: 'dog', kind: 'object', limit: 50, offset: 0 });
    expect(() => methods.listClips.request.parse({ limit: LIMITS.pageSize + 1 })).toThrow(/limit/);
    expect(() => methods.listClips.request.parse({ kind: 'animal' })).toThrow(/kind/);
    expect(() => methods.tagClips.request.parse({ clipIds: [], names: ['x'] })).toThrow(/clipIds/);
    expect(() => methods.tagClips.request.parse({ clipIds: [1], names: ['   '] })).toThrow(/names\[0\]/);
    expect(() => methods.tagClips.request.parse({ clipIds: [1], names: ['a\u0000b'] })).toThrow(/control/);
    expect(() => methods.tagClips.request.parse({ clipIds: [1, 1], names: ['x'] })).toThrow(/repeats/);
    expect(() => methods.tagClips.request.parse({ clipIds: Array.from({ length: LIMITS.editClips + 1 }, (_, i) => i + 1), names: ['x'] })).toThrow(/clipIds/);
    expect(() => methods.ingest.request.parse({ paths: ['/a\u0000b'] })).toThrow(/NUL/);
    expect(() => methods.ingest.request.parse({ paths: ['x'.repeat(LIMITS.path + 1)] })).toThrow(/paths\[0\]/);
    expect(() => methods.appInfo.request.parse({ extra: 1 })).toThrow(/unknown field/);
  });
});

describe('dispatch', () => {
  const handlers = {
    appInfo: () => ({ name: 'Reeltag', version: '1', libraryDir: '/l', transport: 'http', backend: null, platform: 'linux' }),
    clipDetail: ({ clipId }: { clipId: number }) => {
      throw new ContractError('not_found', `no clip with id ${clipId}`);
    },
    listTags: () => {
      throw new Error('disk on fire');
    },
  } as unknown as Handlers;

  it('turns every outcome into a Result', async () => {
    expect(await dispatch(handlers, 'appInfo', {})).toMatchObject({ ok: true, value: { name: 'Reeltag' } });
    expect(await dispatch(handlers, 'clipDetail', { clipId: 3 })).toEqual({ ok: false, error: { code: 'not_found', message: 'no clip with id 3' } });
    expect(await dispatch(handlers, 'clipDetail', { clipId: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('clipDetail: clipId') } });
    expect(await dispatch(handlers, 'listTags', {})).toEqual({ ok: false, error: { code: 'internal', message: 'disk on fire' } });
    expect(await dispatch(handlers, 'nope', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await dispatch(handlers, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });
});

describe('media routes', () => {
  it('round-trip for every id', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.boolean(), (id, video) => {
        const route = video ? ({ kind: 'video', mediaId: id } as const) : ({ kind: 'thumb', clipId: id } as const);
        expect(parseMediaRoutePath(mediaRoutePath(route))).toEqual(route);
      }),
    );
  });

  it('refuse anything else', () => {
    for (const bad of ['video/0', 'video/01', 'video/1/', '/video/1', 'video/../1', 'video/%31', 'video/1?x', 'thumb/-1', 'file/1', 'video/99999999999999999', '../../etc/passwd', 'video/1%2f..']) {
      expect(parseMediaRoutePath(bad), bad).toBeNull();
    }
    fc.assert(fc.property(fc.string(), (s) => parseMediaRoutePath(`video/${s}`) === null || /^[1-9][0-9]*$/.test(s)));
  });
});
