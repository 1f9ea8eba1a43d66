// Domain types shared by the core, the CLI, the transports and the renderer.
// Plain data only: no node, DOM or electron imports here.

/** What ffprobe tells us about a file, reduced to what Reeltag uses. */
export interface MediaInfo {
  /** Seconds; 0 when the container does not say. */
  durationSec: number;
  /** Average frame rate of the video stream (frames per second). */
  fps: number;
  /** Display size after rotation is applied (what the user sees). */
  width: number;
  height: number;
  /** Clockwise degrees a player must rotate the coded frames by. */
  rotation: 0 | 90 | 180 | 270;
  videoCodec: string;
  audioCodec: string | null;
  /** Frames in the video stream when the container says, else an estimate from duration × fps. */
  frameCount: number;
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  /** Bits per second of the whole file, 0 when unknown. */
  bitRate: number;
}

export type TransitionType = 'cut' | 'dissolve' | 'fade';

/**
 * A transition between two shots, in frame numbers counted from 0 in decode order.
 * For a cut, startFrame is the last frame of the old shot and endFrame the first of the new one.
 * For gradual transitions, [startFrame, endFrame] spans the frames that blend.
 */
export interface Transition {
  type: TransitionType;
  startFrame: number;
  endFrame: number;
  confidence: number;
}

export type TagKind = 'object' | 'rating' | 'transition' | 'attribute' | 'custom';
export type TagSource = 'model' | 'user';

export interface ClipTag {
  name: string;
  kind: TagKind;
  /** 0..1; 1 for tags the user set by hand. */
  confidence: number;
  source: TagSource;
}

/** Content rating classes Reeltag reports (mapped from the NSFW head's five classes). */
export type RatingClass = 'neutral' | 'drawing' | 'suggestive' | 'explicit';
export const RATING_CLASSES: readonly RatingClass[] = ['neutral', 'drawing', 'suggestive', 'explicit'];

export interface DetectedObject {
  /** COCO-80 label, e.g. "dog". */
  label: string;
  score: number;
  /** Normalised [x1, y1, x2, y2] in 0..1 of the frame. */
  box: [number, number, number, number];
}

/** CNN output for one sampled frame. */
export interface FrameAnalysis {
  /** Seconds from the start of the video. */
  time: number;
  /** MobileNetV2 feature vector (1792-d), L2-normalised. */
  embedding: Float32Array;
  rating: Record<RatingClass, number>;
  objects: DetectedObject[];
}

export type MediaStatus = 'pending' | 'ok' | 'error';

export interface MediaRecord {
  id: number;
  path: string;
  fileName: string;
  contentHash: string | null;
  sizeBytes: number;
  status: MediaStatus;
  error: string | null;
  info: MediaInfo | null;
  addedAt: number;
}

/** Where a clip sits in its video: what the pipeline stores and every clip view reads. */
export interface ClipExtent {
  /** Seconds. */
  start: number;
  end: number;
  startFrame: number;
  /** Inclusive. */
  endFrame: number;
  /** Transition that opens / closes the clip; null at the start / end of the video or for a split. */
  startTransition: TransitionType | null;
  endTransition: TransitionType | null;
}

export interface ClipRecord extends ClipExtent {
  id: number;
  mediaId: number;
  mediaPath: string;
  tags: ClipTag[];
  hasThumbnail: boolean;
}

export type JobStatus = 'pending' | 'running' | 'done' | 'error';
export type JobKind = 'ingest';

/** One entry of the persistent job queue. */
export interface JobRecord {
  id: number;
  kind: JobKind;
  path: string;
  status: JobStatus;
  error: string | null;
  mediaId: number | null;
  attempts: number;
  createdAt: number;
  updatedAt: number;
}

/** Cross-validated quality of a custom tag's model on the user's own examples. */
export interface TagQuality {
  precision: number;
  recall: number;
  f1: number;
  /** Folds of the cross-validation (0 when there were too few examples to hold any out). */
  folds: number;
}

/** A custom tag's trained model, as the UI and the CLI show it. */
export interface TagModelInfo {
  name: string;
  /** Clips scoring at or above it carry the tag (as a model tag). */
  threshold: number;
  /** Threshold that maximised F1 across the cross-validation folds. */
  suggestedThreshold: number;
  /** At `threshold`, on the held-out examples of the cross-validation. */
  quality: TagQuality;
  /** [score, label] of every held-out example, for showing the quality at another threshold. */
  heldOut: Array<[number, number]>;
  examples: {
    /** Clips the user tagged by hand. */
    positives: number;
    /** Clips the user said "not this" for. */
    negatives: number;
    /** Untagged clips least like the positives, used as negatives with a lower weight. */
    background: number;
  };
  /** Clips now carrying the tag from the model (user rows not counted). */
  tagged: number;
  /** Clips the model scored. */
  scored: number;
  version: number;
  trainedAt: number;
}

/** A clip with a score: "more like this" (cosine similarity) or a custom tag's confidence. */
export interface ScoredClip {
  clip: ClipRecord;
  score: number;
}
