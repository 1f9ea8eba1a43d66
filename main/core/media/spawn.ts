// The one way Reeltag starts ffmpeg/ffprobe. An argument array (never a shell string, so file
// names are never interpreted), stdin closed, stdout/stderr always drained so the child can never
// block on a full pipe, and every failure turned into a typed error that carries the stderr tail.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  MediaToolMissingError,
  ToolAbortedError,
  ToolFailedError,
  ToolOutputTooLargeError,
  ToolTimeoutError,
} from './errors.js';

/** How much of stderr errors carry: ffmpeg says what went wrong at the end of its log. */
export const STDERR_TAIL_BYTES = 64 * 1024;

export interface ToolExit {
  code: number;
  stderr: string;
}

export interface StartToolOptions {
  signal?: AbortSignal;
  /** Kill the tool when it runs longer than this in total. */
  timeoutMs?: number;
  /** Extra pipes the tool may write to, as fds 3, 4, … (ffmpeg's `pipe:3`). */
  extraPipes?: number;
}

/** A running tool whose outputs the caller reads as streams (the decoder's view). */
export interface ToolProcess {
  readonly tool: string;
  readonly child: ChildProcess;
  readonly stdout: Readable;
  /** Readers of fds 3, 4, … in order. */
  readonly pipes: readonly Readable[];
  /**
   * Settles once the process has exited and all its pipes are closed: resolves on exit code 0,
   * rejects with ToolFailedError / ToolAbortedError / ToolTimeoutError / MediaToolMissingError,
   * or with the error given to fail(). The caller must keep reading every pipe until then.
   */
  readonly done: Promise<ToolExit>;
  /** Kill the tool now (SIGKILL) and make `done` reject with `reason`. */
  fail(reason: Error): void;
  /** The stderr seen so far (at most STDERR_TAIL_BYTES), for building errors. */
  stderrTail(): string;
}

/** "ffmpeg" for "/usr/bin/ffmpeg" or "C:\ffmpeg\bin\ffmpeg.exe": the name errors use. */
export function toolName(bin: string): string {
  const base = path.win32.basename(path.posix.basename(bin));
  return base.replace(/\.exe$/i, '') || bin;
}

/** Keeps the last `limit` bytes of a stream without growing with it. */
function createTail(limit: number): { push(chunk: Buffer): void; text(): string } {
  let chunks: Buffer[] = [];
  let size = 0;
  return {
    push(chunk) {
      chunks.push(chunk);
      size += chunk.length;
      // Compact only when twice over the limit, so the copy is amortised over many chunks.
      if (size > 2 * limit) {
        const all = Buffer.concat(chunks);
        chunks = [all.subarray(all.length - limit)];
        size = limit;
      }
    },
    text() {
      const all = Buffer.concat(chunks);
      return all.subarray(Math.max(0, all.length - limit)).toString('utf8');
    },
  };
}

/** Start a tool whose stdout and extra pipes the caller streams. See ToolProcess. */
export function startTool(bin: string, args: readonly string[], opts: StartToolOptions = {}): ToolProcess {
  const tool = toolName(bin);
  if (opts.signal?.aborted) throw new ToolAbortedError(tool);
  const extra = opts.extraPipes ?? 0;
  const child = spawn(bin, [...args], {
    stdio: ['ignore', 'pipe', 'pipe', ...Array.from({ length: extra }, () => 'pipe' as const)],
    windowsHide: true,
    shell: false,
  });
  const stdout = child.stdout as Readable;
  const stderr = child.stderr as Readable;
  const pipes = child.stdio.slice(3, 3 + extra) as Readable[];
  const tail = createTail(STDERR_TAIL_BYTES);
  stderr.on('data', (chunk: Buffer) => tail.push(chunk));

  let failure: Error | null = null;
  let timer: NodeJS.Timeout | undefined;
  const fail = (reason: Error): void => {
    if (failure) return;
    failure = reason;
    child.kill('SIGKILL');
    // A paused pipe with unread data never closes on its own, and `done` waits for every pipe.
    for (const s of [stdout, stderr, ...pipes]) s.destroy();
  };
  const onAbort = (): void => fail(new ToolAbortedError(tool, tail.text()));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.timeoutMs !== undefined) {
    const ms = opts.timeoutMs;
    timer = setTimeout(() => fail(new ToolTimeoutError(tool, ms, 'ran', tail.text())), ms);
  }

  const done = new Promise<ToolExit>((resolve, reject) => {
    const finish = (): void => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      finish();
      if (failure) return reject(failure);
      if (err.code === 'ENOENT' || err.code === 'EACCES') {
        reject(
          new MediaToolMissingError(
            `${tool} could not be started from ${bin} (${err.code}). Install ffmpeg with your package manager ` +
              '(e.g. `apt-get install ffmpeg`) or set REELTAG_FFMPEG / REELTAG_FFPROBE to working binaries.',
          ),
        );
      } else {
        reject(err);
      }
    });
    child.once('close', (code, signal) => {
      finish();
      if (failure) return reject(failure);
      if (code === 0) return resolve({ code, stderr: tail.text() });
      reject(new ToolFailedError(tool, code, signal, tail.text()));
    });
  });
  // The caller may be busy with the pipes when the tool fails; it still awaits `done` later.
  done.catch(() => undefined);

  return { tool, child, stdout, pipes, done, fail, stderrTail: () => tail.text() };
}

export interface RunToolOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Number of extra pipes (fds 3, 4, …) to collect into `extra`. */
  stdio?: number;
  /** Kill the tool and reject when stdout (or any extra pipe) grows past this many bytes. */
  maxStdout?: number;
}

export interface ToolResult {
  stdout: Buffer;
  /** Contents of fds 3, 4, … when `stdio` asked for them. */
  extra: Buffer[];
  stderr: string;
  code: number;
}

/** Run a tool to completion and collect its output. Non-zero exit rejects (ToolFailedError). */
export async function runTool(bin: string, args: readonly string[], opts: RunToolOptions = {}): Promise<ToolResult> {
  const proc = startTool(bin, args, { signal: opts.signal, timeoutMs: opts.timeoutMs, extraPipes: opts.stdio });
  const limit = opts.maxStdout ?? Number.POSITIVE_INFINITY;
  const collect = (stream: Readable): Buffer[] => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) proc.fail(new ToolOutputTooLargeError(proc.tool, limit, proc.stderrTail()));
      else chunks.push(chunk);
    });
    return chunks;
  };
  const out = collect(proc.stdout);
  const extra = proc.pipes.map(collect);
  const { code, stderr } = await proc.done;
  return { stdout: Buffer.concat(out), extra: extra.map((c) => Buffer.concat(c)), stderr, code };
}
