// Turns CenterNet's `tower_0/detections` rows into DetectedObjects. Ported from
// @vladmandic/human 3.3.6 src/object/centernet.ts: the same row layout, the same class indexing,
// and the same class-agnostic non-max suppression (human runs one NMS over all classes, so a
// box labelled both "car" and "truck" keeps only its better label).
import type { DetectedObject } from '../../../shared/types.js';
import { COCO_LABELS } from './coco-labels.js';

/** Values per row: x1, y1, x2, y2 (pixels of the model input), score, class index. */
export const DETECTION_ROW = 6;

/**
 * Lowest score kept. Human's default (0.2) suits a live camera where the next frame corrects
 * mistakes; tags stored per clip need fewer false alarms. On the darknet test photos the clear
 * objects score 0.43–0.67, while at 0.2–0.3 the same box comes back as several animals
 * (person.jpg's horse: sheep 0.29, horse 0.28, cow 0.24), so lowering this buys wrong labels.
 */
export const MIN_OBJECT_SCORE = 0.3;

/** Boxes overlapping a better one by more than this are the same object (human's default). */
export const NMS_IOU = 0.4;

/** At most this many objects per frame; CenterNet proposes 100, almost all near zero. */
export const MAX_OBJECTS = 20;

type Box = DetectedObject['box'];

export function iou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

export interface DecodeOptions {
  minScore?: number;
  iouThreshold?: number;
  maxObjects?: number;
}

/**
 * @param rows the [1, N, 6] output flattened (row-major), as `tensor.data()` returns it.
 * @param inputSize side of the square model input the coordinates are in (512).
 */
export function decodeDetections(rows: ArrayLike<number>, inputSize: number, opts: DecodeOptions = {}): DetectedObject[] {
  const minScore = opts.minScore ?? MIN_OBJECT_SCORE;
  const iouThreshold = opts.iouThreshold ?? NMS_IOU;
  const maxObjects = opts.maxObjects ?? MAX_OBJECTS;
  const candidates: DetectedObject[] = [];
  for (let r = 0; r + DETECTION_ROW <= rows.length; r += DETECTION_ROW) {
    const score = rows[r + 4] ?? Number.NaN;
    const label = COCO_LABELS[rows[r + 5] ?? Number.NaN];
    // `!(score >= min)` also drops NaN scores; unknown or NaN classes have no label.
    if (!(score >= minScore) || label === undefined) continue;
    // Boxes can poke a pixel or two outside the input; the contract says 0..1.
    const box: Box = [0, 1, 2, 3].map((i) => clamp01((rows[r + i] ?? 0) / inputSize)) as Box;
    if (box[2] <= box[0] || box[3] <= box[1]) continue;
    candidates.push({ label, score, box });
  }
  candidates.sort((a, b) => b.score - a.score);
  const kept: DetectedObject[] = [];
  for (const c of candidates) {
    if (kept.length >= maxObjects) break;
    if (kept.every((k) => iou(k.box, c.box) <= iouThreshold)) kept.push(c);
  }
  return kept;
}
