// Media URLs name ids, never paths: a video is a media row's file, a thumbnail a clip's jpeg blob.
// Whatever the renderer asks for, only files the library knows can come back.
import type { ReeltagService } from '../core/service.js';
import type { MediaRoute } from '../../shared/contract.js';
import type { MediaLookup } from './protocol.js';

export type MediaLookupService = Pick<ReeltagService, 'mediaPath' | 'clipThumbnail'>;

export function lookupMedia(service: MediaLookupService, route: MediaRoute): MediaLookup {
  if (route.kind === 'video') {
    const file = service.mediaPath(route.mediaId);
    return file ? { kind: 'file', path: file } : { kind: 'missing' };
  }
  const jpeg = service.clipThumbnail(route.clipId);
  return jpeg ? { kind: 'bytes', data: new Uint8Array(jpeg), contentType: 'image/jpeg' } : { kind: 'missing' };
}
