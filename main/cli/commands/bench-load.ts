// `reeltag bench --load`: does the library stay responsive while an ingest runs? A folder of tiny
// distinct videos is ingested through the service while a second, read-only connection to the
// same library (WAL lets readers run beside the writer) searches and lists clips at a bounded
// rate, as the UI would. Reports query latency p50/p95, how late the event loop ran (the wait any
// request on this thread sees), whether progress events kept flowing, and the peak RSS.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { QueueEvent } from '../../core/jobs/queue.js';
import { openLibrary, search, type Library } from '../../core/library/index.js';
import { makeDistinctTinyVideos } from '../../core/sample-video.js';
import type { ReeltagService } from '../../core/service.js';

export interface LatencyStats {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface LoadBench {
  files: number;
  ok: number;
  failed: number;
  ingestMs: number;
  /** Query rounds per second asked for (each round: one search and one clip list). */
  rate: number;
  search: LatencyStats;
  clipsList: LatencyStats;
  /** How late the event loop ran while the ingest ran. */
  eventLoopDelay: LatencyStats;
  progress: {
    /** job-progress events, and all queue events (start, progress, end). */
    events: number;
    allEvents: number;
    /** From the start of the ingest to its first event (expanding the folder, starting the inference workers). */
    firstEventMs: number;
    /** The longest silence between two queue events after that. */
    maxGapMs: number;
  };
  /** Peak resident memory sampled every 100 ms during the phase: this process (the inference
   * worker threads included), and with its ffmpeg/ffprobe children added (Linux only, else null). */
  peakRssMB: number;
  peakRssWithChildrenMB: number | null;
  /** The kernel's high-water mark for this process since it started (all phases of the bench). */
  maxRssMB: number;
}

/** The p-quantile (0..1) of `xs` by nearest rank; 0 for no samples. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function latencyStats(xs: readonly number[]): LatencyStats {
  const r = (x: number) => Math.round(x * 100) / 100;
  return { count: xs.length, p50Ms: r(percentile(xs, 0.5)), p95Ms: r(percentile(xs, 0.95)), maxMs: r(xs.length ? Math.max(...xs) : 0) };
}

/** Resident bytes of this process's child processes (ffmpeg, ffprobe); null where /proc has no answer. */
function childrenRss(): number | null {
  try {
    let total = 0;
    for (const task of fs.readdirSync(`/proc/${process.pid}/task`)) {
      const children = fs.readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').trim();
      for (const pid of children ? children.split(/\s+/) : []) {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
        if (kb) total += Number(kb) * 1024;
      }
    }
    return total;
  } catch {
    return null;
  }
}

// The histogram records each interval of its own timer: an idle loop reads ≈ the resolution.
const LOOP_RESOLUTION_MS = 5;

const SEARCHES = ['clip', 'mp4', 'neutral', 'clip 1', 'drawing', 'person'];
const LISTS: Parameters<Library['clips']['list']>[0][] = [{ limit: 100 }, { kind: 'rating', limit: 100 }, { tag: 'neutral', limit: 100 }, { limit: 100, offset: 100 }];

export interface LoadOptions {
  service: ReeltagService;
  ffmpeg: string;
  /** Where the videos go. */
  dir: string;
  files: number;
  /** Query rounds per second (default 10). */
  rate?: number;
  log?: (line: string) => void;
}

export async function runLoadBench(opts: LoadOptions): Promise<LoadBench> {
  const rate = opts.rate ?? 10;
  opts.log?.(`generating ${opts.files} tiny distinct videos…`);
  const files = await makeDistinctTinyVideos(opts.ffmpeg, path.join(opts.dir, 'load-videos'), opts.files);

  // The writer's library must exist before the reader opens it.
  opts.service.lib();
  const reader = openLibrary(opts.service.libraryDir(), { readonly: true });

  const searchMs: number[] = [];
  const listMs: number[] = [];
  let progressEvents = 0;
  let allEvents = 0;
  let firstEvent: number | undefined;
  let lastEvent = 0;
  let maxGapMs = 0;
  let peakRss = process.memoryUsage().rss;
  let peakWithChildren: number | null = childrenRss() === null ? null : peakRss;
  const sampleRss = () => {
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    const kids = peakWithChildren === null ? null : childrenRss();
    if (kids !== null && peakWithChildren !== null) peakWithChildren = Math.max(peakWithChildren, rss + kids);
  };
  const sampler = setInterval(sampleRss, 100);
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();

  let done = false;
  const queries = (async () => {
    const period = 1000 / rate;
    for (let round = 0; !done; round++) {
      const started = performance.now();
      let t = performance.now();
      search(reader, SEARCHES[round % SEARCHES.length]!, { limit: 50 });
      searchMs.push(performance.now() - t);
      t = performance.now();
      reader.clips.list(LISTS[round % LISTS.length]);
      listMs.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, period - (performance.now() - started))));
    }
  })();

  opts.log?.(`ingesting them while a second connection searches and lists clips ${rate}×/s…`);
  const t0 = performance.now();
  let results;
  try {
    results = await opts.service.ingest(files, {
      onEvent: (e: QueueEvent) => {
        const now = performance.now();
        if (firstEvent === undefined) firstEvent = now;
        else maxGapMs = Math.max(maxGapMs, now - lastEvent);
        lastEvent = now;
        allEvents++;
        if (e.type === 'job-progress') progressEvents++;
      },
    });
  } finally {
    done = true;
    await queries;
    clearInterval(sampler);
    loop.disable();
    reader.close();
  }
  const ingestMs = performance.now() - t0;
  sampleRss();

  const late = (ns: number) => Math.round(Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS) * 100) / 100;
  const delays = loop.count > 0 ? { count: loop.count, p50Ms: late(loop.percentile(50)), p95Ms: late(loop.percentile(95)), maxMs: late(loop.max) } : latencyStats([]);
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  return {
    files: files.length,
    ok: results.filter((r) => r.status === 'ok').length,
    failed: results.filter((r) => r.status === 'error').length,
    ingestMs: Math.round(ingestMs),
    rate,
    search: latencyStats(searchMs),
    clipsList: latencyStats(listMs),
    eventLoopDelay: delays,
    progress: { events: progressEvents, allEvents, firstEventMs: Math.round((firstEvent ?? t0) - t0), maxGapMs: Math.round(maxGapMs) },
    peakRssMB: mb(peakRss),
    peakRssWithChildrenMB: peakWithChildren === null ? null : mb(peakWithChildren),
    maxRssMB: mb(process.resourceUsage().maxRSS * 1024),
  };
}

