// `reeltag serve [--port N]`: browser mode. The same contract as the desktop app over HTTP on
// 127.0.0.1, with a per-run token in the printed URL.
import path from 'node:path';
import { ReeltagService } from '../../core/service.js';
import { appRoot } from '../../server/app-root.js';
import { startServer } from '../../server/index.js';
import { UsageError, coreConfig, parse, positiveInt } from '../args.js';
import type { CliIO } from '../io.js';

export const DEFAULT_PORT = 5757;

export async function serveCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, { port: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments, got "${positionals[0]}"`);
  const port = positiveInt(values.port, 'port') ?? DEFAULT_PORT;
  if (port > 65535) throw new UsageError(`--port must be 0..65535, got ${port}`);
  const root = appRoot(import.meta.url);
  const service = new ReeltagService(coreConfig(values, io.env));
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ service, port, rendererDir: path.join(root.dir, 'renderer', 'dist'), version: root.version });
  } catch (e) {
    await service.close();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`port ${port} is in use: pick another with --port N (0 = any free port)`);
    throw e;
  }
  if (values.json) io.out(JSON.stringify({ url: server.url, port: server.port, library: service.libraryDir() }));
  else {
    io.out(`Reeltag is serving ${service.libraryDir()}`);
    io.out(`open ${server.url}`);
    io.out('(only this machine can connect; the token in the link changes every run; Ctrl-C stops)');
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await service.close();
  return 0;
}
