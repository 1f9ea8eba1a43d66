import { ReeltagService } from '../../core/service.js';
import { UsageError, coreConfig, parse } from '../args.js';
import type { CliIO } from '../io.js';
import { progressBar } from '../progress.js';

export async function ingestCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, { resume: { type: 'boolean', default: false } });
  if (positionals.length === 0 && !values.resume) throw new UsageError('give at least one video file or folder (or --resume to finish interrupted jobs)');
  const service = new ReeltagService(coreConfig(values, io.env));
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const bar = values.json ? undefined : progressBar(io.stderr);
  try {
    const results = await service.ingest(positionals, { signal: controller.signal, onEvent: bar?.onEvent });
    bar?.done();
    if (values.json) {
      const media = results.map((r) =>
        r.status === 'error'
          ? { path: r.path, status: r.status, error: r.error }
          : r.status === 'skipped'
            ? { path: r.path, status: r.status, clips: r.clips, reason: r.reason }
            : { path: r.path, status: r.status, clips: r.clips },
      );
      io.out(JSON.stringify({ media }));
    } else {
      const ok = results.filter((r) => r.status === 'ok').length;
      const skipped = results.filter((r) => r.status === 'skipped').length;
      const failed = results.filter((r) => r.status === 'error');
      for (const f of failed) if (f.status === 'error') io.err(`failed: ${f.path}: ${f.error}`);
      io.out(`${ok} ingested, ${skipped} already in the library, ${failed.length} failed`);
    }
    return results.some((r) => r.status === 'error') ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await service.close();
  }
}
