// Public API of the media module: find the tools, probe a file, decode it once.
export {
  findOnPath,
  INSTALL_HINT,
  locateBinaries,
  toolVersion,
  unpackedAsarPath,
  type FfmpegSource,
  type FfprobeSource,
  type LocateDeps,
  type LocatedBinaries,
} from './binaries.js';
export {
  decodeOnce,
  DEFAULT_STALL_TIMEOUT_MS,
  type DecodeHandlers,
  type DecodeOptions,
  type DecodeResult,
} from './decode.js';
export {
  DEFAULT_MAX_SAMPLES,
  DEFAULT_SAMPLE_SIZE,
  DEFAULT_SHOT_SIZE,
  DEFAULT_THUMB_WIDTH,
  defaultPlan,
  rgbFrameBytes,
  sampleFps,
  type DecodePlan,
} from './decode-plan.js';
export {
  CorruptMediaError,
  MediaError,
  MediaFileError,
  MediaToolMissingError,
  NotAVideoError,
  ToolAbortedError,
  ToolError,
  ToolFailedError,
  ToolOutputTooLargeError,
  ToolTimeoutError,
} from './errors.js';
export { decodeArgs, decodeFilterGraph, inputUrl, probeArgs } from './ffmpeg-args.js';
export { DEFAULT_PROBE_TIMEOUT_MS, parseProbe, probe, type ProbeOptions } from './probe.js';
export { runTool, startTool, type RunToolOptions, type StartToolOptions, type ToolProcess, type ToolResult } from './spawn.js';
