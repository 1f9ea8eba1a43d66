// A temp library with two videos' worth of clips (rows written directly, no ffmpeg), for the
// transport tests: server, backend, media protocol.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReeltagService } from '../../../main/core/service.js';
import { clip, ingestInput } from '../core/library/helpers.js';

export interface Seeded {
  dir: string;
  service: ReeltagService;
  /** A 1000-byte file whose byte i is i % 251, registered as media row `mediaId`. */
  videoPath: string;
  mediaId: number;
  otherMediaId: number;
  clipIds: number[];
  otherClipIds: number[];
  thumbnail: Buffer;
  cleanup: () => Promise<void>;
}

export const VIDEO_BYTES = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

export function seededService(): Seeded {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-transport-'));
  const videos = path.join(dir, 'videos');
  fs.mkdirSync(videos);
  const videoPath = path.join(videos, 'beach day.mp4');
  fs.writeFileSync(videoPath, VIDEO_BYTES);
  const service = new ReeltagService({ libraryDir: path.join(dir, 'lib'), cacheDir: path.join(dir, 'cache') });
  const thumbnail = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
  const lib = service.lib();
  const a = lib.storeIngest(
    ingestInput(videoPath, [
      clip(0, 2, [{ name: 'dog', kind: 'object', confidence: 0.9 }, { name: 'static', kind: 'attribute', confidence: 0.8 }], { thumbnail }),
      clip(2, 4, [{ name: 'person', kind: 'object', confidence: 0.7 }]),
      clip(4, 6, [{ name: 'dog', kind: 'object', confidence: 0.6 }]),
    ]),
  );
  const b = lib.storeIngest(ingestInput(path.join(videos, 'city night.mp4'), [clip(0, 3, [{ name: 'car', kind: 'object', confidence: 0.8 }])]));
  return {
    dir,
    service,
    videoPath,
    mediaId: a.mediaId,
    otherMediaId: b.mediaId,
    clipIds: a.clipIds,
    otherClipIds: b.clipIds,
    thumbnail,
    cleanup: async () => {
      await service.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
