// `reeltag doctor` / `reeltag bench`: which backend runs, whether each model loads, how fast it
// is here. Each model is checked on its own so one broken model does not hide the other.
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName, type BackendReport } from './backend.js';
import { decodeDetections } from './detections.js';
import { frameTensor, type RgbFrame } from './frame-tensors.js';
import { CENTERNET_INPUT_SIZE, loadCenterNet } from './models/centernet.js';
import { loadNsfwMobileNet, NSFW_INPUT_SIZE, nsfwInput } from './models/nsfw-mobilenet.js';

export interface ModelCheck {
  name: string;
  /** Load time, including building the weights cache on a first start. */
  loadMs: number;
  /** Steady-state time per frame (after one warm-up run, which compiles kernels). */
  msPerFrame: number;
  ok: boolean;
  error?: string;
  /** Extra facts worth showing, e.g. where the weights came from. */
  detail?: string;
}

export interface DoctorReport {
  backend: BackendReport;
  models: ModelCheck[];
}

export interface CheckModelsOptions {
  cacheDir: string;
  backend?: BackendName;
  /** Frames timed per model (default 4; MobileNet runs them as one batch). */
  frames?: number;
  now?: () => number;
}

/** Deterministic 512×512 test frames: diagonal gradients, different per frame. */
export function syntheticFrames(count: number, size = CENTERNET_INPUT_SIZE): RgbFrame[] {
  return Array.from({ length: count }, (_, n) => {
    const rgb = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const i = (y * size + x) * 3;
        rgb[i] = (x + n * 40) & 255;
        rgb[i + 1] = (y * 2) & 255;
        rgb[i + 2] = (x + y + n * 90) & 255;
      }
    }
    return { rgb, width: size, height: size, time: n };
  });
}

interface Phases {
  /** The model is loaded: load time ends here. */
  loaded(): void;
  /** The warm-up run is done: timed inference starts here. */
  warmed(): void;
}

async function check(
  name: string,
  now: () => number,
  body: (phases: Phases) => Promise<{ frames: number; detail?: string }>,
): Promise<ModelCheck> {
  const started = now();
  let loaded: number | null = null;
  let warmed: number | null = null;
  try {
    const { frames, detail } = await body({ loaded: () => (loaded = now()), warmed: () => (warmed = now()) });
    const end = now();
    const loadMs = (loaded ?? end) - started;
    return { name, loadMs, msPerFrame: frames ? (end - (warmed ?? loaded ?? end)) / frames : 0, ok: true, ...(detail && { detail }) };
  } catch (error) {
    const loadMs = (loaded ?? now()) - started;
    return { name, loadMs, msPerFrame: 0, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function checkModels(opts: CheckModelsOptions): Promise<DoctorReport> {
  const now = opts.now ?? (() => performance.now());
  const backend = await selectBackend(opts.backend ? { prefer: opts.backend } : {});
  const frames = syntheticFrames(Math.max(1, opts.frames ?? 4));
  const batchOf = (list: RgbFrame[]): tf.Tensor4D =>
    tf.tidy(() => nsfwInput(tf.concat(list.map((f) => frameTensor(f, NSFW_INPUT_SIZE))) as tf.Tensor4D));

  const nsfw = await check('nsfwjs MobileNetV2Mid (rating + embedding)', now, async (phases) => {
    const model = await loadNsfwMobileNet({ cacheDir: opts.cacheDir });
    phases.loaded();
    try {
      const run = async (list: RgbFrame[]): Promise<void> => {
        const { probs, features } = tf.tidy(() => model.run(batchOf(list)));
        try {
          const [p, f] = await Promise.all([probs.data(), features.data()]);
          for (let i = 0; i < list.length; i++) {
            const sum = Array.from(p.slice(i * 5, i * 5 + 5)).reduce((a, b) => a + b, 0);
            if (Math.abs(sum - 1) > 1e-3) throw new Error(`NSFW probabilities sum to ${sum}, not 1`);
          }
          if (!Array.from(f).every(Number.isFinite)) throw new Error('feature vector holds NaN or Infinity');
        } finally {
          tf.dispose([probs, features]);
        }
      };
      await run(frames.slice(0, 1));
      phases.warmed();
      await run(frames);
      const where = model.cache.created ? 'decoded into' : 'read from';
      return { frames: frames.length, detail: `weights ${where} ${model.cache.modelJsonPath}` };
    } finally {
      model.dispose();
    }
  });

  const centernet = await check('human CenterNet (objects, COCO-80)', now, async (phases) => {
    const model = await loadCenterNet();
    phases.loaded();
    try {
      const run = async (frame: RgbFrame): Promise<void> => {
        const rows = tf.tidy(() => model.detect(frameTensor(frame, CENTERNET_INPUT_SIZE)));
        try {
          const data = await rows.data();
          if (data.length !== 600) throw new Error(`expected [1,100,6] detections, got ${rows.shape.join('×')}`);
          decodeDetections(data, CENTERNET_INPUT_SIZE);
        } finally {
          rows.dispose();
        }
      };
      const [first] = frames;
      if (first) await run(first);
      phases.warmed();
      for (const frame of frames) await run(frame);
      return { frames: frames.length };
    } finally {
      model.dispose();
    }
  });

  return { backend, models: [nsfw, centernet] };
}
