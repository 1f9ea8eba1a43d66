import { describe, expect, it } from 'vitest';
import { locateBinaries, toolVersion } from '../../../main/core/media/binaries.js';

describe('locateBinaries on this machine', () => {
  it('finds Debian ffmpeg/ffprobe on PATH (ffmpeg-static is not installed here)', () => {
    const env = { PATH: process.env.PATH };
    const found = locateBinaries(env);
    expect(found.source).toEqual({ ffmpeg: 'PATH', ffprobe: 'PATH' });
    expect(found.ffmpeg).toMatch(/[\\/]ffmpeg(\.exe)?$/);
    expect(found.ffprobe).toMatch(/[\\/]ffprobe(\.exe)?$/);
  });

  it('reports the version line of each tool', async () => {
    const { ffmpeg, ffprobe } = locateBinaries({ PATH: process.env.PATH });
    expect(await toolVersion(ffmpeg)).toMatch(/^ffmpeg version \S+$/);
    expect(await toolVersion(ffprobe)).toMatch(/^ffprobe version \S+$/);
  });
});
