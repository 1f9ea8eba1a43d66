// `reeltag` command line: the same core as the desktop app, headless.
import { UsageError } from './args.js';
import { processIO, type CliIO } from './io.js';
import { clipsCommand } from './commands/clips.js';
import { doctorCommand } from './commands/doctor.js';
import { ingestCommand } from './commands/ingest.js';
import { searchCommand } from './commands/search.js';
import { shotsCommand } from './commands/shots.js';
import { benchCommand } from './commands/bench.js';
import { evalCommand } from './commands/eval.js';
import { trainCommand } from './commands/train.js';
import { tagCommand } from './commands/tag.js';

type Command = (args: string[], io: CliIO) => Promise<number>;

const commands: Record<string, { run: Command; summary: string }> = {
  ingest: { run: ingestCommand, summary: 'ingest <files or folders…> [--resume] [--json]   tag videos into the library' },
  clips: { run: clipsCommand, summary: 'clips [--media PATH] [--tag NAME] [--json]   list tagged clips' },
  search: { run: searchCommand, summary: 'search <query> [--json]   clips whose tags or file names match' },
  similar: { run: (a, io) => import('./commands/similar.js').then((m) => m.similarCommand(a, io)), summary: 'similar <clip id> [--limit N] [--json]   more like this: the clips most similar by embedding' },
  tag: { run: tagCommand, summary: 'tag add|remove <clip id…> <tag> [--kind KIND|any] | tag forget <tag>   tag clips by hand, say "not this" (default kind custom), or forget a learned tag' },
  shots: { run: shotsCommand, summary: 'shots <video> [--json]   shot transitions of one video (no library)' },
  doctor: { run: doctorCommand, summary: 'doctor [--json]   ffmpeg, inference backend and models' },
  train: { run: trainCommand, summary: 'train shots [--seed N] [--videos N] [--val N] [--epochs N] [--out DIR] [--average DIR,DIR | --score DIR] [--test N] | train tag <name> [--threshold T]   train the shot LSTM, or a custom tag from its examples' },
  eval: { run: evalCommand, summary: "eval shots <video> <truth.json> [--tolerance N] | eval tag <name> [--truth-files 'GLOB' | --truth FILE]   score the shot LSTM against scdet, or a custom tag" },
  bench: { run: benchCommand, summary: 'bench [files…] [--load|--load-only] [--load-files N] [--similar [--similar-sizes N,N]] [--json]   ingest speed against ffmpeg’s own decode; query latency and peak RSS under load; more-like-this latency at 10k and 100k clips' },
  serve: { run: (a, io) => import('./commands/serve.js').then((m) => m.serveCommand(a, io)), summary: 'serve [--port N]   the UI in a browser at http://127.0.0.1:N (default 5757)' },
};

export function usage(): string {
  return [
    'usage: reeltag <command> [options]',
    '',
    ...Object.values(commands).map((c) => `  reeltag ${c.summary}`),
    '',
    'options for every command:',
    '  --library DIR   library folder (default: $REELTAG_LIBRARY, else the desktop app’s)',
    '  --json          machine-readable output on stdout',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`reeltag: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`reeltag ${name}: ${e.message}\n\n${usage()}`);
      return 2;
    }
    io.err(`reeltag ${name}: ${(e as Error).message}`);
    return 1;
  }
}
