// `reeltag bench`: ingest speed as ratios against ceilings measured in the same run on the
// same file — ffmpeg's own decode-only time, and Reeltag's one-pass decode without the CNN.
// No absolute number is judged; the machine changes, the ratios mean something.
// With --load (or --load-only, which skips the rest), a last phase measures the library's query
// latency and the peak RSS while a folder of tiny videos is ingested (bench-load.ts).
// --similar runs only the "more like this" benchmark (bench-similar.ts).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { analyzeVideo } from '../../core/jobs/stages/analyze.js';
import { locateBinaries, probe, runTool } from '../../core/media/index.js';
import { makeSampleVideo } from '../../core/sample-video.js';
import { ReeltagService } from '../../core/service.js';
import { coreConfig, parse, positiveInt, UsageError } from '../args.js';
import type { CliIO } from '../io.js';
import { printLoad, runLoadBench, type LoadBench } from './bench-load.js';
import { similarBenchCommand } from './bench-similar.js';

export interface FileBench {
  file: string;
  durationSec: number;
  size: string;
  frames: number;
  /** ffmpeg -i FILE -f null -: decode only (best of 2). */
  ffmpegDecodeMs: number;
  /** Reeltag's split decode (every-frame + samples + thumbnails), features, no CNN. */
  reeltagDecodeMs: number;
  ingestMs: number;
  ingestOverDecode: number;
  decodeOverceiling: number;
  /** Every-frame features + shot detection + segmentation, as a share of the ingest. */
  shotShare: number;
  /** Shot detection (LSTM inference + decoding) per 1000 frames, features excluded. */
  shotsMsPer1000Frames: number;
  /** Every-frame feature extraction per 1000 frames. */
  featureMsPer1000Frames: number;
  clips: number;
}

export async function benchCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {
    keep: { type: 'boolean', default: false },
    load: { type: 'boolean', default: false },
    'load-only': { type: 'boolean', default: false },
    'load-files': { type: 'string' },
    similar: { type: 'boolean', default: false },
    'similar-sizes': { type: 'string' },
  });
  if (values.similar) return similarBenchCommand(values, positionals, io);
  const loadOnly = values['load-only'];
  const loadFiles = positiveInt(values['load-files'], 'load-files') ?? 200;
  if (loadOnly && positionals.length > 0) throw new UsageError('--load-only measures generated videos only: leave out the files');
  if (loadFiles < 1) throw new UsageError('--load-files must be at least 1');
  const base = coreConfig(values, io.env);
  const { ffmpeg, ffprobe } = locateBinaries(io.env);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'reeltag-bench-'));
  const log = (s: string) => (values.json ? io.err(s) : io.out(s));
  try {
    let files: string[] = [];
    if (!loadOnly) {
      log('generating 60 s of 720p H.264 (6 shots)…');
      const sample = await makeSampleVideo(ffmpeg, path.join(tmp, 'bench-720p.mp4'), {
        width: 1280,
        height: 720,
        fps: 25,
        shotSeconds: [10, 10, 10, 10, 10, 10],
      });
      files = [sample.path, ...positionals.map((p) => path.resolve(p))];
    }
    const service = new ReeltagService({ ...base, libraryDir: path.join(tmp, 'library') });
    const results: FileBench[] = [];
    try {
      for (const file of files) {
        log(`measuring ${path.basename(file)}…`);
        results.push(await benchFile(service, ffmpeg, ffprobe, file));
      }
      let load: LoadBench | undefined;
      if (values.load || loadOnly) load = await runLoadBench({ service, ffmpeg, dir: tmp, files: loadFiles, log });
      const pool = await service.inference();
      const cnn = pool.timings();
      const report = { backend: pool.backend, workers: pool.workers, cnn, files: results, ...(load && { load }) };
      if (values.json) io.out(JSON.stringify(report));
      else {
        printReport(report, io);
        if (load) printLoad(load, (line) => io.out(line));
      }
    } finally {
      await service.close();
    }
    return 0;
  } finally {
    if (!values.keep) await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function benchFile(service: ReeltagService, ffmpeg: string, ffprobe: string, file: string): Promise<FileBench> {
  const info = await probe(ffprobe, file, { timeoutMs: 60_000 });
  const ceiling = async () => {
    const t0 = performance.now();
    await runTool(ffmpeg, ['-v', 'error', '-nostdin', '-i', file, '-map', '0:v:0', '-f', 'null', '-'], { timeoutMs: 600_000 });
    return performance.now() - t0;
  };
  const ffmpegDecodeMs = Math.min(await ceiling(), await ceiling());

  const t1 = performance.now();
  await analyzeVideo({ ffmpeg, input: file, info, analyzer: null });
  const reeltagDecodeMs = performance.now() - t1;

  const t2 = performance.now();
  const [result] = await service.ingest([file]);
  const ingestMs = performance.now() - t2;
  if (!result || result.status !== 'ok') {
    throw new Error(`ingest of ${file} did not succeed: ${JSON.stringify(result)}`);
  }
  const t = result.timings;
  return {
    file,
    durationSec: info.durationSec,
    size: `${info.width}x${info.height}`,
    frames: info.frameCount,
    ffmpegDecodeMs: Math.round(ffmpegDecodeMs),
    reeltagDecodeMs: Math.round(reeltagDecodeMs),
    ingestMs: Math.round(ingestMs),
    ingestOverDecode: round2(ingestMs / ffmpegDecodeMs),
    decodeOverceiling: round2(reeltagDecodeMs / ffmpegDecodeMs),
    shotShare: round3((t.featureMs + t.shotsMs) / ingestMs),
    shotsMsPer1000Frames: Math.round((1000 * t.shotsMs) / Math.max(1, info.frameCount)),
    featureMsPer1000Frames: Math.round((1000 * t.featureMs) / Math.max(1, info.frameCount)),
    clips: result.clips,
  };
}

function printReport(
  report: { backend: { name: string; package: string }; workers: number; cnn: Record<string, number>; files: FileBench[] },
  io: CliIO,
): void {
  io.out('');
  io.out(`backend ${report.backend.name} (${report.backend.package}), ${report.workers} inference worker(s)`);
  for (const [k, v] of Object.entries(report.cnn)) io.out(`  ${k.padEnd(20)} ${typeof v === 'number' ? v.toFixed(1) : v}`);
  for (const f of report.files) {
    io.out('');
    io.out(`${path.basename(f.file)}  ${f.size}, ${f.durationSec.toFixed(1)} s, ${f.frames} frames, ${f.clips} clips`);
    io.out(`  ffmpeg decode only (ceiling)   ${ms(f.ffmpegDecodeMs)}`);
    io.out(`  reeltag one-pass decode        ${ms(f.reeltagDecodeMs)}   ${f.decodeOverceiling.toFixed(2)}× ceiling`);
    io.out(`  reeltag ingest (CNN + store)   ${ms(f.ingestMs)}   ${f.ingestOverDecode.toFixed(2)}× ceiling`);
    io.out(`  shot tagging share of ingest   ${(100 * f.shotShare).toFixed(1)} %  (features ${f.featureMsPer1000Frames} ms + detector ${f.shotsMsPer1000Frames} ms per 1000 frames)`);
  }
}

function ms(x: number): string {
  return `${(x / 1000).toFixed(2)} s`.padStart(8);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
