// `reeltag tag add|remove <clip…> <tag>`: the user's word on clips, the same edit the UI makes.
// A removal is remembered as the user's "no" (the examples "not this" of a custom tag), and
// neither ingest nor a tag's model ever overwrites it.
import { TAG_KINDS } from '../../../shared/contract.js';
import type { TagKind } from '../../../shared/types.js';
import { ReeltagService } from '../../core/service.js';
import { UsageError, coreConfig, parse } from '../args.js';
import { clipJson, clipLine } from '../format.js';
import type { CliIO } from '../io.js';

const USAGE = 'usage: reeltag tag add|remove <clip id…> <tag> [--kind KIND|any]\n       reeltag tag forget <tag>   (deletes a custom tag\'s learned model and the tags it gave)';

export async function tagCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, { kind: { type: 'string', default: 'custom' } });
  const [action, ...rest] = positionals;
  if (action === 'forget' && rest.length === 1) return forget(rest[0]!, values, io);
  if ((action !== 'add' && action !== 'remove') || rest.length < 2) throw new UsageError(USAGE);
  const name = rest.at(-1)!;
  const ids = rest.slice(0, -1).map((s) => {
    const id = Number(s);
    if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`"${s}" is not a clip id (see \`reeltag clips\`)\n${USAGE}`);
    return id;
  });
  const kind = values.kind === 'any' ? undefined : (values.kind as TagKind);
  if (kind !== undefined && !TAG_KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${TAG_KINDS.join(', ')} or any`);
  if (action === 'add' && kind === undefined) throw new UsageError('tag add needs one kind (default custom)');

  const service = new ReeltagService(coreConfig(values, io.env));
  try {
    const clips = action === 'add' ? service.tagClips(ids, [name], kind) : service.untagClips(ids, [name], kind);
    if (values.json) io.out(JSON.stringify({ clips: clips.map(clipJson) }));
    else for (const c of clips) io.out(clipLine(c));
    return 0;
  } finally {
    await service.close();
  }
}

async function forget(name: string, values: { library?: string; json?: boolean }, io: CliIO): Promise<number> {
  const service = new ReeltagService(coreConfig(values, io.env));
  try {
    const forgotten = service.forgetTag(name);
    if (values.json) io.out(JSON.stringify({ forgotten }));
    else io.out(forgotten ? `forgot the model of "${name}"; the clips you tagged or refused by hand keep it` : `"${name}" has no learned model`);
    return forgotten ? 0 : 1;
  } finally {
    await service.close();
  }
}