export function printLoad(load: LoadBench, out: (line: string) => void): void {
  const stats = (s: LatencyStats) => `p50 ${s.p50Ms.toFixed(2)} ms   p95 ${s.p95Ms.toFixed(2)} ms   max ${s.maxMs.toFixed(1)} ms`;
  out('');
  out(`load: ${load.files} tiny videos ingested in ${(load.ingestMs / 1000).toFixed(1)} s (${load.ok} ok, ${load.failed} failed), ` +
    `a second connection querying ${load.rate} rounds/s meanwhile`);
  out(`  search        ${stats(load.search)}   (${load.search.count} queries)`);
  out(`  clips.list    ${stats(load.clipsList)}   (${load.clipsList.count} queries)`);
  out(`  event loop    ${stats(load.eventLoopDelay)}   (how late any request on this thread starts)`);
  out(`  progress      ${load.progress.events} progress events (${load.progress.allEvents} in all), first after ${(load.progress.firstEventMs / 1000).toFixed(1)} s, then never more than ${(load.progress.maxGapMs / 1000).toFixed(2)} s apart`);
  out(`  peak RSS      ${load.peakRssMB} MB (process, inference threads included)` +
    `${load.peakRssWithChildrenMB !== null ? `, ${load.peakRssWithChildrenMB} MB with ffmpeg children` : ''}; ${load.maxRssMB} MB max since start`);
}
