// `reeltag similar <clip id>`: "more like this" from the command line, the same answer the UI
// shows (the service's similarClips, default 24 like the worker backend).
import { LIMITS } from '../../../shared/contract.js';
import type { ScoredClip } from '../../../shared/types.js';
import { ReeltagService } from '../../core/service.js';
import { UsageError, coreConfig, parse, positiveInt } from '../args.js';
import { clipJson, timecode } from '../format.js';
import type { CliIO } from '../io.js';

const DEFAULT_LIMIT = 24;

export async function similarCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, { limit: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('give one clip id (see `reeltag clips`)');
  const clipId = Number(positionals[0]);
  if (!Number.isSafeInteger(clipId) || clipId < 1) throw new UsageError(`a clip id is a whole number above 0, got "${positionals[0]}"`);
  const limit = positiveInt(values.limit, 'limit') ?? DEFAULT_LIMIT;
  if (limit < 1 || limit > LIMITS.similar) throw new UsageError(`--limit must be 1..${LIMITS.similar}, got ${limit}`);
  const service = new ReeltagService(coreConfig(values, io.env));
  try {
    const hits = service.similarClips(clipId, limit);
    if (values.json) {
      io.out(JSON.stringify({ clip: clipId, similar: hits.map((h) => ({ ...clipJson(h.clip), score: round3(h.score) })) }));
    } else {
      printSimilar(clipId, service, hits, io.out);
    }
    return 0;
  } finally {
    await service.close();
  }
}

function printSimilar(clipId: number, service: ReeltagService, hits: ScoredClip[], out: (line: string) => void): void {
  const clip = service.lib().clips.get(clipId);
  if (clip) out(`like #${clip.id}  ${clip.mediaPath}  ${timecode(clip.start)}–${timecode(clip.end)}`);
  if (hits.length === 0) {
    // The service already refused a clip that does not exist: this one has no embedding yet, or
    // it is the only clip that has one.
    out('  no similar clips (the clip has no embedding, or no other clip has one)');
    return;
  }
  const idWidth = Math.max(...hits.map((h) => String(h.clip.id).length)) + 1;
  for (const { clip: c, score } of hits) {
    out(`  ${score.toFixed(3)}  ${`#${c.id}`.padEnd(idWidth)}  ${timecode(c.start)}–${timecode(c.end)}  ${c.mediaPath}`);
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
