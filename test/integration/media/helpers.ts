// Files the media integration tests need, made at test time with ffmpeg (nothing committed).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fixturesDir } from '../../fixtures/generate.js';

const ffmpeg = (args: string[]): void => {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-nostdin', ...args], { stdio: 'pipe' });
};

/** Made once into the shared fixture cache, like generate.ts does. */
function cached(name: string, make: (out: string) => void): string {
  fs.mkdirSync(fixturesDir, { recursive: true });
  const out = path.join(fixturesDir, name);
  if (!fs.existsSync(out)) {
    const tmp = `${out}.part.${process.pid}${path.extname(name)}`;
    make(tmp);
    fs.renameSync(tmp, out);
  }
  return out;
}

/**
 * 320×180 black with a red 40×40 box in the top-left corner of the coded picture, stored with
 * `-metadata:s:v rotate=90`. ffmpeg 5.1 writes that as a display matrix that turns the picture
 * 90° counter-clockwise (270° clockwise): upright, it is 180×320 with the box bottom-left.
 */
export function rotatedCornerVideo(): string {
  const plain = cached('media-corner.mp4', (out) =>
    ffmpeg(['-f', 'lavfi', '-i', 'color=c=black:size=320x180:rate=25,drawbox=x=0:y=0:w=40:h=40:c=red:t=fill', '-frames:v', '50',
      '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', out]),
  );
  return cached('media-corner-rotate90.mp4', (out) => ffmpeg(['-i', plain, '-c', 'copy', '-metadata:s:v', 'rotate=90', out]));
}

/**
 * Variable frame rate: 120 frames at 25 fps nominal, then a 1.6 s gap after frame 50 and frames
 * 3 ticks apart from frame 80. Decoded at "constant frame rate" it comes out as 240 frames.
 */
export function vfrVideo(): { path: string; frames: number } {
  const file = cached('media-vfr-120.mp4', (out) =>
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25',
      '-vf', "setpts='(N+if(gte(N,50),40,0)+if(gte(N,80),2*(N-80),0))/25/TB'",
      '-frames:v', '120', '-fps_mode', 'vfr', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', out]),
  );
  return { path: file, frames: 120 };
}

/**
 * Matroska whose audio starts at 0 s and video at 0.5 s: 1 s red, then 1 s blue. ffmpeg only
 * shifts timestamps by the file's start, so the video's first frame is at 0.5 s.
 */
export function lateVideoStart(): { path: string; frames: number } {
  const file = cached('media-late-video-start.mkv', (out) =>
    ffmpeg(['-f', 'lavfi', '-i', 'sine=d=3', '-f', 'lavfi', '-i', 'color=c=red:s=320x180:r=25:d=1', '-f', 'lavfi', '-i', 'color=c=blue:s=320x180:r=25:d=1',
      '-filter_complex', '[1:v][2:v]concat=n=2:v=1:a=0,setpts=PTS+0.5/TB[v]', '-map', '[v]', '-map', '0:a',
      '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', out]),
  );
  return { path: file, frames: 50 };
}

/** The same H.264 stream with its index in front, so a cut-off copy still probes and decodes. */
export function faststartCopy(src: string): string {
  return cached(`${path.basename(src, '.mp4')}-faststart.mp4`, (out) => ffmpeg(['-i', src, '-c', 'copy', '-movflags', '+faststart', out]));
}

/** Copy the first `fraction` of a file, like a download that stopped. */
export function truncatedCopy(src: string, fraction: number, out: string): string {
  const all = fs.readFileSync(src);
  fs.writeFileSync(out, all.subarray(0, Math.floor(all.length * fraction)));
  return out;
}

export function sineAudio(out: string, codecArgs: string[]): string {
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', ...codecArgs, out]);
  return out;
}

export function pngImage(out: string): string {
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x36', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', out]);
  return out;
}

/** Pixel (x, y) of an rgb24 frame. */
export function pixel(rgb: Uint8Array, width: number, x: number, y: number): [number, number, number] {
  const i = (y * width + x) * 3;
  return [rgb[i]!, rgb[i + 1]!, rgb[i + 2]!];
}

export function meanRgb(rgb: Uint8Array): [number, number, number] {
  const sum = [0, 0, 0];
  for (let i = 0; i < rgb.length; i++) sum[i % 3]! += rgb[i]!;
  const n = rgb.length / 3;
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

/** Width and height from a JPEG's SOF0..SOF2 segment; null when there is none. */
export function jpegSize(jpeg: Buffer): { width: number; height: number } | null {
  let pos = 2;
  while (pos + 4 <= jpeg.length && jpeg[pos] === 0xff) {
    const marker = jpeg[pos + 1]!;
    const len = jpeg.readUInt16BE(pos + 2);
    if (marker >= 0xc0 && marker <= 0xc2) return { height: jpeg.readUInt16BE(pos + 5), width: jpeg.readUInt16BE(pos + 7) };
    pos += 2 + len;
  }
  return null;
}

/** Processes whose command line mentions `needle` (Linux /proc; empty elsewhere). */
export function processesMentioning(needle: string): number[] {
  if (!fs.existsSync('/proc/self/cmdline')) return [];
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}
