import { ReeltagService } from '../../core/service.js';
import { UsageError, coreConfig, parse } from '../args.js';
import { timecode, transitionJson } from '../format.js';
import type { CliIO } from '../io.js';

export async function shotsCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError('give exactly one video');
  const service = new ReeltagService(coreConfig(values, io.env));
  try {
    const report = await service.shots(positionals[0]!);
    if (values.json) {
      io.out(JSON.stringify({ fps: report.fps, frames: report.frames, transitions: report.transitions.map(transitionJson) }));
    } else {
      io.out(`${report.frames} frames at ${report.fps.toFixed(3)} fps, ${report.transitions.length} transitions`);
      for (const t of report.transitions) {
        io.out(`  ${t.type.padEnd(8)} frames ${t.startFrame}–${t.endFrame}  (${timecode(t.startFrame / report.fps)})  confidence ${t.confidence.toFixed(2)}`);
      }
    }
    return 0;
  } finally {
    await service.close();
  }
}
