import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath, locateBinaries, unpackedAsarPath } from '../../../../main/core/media/binaries.js';
import { MediaToolMissingError } from '../../../../main/core/media/errors.js';

/** A machine where exactly `files` are executable. */
const only = (...files: string[]) => (f: string): boolean => files.includes(f);
const noPackages = (): undefined => undefined;

describe('locateBinaries', () => {
  it('takes REELTAG_FFMPEG / REELTAG_FFPROBE first', () => {
    const found = locateBinaries(
      { REELTAG_FFMPEG: '/opt/ff/ffmpeg', REELTAG_FFPROBE: '/opt/ff/ffprobe', PATH: '/usr/bin' },
      { platform: 'linux', loadPackage: () => '/pkg/ffmpeg', isExecutable: only('/opt/ff/ffmpeg', '/opt/ff/ffprobe', '/pkg/ffmpeg', '/usr/bin/ffprobe') },
    );
    expect(found).toEqual({ ffmpeg: '/opt/ff/ffmpeg', ffprobe: '/opt/ff/ffprobe', source: { ffmpeg: 'env', ffprobe: 'env' } });
  });

  it('fails loudly when REELTAG_FFMPEG points nowhere instead of quietly using another ffmpeg', () => {
    const run = (): unknown =>
      locateBinaries({ REELTAG_FFMPEG: '/nope/ffmpeg', PATH: '/usr/bin' }, { platform: 'linux', loadPackage: noPackages, isExecutable: only('/usr/bin/ffmpeg', '/usr/bin/ffprobe') });
    expect(run).toThrow(MediaToolMissingError);
    expect(run).toThrow('REELTAG_FFMPEG is set to "/nope/ffmpeg", but no executable ffmpeg is there');
  });

  it('looks a bare command name in REELTAG_FFMPEG up on PATH', () => {
    const found = locateBinaries({ REELTAG_FFMPEG: 'ffmpeg-7', PATH: '/a:/b' }, { platform: 'linux', loadPackage: noPackages, isExecutable: only('/b/ffmpeg-7', '/a/ffprobe') });
    expect(found.ffmpeg).toBe('/b/ffmpeg-7');
    expect(found.source).toEqual({ ffmpeg: 'env', ffprobe: 'PATH' });
  });

  it('uses ffmpeg-static / ffprobe-static when installed and their binary exists, unpacked from the asar', () => {
    const asar = '/opt/Reeltag/resources/app.asar/node_modules';
    const loadPackage = (name: string): unknown =>
      name === 'ffmpeg-static' ? `${asar}/ffmpeg-static/ffmpeg` : { path: `${asar}/ffprobe-static/bin/linux/x64/ffprobe` };
    const unpacked = '/opt/Reeltag/resources/app.asar.unpacked/node_modules';
    const found = locateBinaries(
      { PATH: '/usr/bin' },
      { platform: 'linux', loadPackage, isExecutable: only(`${unpacked}/ffmpeg-static/ffmpeg`, `${unpacked}/ffprobe-static/bin/linux/x64/ffprobe`, '/usr/bin/ffmpeg') },
    );
    expect(found).toEqual({
      ffmpeg: `${unpacked}/ffmpeg-static/ffmpeg`,
      ffprobe: `${unpacked}/ffprobe-static/bin/linux/x64/ffprobe`,
      source: { ffmpeg: 'ffmpeg-static', ffprobe: 'ffprobe-static' },
    });
  });

  it('falls back to PATH when a static package is installed but its download never happened', () => {
    const found = locateBinaries(
      { PATH: '/usr/local/bin:/usr/bin' },
      { platform: 'linux', loadPackage: () => '/app/node_modules/ffmpeg-static/ffmpeg', isExecutable: only('/usr/bin/ffmpeg', '/usr/bin/ffprobe') },
    );
    expect(found.source).toEqual({ ffmpeg: 'PATH', ffprobe: 'PATH' });
    expect(found.ffmpeg).toBe('/usr/bin/ffmpeg');
  });

  it('copes with the packages not being installed at all (as here)', () => {
    const found = locateBinaries({ PATH: '/x' }, { platform: 'linux', isExecutable: only('/x/ffmpeg', '/x/ffprobe') });
    expect(found.source).toEqual({ ffmpeg: 'PATH', ffprobe: 'PATH' });
  });

  it('throws one error that names the missing tools and the fix', () => {
    const run = (): unknown => locateBinaries({ PATH: '/usr/bin' }, { platform: 'linux', loadPackage: noPackages, isExecutable: only('/usr/bin/ffmpeg') });
    expect(run).toThrow(MediaToolMissingError);
    expect(run).toThrow(/^ffprobe not found .*apt-get install ffmpeg.*REELTAG_FFMPEG and REELTAG_FFPROBE/);
    expect(() => locateBinaries({}, { platform: 'linux', loadPackage: noPackages, isExecutable: only() })).toThrow(/^ffmpeg and ffprobe not found/);
  });
});

