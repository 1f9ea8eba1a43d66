import { ReeltagService } from '../../core/service.js';
import { UsageError, coreConfig, parse, positiveInt } from '../args.js';
import { clipJson, printClips } from '../format.js';
import type { CliIO } from '../io.js';

export async function searchCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, { limit: { type: 'string' } });
  const query = positionals.join(' ').trim();
  if (!query) throw new UsageError('give a search query');
  const service = new ReeltagService(coreConfig(values, io.env));
  try {
    const clips = service.search(query, { limit: positiveInt(values.limit, 'limit') ?? 100 });
    if (values.json) io.out(JSON.stringify({ query, clips: clips.map(clipJson) }));
    else printClips(clips, io.out);
    return 0;
  } finally {
    await service.close();
  }
}
