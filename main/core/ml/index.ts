// Public API of the CNN stage. The shot detector (./shots) has its own entry.
export { selectBackend, parseBackendName, BACKEND_NAMES, type BackendName, type BackendReport, type SelectBackendOptions } from './backend.js';
export { loadAnalyzer, MAX_EMBED_BATCH, type Analyzer, type AnalyzerTimings, type LoadAnalyzerOptions } from './analyzer.js';
export { createInferencePool, type InferencePool, type InferencePoolOptions } from './inference-pool.js';
export { checkModels, type CheckModelsOptions, type DoctorReport, type ModelCheck } from './doctor.js';
export { fileIOHandler } from './file-io-handler.js';
export { ensureNsfwModelCache, type CachedModel } from './model-cache.js';
export { COCO_LABELS } from './coco-labels.js';
export { ratingFromNsfw, dominantRating, NSFW_CLASSES } from './rating.js';
export { MIN_OBJECT_SCORE } from './detections.js';
export type { RgbFrame } from './frame-tensors.js';
