import path from 'node:path';
import { ReeltagService } from '../../core/service.js';
import { coreConfig, parse, positiveInt } from '../args.js';
import { clipJson, printClips } from '../format.js';
import type { CliIO } from '../io.js';

export async function clipsCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parse(args, { media: { type: 'string' }, tag: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } });
  const service = new ReeltagService(coreConfig(values, io.env));
  try {
    const clips = service.clips({
      mediaPath: values.media ? path.resolve(values.media) : undefined,
      tag: values.tag,
      limit: positiveInt(values.limit, 'limit'),
      offset: positiveInt(values.offset, 'offset'),
    });
    if (values.json) io.out(JSON.stringify({ clips: clips.map(clipJson) }));
    else printClips(clips, io.out);
    return 0;
  } finally {
    await service.close();
  }
}