describe('unpackedAsarPath', () => {
  it('rewrites the app.asar folder only', () => {
    expect(unpackedAsarPath('/r/app.asar/node_modules/ffmpeg-static/ffmpeg')).toBe('/r/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg');
    expect(unpackedAsarPath('C:\\R\\resources\\app.asar\\node_modules\\ffmpeg-static\\ffmpeg.exe')).toBe(
      'C:\\R\\resources\\app.asar.unpacked\\node_modules\\ffmpeg-static\\ffmpeg.exe',
    );
    expect(unpackedAsarPath('/r/app.asar.unpacked/ffmpeg')).toBe('/r/app.asar.unpacked/ffmpeg');
    expect(unpackedAsarPath('/home/me/my-app.asarx/ffmpeg')).toBe('/home/me/my-app.asarx/ffmpeg');
  });
});

describe('findOnPath', () => {
  it('on Windows reads Path in any case, tries PATHEXT in order and skips .bat/.cmd', () => {
    const env = { Path: '"C:\\Tools";C:\\ffmpeg\\bin', PATHEXT: '.COM;.BAT;.EXE;.CMD' };
    const tried: string[] = [];
    const isExecutable = (f: string): boolean => {
      tried.push(f);
      return f === 'C:\\ffmpeg\\bin\\ffmpeg.EXE';
    };
    expect(findOnPath('ffmpeg', env, 'win32', isExecutable)).toBe('C:\\ffmpeg\\bin\\ffmpeg.EXE');
    expect(tried).toEqual(['C:\\Tools\\ffmpeg.COM', 'C:\\Tools\\ffmpeg.EXE', 'C:\\ffmpeg\\bin\\ffmpeg.COM', 'C:\\ffmpeg\\bin\\ffmpeg.EXE']);
  });

  it('on Windows uses a name that already has an extension as it is', () => {
    expect(findOnPath('ffmpeg.exe', { PATH: 'C:\\bin' }, 'win32', only('C:\\bin\\ffmpeg.exe'))).toBe('C:\\bin\\ffmpeg.exe');
  });

  describe('on this machine', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-path-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('skips a non-executable file and an empty PATH entry and finds the executable one', () => {
      if (process.platform === 'win32') return;
      const [a, b] = ['a', 'b'].map((d) => path.join(dir, d)) as [string, string];
      fs.mkdirSync(a);
      fs.mkdirSync(b);
      fs.writeFileSync(path.join(a, 'ffmpeg'), 'not executable', { mode: 0o644 });
      fs.writeFileSync(path.join(b, 'ffmpeg'), '#!/bin/sh\n', { mode: 0o755 });
      fs.mkdirSync(path.join(a, 'ffprobe')); // a folder named like the tool
      expect(findOnPath('ffmpeg', { PATH: `${a}::${b}` }, process.platform)).toBe(path.join(b, 'ffmpeg'));
      expect(findOnPath('ffprobe', { PATH: `${a}:${b}` }, process.platform)).toBeUndefined();
      expect(findOnPath('ffmpeg', {}, process.platform)).toBeUndefined();
    });
  });
});
