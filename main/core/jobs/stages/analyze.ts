// The single decode of a video and everything computed while it streams: every-frame shot
// features, CNN results for the sampled frames (batched, in the inference workers, with
// backpressure on ffmpeg's pipe) and JPEG thumbnails.
import type { FrameAnalysis, MediaInfo } from '../../../../shared/types.js';
import { decodeOnce, defaultPlan, type DecodePlan } from '../../media/index.js';
import type { RgbFrame } from '../../ml/index.js';
import { FeatureTrack } from '../../ml/shots/features.js';
import type { Thumbnail } from './aggregate.js';

/** What the pipeline needs of the CNN: the inference pool, or anything that behaves like it. */
export interface FrameAnalyzer {
  analyze(frames: RgbFrame[]): Promise<FrameAnalysis[]>;
}

export interface AnalyzeOptions {
  ffmpeg: string;
  input: string;
  info: MediaInfo;
  /** Null: decode for shot features only (the `shots` command). */
  analyzer: FrameAnalyzer | null;
  maxSamples?: number;
  /**
   * Run the object detector on every Nth sampled frame. CenterNet costs about 4× the
   * embedding on wasm; objects persist over seconds, ratings and embeddings are kept per sample.
   */
  objectEvery?: number;
  batchSize?: number;
  /** Batches in flight to the workers before ffmpeg is made to wait. */
  maxInFlight?: number;
  stallTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface Analysis {
  plan: DecodePlan;
  track: FeatureTrack;
  frames: FrameAnalysis[];
  thumbnails: Thumbnail[];
  decodeMs: number;
  /** Time spent computing every-frame shot features (inside the decode, on this thread). */
  featureMs: number;
  /** Time spent waiting on the CNN after ffmpeg finished: the part inference adds to decode. */
  cnnTailMs: number;
}

export async function analyzeVideo(opts: AnalyzeOptions): Promise<Analysis> {
  // Without a CNN only the every-frame stream matters: one sample keeps the other pipes nearly idle.
  const plan = defaultPlan(opts.info, { maxSamples: opts.analyzer ? (opts.maxSamples ?? 600) : 1 });
  const batchSize = opts.batchSize ?? 8;
  const objectEvery = Math.max(1, opts.objectEvery ?? 1);
  const maxInFlight = opts.maxInFlight ?? 2;
  const track = new FeatureTrack(Math.max(64, opts.info.frameCount + 8));
  const thumbnails: Thumbnail[] = [];
  const results: Promise<FrameAnalysis[]>[] = [];
  const inFlight: Promise<unknown>[] = [];
  let batch: RgbFrame[] = [];
  const expectedFrames = Math.max(1, opts.info.frameCount);
  let lastReported = -1;
  let featureMs = 0;

  const dispatch = async () => {
    if (!opts.analyzer || batch.length === 0) return;
    const job = opts.analyzer.analyze(batch);
    batch = [];
    results.push(job);
    // Keep a rejection from surfacing as unhandled before it is awaited below.
    const settled = job.then(() => undefined, () => undefined);
    inFlight.push(settled);
    if (inFlight.length >= maxInFlight) await inFlight.shift();
  };

  const decoded = await decodeOnce(
    { ffmpeg: opts.ffmpeg, input: opts.input, plan, signal: opts.signal, stallTimeoutMs: opts.stallTimeoutMs },
    {
      onShotFrame(rgb) {
        const t0 = performance.now();
        track.push(rgb, plan.shot.width, plan.shot.height);
        featureMs += performance.now() - t0;
        const pct = Math.floor((100 * track.count) / expectedFrames);
        if (opts.onProgress && pct !== lastReported) {
          lastReported = pct;
          opts.onProgress(Math.min(1, track.count / expectedFrames));
        }
      },
      async onSample(rgb, index, time) {
        if (!opts.analyzer) return;
        const objects = index % objectEvery === 0;
        batch.push({ rgb, width: plan.sample.width, height: plan.sample.height, time, objects });
        if (batch.length >= batchSize) await dispatch();
      },
      onThumbnail(jpeg, _index, time) {
        thumbnails.push({ time, jpeg });
      },
    },
  );
  const tailStart = performance.now();
  await dispatch();
  const frames = (await Promise.all(results)).flat();
  return { plan, track, frames, thumbnails, decodeMs: decoded.decodeMs, featureMs, cnnTailMs: performance.now() - tailStart };
}
