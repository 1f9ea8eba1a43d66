import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { COCO_LABELS } from '../../../../main/core/ml/coco-labels.js';
import { decodeDetections, iou, MAX_OBJECTS, MIN_OBJECT_SCORE } from '../../../../main/core/ml/detections.js';

/** A [1,100,6] tensor like CenterNet's `tower_0/detections`, zero-score rows after `rows`. */
function detectionsTensor(rows: number[][]): tf.Tensor3D {
  const data = new Float32Array(100 * 6);
  rows.forEach((row, i) => data.set(row, i * 6));
  return tf.tensor3d(data, [1, 100, 6]);
}

describe('COCO_LABELS', () => {
  it('has the 80 classes in CenterNet order (0 = person)', () => {
    expect(COCO_LABELS).toHaveLength(80);
    expect(COCO_LABELS[0]).toBe('person');
    expect(COCO_LABELS[14]).toBe('bird');
    expect(COCO_LABELS[16]).toBe('dog');
    expect(COCO_LABELS[79]).toBe('toothbrush');
  });
});

describe('decodeDetections', () => {
  it('decodes a hand-made [1,100,6] tensor into labelled, normalised boxes, best first', async () => {
    const t = detectionsTensor([
      [83, 184, 208, 482, 0.43, 16], // dog
      [149, 132, 220, 453, 0.67, 0], // person
      [281, 92, 301, 121, 0.29, 12], // below the threshold
    ]);
    const objects = decodeDetections(await t.data(), 512);
    t.dispose();
    expect(objects.map((o) => o.label)).toEqual(['person', 'dog']);
    expect(objects[0]?.score).toBeCloseTo(0.67);
    const box = objects[1]?.box ?? [];
    [83 / 512, 184 / 512, 208 / 512, 482 / 512].forEach((v, i) => expect(box[i]).toBeCloseTo(v, 5));
  });

  it('clamps boxes into 0..1 and drops empty boxes, NaN and unknown classes', () => {
    const rows = [
      [-2, 188, 207, 530, 0.59, 17],
      [10, 10, 10, 50, 0.9, 1], // zero width
      [0, 0, 100, 100, 0.8, Number.NaN],
      [0, 0, 100, 100, 0.8, 80], // no class 80
      [0, 0, 100, 100, Number.NaN, 3],
    ].flat();
    const objects = decodeDetections(rows, 512);
    expect(objects).toHaveLength(1);
    expect(objects[0]?.label).toBe('horse');
    expect(objects[0]?.box[0]).toBe(0);
    expect(objects[0]?.box[3]).toBe(1);
  });

  it('suppresses overlaps across classes, as human does, but keeps separate objects', () => {
    const rows = [
      [314, 72, 456, 147, 0.56, 2], // car
      [314, 72, 456, 147, 0.32, 7], // truck on the same box
      [0, 300, 100, 400, 0.5, 2], // another car elsewhere
    ].flat();
    const objects = decodeDetections(rows, 512);
    expect(objects.map((o) => `${o.label}:${o.score.toFixed(2)}`)).toEqual(['car:0.56', 'car:0.50']);
  });

  it('uses the 0.3 score floor and caps the count', () => {
    expect(MIN_OBJECT_SCORE).toBe(0.3);
    const rows = Array.from({ length: 100 }, (_, i) => [(i % 10) * 50, Math.floor(i / 10) * 50, (i % 10) * 50 + 40, Math.floor(i / 10) * 50 + 40, 0.9, 0]).flat();
    expect(decodeDetections(rows, 512)).toHaveLength(MAX_OBJECTS);
    expect(decodeDetections([0, 0, 10, 10, 0.3, 0], 512)).toHaveLength(1);
    expect(decodeDetections([0, 0, 10, 10, 0.299, 0], 512)).toHaveLength(0);
  });

  it('iou is 1 for equal boxes, 0 for disjoint ones', () => {
    expect(iou([0, 0, 0.5, 0.5], [0, 0, 0.5, 0.5])).toBeCloseTo(1);
    expect(iou([0, 0, 0.5, 0.5], [0.5, 0.5, 1, 1])).toBe(0);
    expect(iou([0, 0, 0.5, 0.5], [0.25, 0, 0.75, 0.5])).toBeCloseTo(1 / 3);
  });
});
