// A one-line progress bar on stderr for terminals; silent when stderr is not a TTY.
import path from 'node:path';
import type { QueueEvent } from '../core/jobs/queue.js';

export function progressBar(stream: NodeJS.WriteStream = process.stderr): { onEvent: (e: QueueEvent) => void; done: () => void } {
  if (!stream.isTTY) return { onEvent: () => undefined, done: () => undefined };
  let index = 0;
  let total = 0;
  let lastDraw = 0;
  const draw = (name: string, stage: string, fraction: number) => {
    const now = Date.now();
    if (now - lastDraw < 80 && fraction < 1) return;
    lastDraw = now;
    const width = 24;
    const filled = Math.round(width * fraction);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(100 * fraction)).padStart(3)}%  ${index + 1}/${total}  ${stage.padEnd(6)} ${name}`;
    stream.write(`\r${line.slice(0, (stream.columns || 100) - 1)}\x1b[K`);
  };
  return {
    onEvent(e) {
      if (e.type === 'job-start') {
        index = e.index;
        total = e.total;
        draw(path.basename(e.path), 'start', 0);
      } else if (e.type === 'job-progress') {
        draw(path.basename(e.path), e.progress.stage, e.progress.stage === 'decode' ? e.progress.fraction : e.progress.stage === 'store' ? 1 : 0);
      } else {
        const r = e.result;
        const what = r.status === 'ok' ? `${r.clips} clips` : r.status === 'skipped' ? `skipped: ${r.reason}` : `error: ${r.error}`;
        stream.write(`\r\x1b[K${r.status === 'error' ? '✗' : '✓'} ${path.basename(e.path)}  ${what}\n`);
      }
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
