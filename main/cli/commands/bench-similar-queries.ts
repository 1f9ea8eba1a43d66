// The query phase of `reeltag bench --similar`, run in a process of its own (forked by
// bench-similar.ts) so that its peak RSS is Node + SQLite + the index, not the garbage left by
// writing the synthetic library or the ceiling's 700 MB of embeddings.
import os from 'node:os';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LIMITS } from '../../../shared/contract.js';
import { openLibrary } from '../../core/library/index.js';

export interface QueryPhaseRequest {
  dir: string;
  queries: number[];
  limit: number;
  /** How many of `queries` also run at the contract's largest limit. */
  maxLimitQueries: number;
}

export interface QueryPhaseResult {
  /** The first query on a freshly opened library: reads every sketch, then answers. */
  firstQueryMs: number;
  /** The first query after clip_sketches changed (what follows an ingest): a full reload. */
  reloadQueryMs: number;
  /** Per query, in order. */
  times: number[];
  maxLimitTimes: number[];
  /** Per query, the clip ids returned. */
  found: number[][];
  /** Resident memory once Node and the modules were up, before the library was opened. */
  rssBaselineMB: number;
  /** The process's high-water mark at the end. */
  rssPeakMB: number;
  loadAverage: number;
}

export function runQueryPhase(req: QueryPhaseRequest): QueryPhaseResult {
  const rssBaseline = process.memoryUsage().rss;
  const lib = openLibrary(req.dir);
  try {
    let t0 = performance.now();
    lib.similar(req.queries[0]!, req.limit);
    const firstQueryMs = performance.now() - t0;
    const times: number[] = [];
    const found: number[][] = [];
    for (const id of req.queries) {
      t0 = performance.now();
      const hits = lib.similar(id, req.limit);
      times.push(performance.now() - t0);
      found.push(hits.map((h) => h.clipId));
    }
    const maxLimitTimes: number[] = [];
    for (const id of req.queries.slice(0, req.maxLimitQueries)) {
      t0 = performance.now();
      lib.similar(id, LIMITS.similar);
      maxLimitTimes.push(performance.now() - t0);
    }
    // Rewriting one sketch bumps sketch_generation, as an ingest's commit does.
    lib.db.prepare('UPDATE clip_sketches SET vector = vector WHERE clip_id = (SELECT min(clip_id) FROM clip_sketches)').run();
    t0 = performance.now();
    lib.similar(req.queries[1] ?? req.queries[0]!, req.limit);
    const reloadQueryMs = performance.now() - t0;
    return {
      firstQueryMs,
      reloadQueryMs,
      times,
      maxLimitTimes,
      found,
      rssBaselineMB: Math.round(rssBaseline / 2 ** 20),
      rssPeakMB: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
      loadAverage: os.loadavg()[0]!,
    };
  } finally {
    lib.close();
  }
}

/** Runs the query phase in a child process and returns what it measured. */
export function queryPhaseInChild(req: QueryPhaseRequest): Promise<QueryPhaseResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: QueryPhaseResult | undefined;
    child.on('message', (m: { ok: true; value: QueryPhaseResult } | { ok: false; error: string }) => {
      if (m.ok) result = m.value;
      else reject(new Error(`bench --similar query phase: ${m.error}`));
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`bench --similar query phase exited with code ${code} and no result`));
    });
    child.send(req);
  });
}

// Forked: one request in, one result out, then exit.
if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  process.once('message', (req: QueryPhaseRequest) => {
    let reply: { ok: true; value: QueryPhaseResult } | { ok: false; error: string };
    try {
      reply = { ok: true, value: runQueryPhase(req) };
    } catch (e) {
      reply = { ok: false, error: (e as Error).stack ?? String(e) };
    }
    process.send!(reply, () => process.disconnect());
  });
}
