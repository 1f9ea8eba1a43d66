import { locateBinaries, toolVersion } from '../../core/media/index.js';
import { checkModels } from '../../core/ml/index.js';
import { SHOT_MODEL_DIR } from '../../core/ml/shots/lstm-detector.js';
import { chooseShotDetector } from '../../core/service.js';
import { coreConfig, parse } from '../args.js';
import type { CliIO } from '../io.js';

export async function doctorCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parse(args, {});
  const config = coreConfig(values, io.env);
  const report: Record<string, unknown> = {};
  let ok = true;

  try {
    const bins = locateBinaries(io.env);
    report.ffmpeg = { path: bins.ffmpeg, from: bins.source.ffmpeg, version: await toolVersion(bins.ffmpeg) };
    report.ffprobe = { path: bins.ffprobe, from: bins.source.ffprobe, version: await toolVersion(bins.ffprobe) };
  } catch (e) {
    ok = false;
    report.ffmpeg = { error: (e as Error).message };
  }

  try {
    const models = await checkModels({ cacheDir: config.cacheDir, backend: config.backend });
    report.backend = models.backend;
    report.models = models.models;
    if (models.models.some((m) => !m.ok)) ok = false;
  } catch (e) {
    ok = false;
    report.backend = { error: (e as Error).message };
  }
  const shots = chooseShotDetector(config);
  report.shots = { detector: shots.name, model: shots.name === 'lstm' ? SHOT_MODEL_DIR() : null };
  if (shots.name !== 'lstm' && config.shots !== 'histogram') ok = false;
  report.library = config.libraryDir;
  report.cache = config.cacheDir;
  report.ok = ok;

  if (values.json) {
    io.out(JSON.stringify(report));
    return ok ? 0 : 1;
  }
  const line = (label: string, text: string) => io.out(`${label.padEnd(10)}${text}`);
  const ff = report.ffmpeg as { path?: string; from?: string; version?: string; error?: string };
  const fp = report.ffprobe as typeof ff | undefined;
  line('ffmpeg', ff.error ? `✗ ${ff.error}` : `✓ ${ff.version} (${ff.path}, from ${ff.from})`);
  if (fp) line('ffprobe', `✓ ${fp.version} (${fp.path}, from ${fp.from})`);
  const backend = report.backend as { name?: string; package?: string; gpu?: boolean; simd?: boolean | null; skipped?: { package: string; reason: string }[]; error?: string };
  if (backend.error) line('backend', `✗ ${backend.error}`);
  else {
    line('backend', `✓ ${backend.name} (${backend.package}${backend.gpu ? ', GPU' : ''}${backend.simd ? ', SIMD' : ''})`);
    for (const s of backend.skipped ?? []) line('', `skipped ${s.package}: ${s.reason}`);
  }
  for (const m of (report.models as { name: string; ok: boolean; loadMs: number; msPerFrame: number; error?: string }[] | undefined) ?? []) {
    line('model', m.ok ? `✓ ${m.name}: loads in ${Math.round(m.loadMs)} ms, ${m.msPerFrame.toFixed(1)} ms/frame` : `✗ ${m.name}: ${m.error}`);
  }
  line('shots', shots.name === 'lstm' ? `✓ LSTM (${SHOT_MODEL_DIR()})` : config.shots === 'histogram' ? '✓ histogram (REELTAG_SHOTS=histogram)' : `✗ histogram stand-in: the LSTM weights are missing from ${SHOT_MODEL_DIR()}`);
  line('library', config.libraryDir);
  line('cache', config.cacheDir);
  io.out(ok ? 'all good' : 'something is missing: see ✗ above');
  return ok ? 0 : 1;
}
