import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fileIOHandler } from '../../../../main/core/ml/file-io-handler.js';
import { buildModel } from '../../../../main/core/ml/shots/lstm-model.js';
import { LSTM_FEATURES } from '../../../../main/core/ml/shots/lstm-features.js';
import { averageMembers, modelCard, type TrainReport } from '../../../../main/core/ml/shots/training/train.js';

const dirs: string[] = [];
afterEach(async () => {
  tf.disposeVariables();
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

/** A "trained" member folder: model.json + weights, and a training report naming its seeds. */
async function member(initSeed: number, report?: Record<string, unknown>): Promise<{ dir: string; model: tf.LayersModel }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rt-member-'));
  dirs.push(dir);
  const model = buildModel(8, initSeed);
  await model.save(fileIOHandler(path.join(dir, 'model.json')));
  if (report) await fs.writeFile(path.join(dir, 'training-report.json'), JSON.stringify(report));
  return { dir, model };
}

describe('train shots --average', () => {
  it('averages member folders into one model whose output is the mean of theirs, and lists the members', async () => {
    const a = await member(3, { seed: 3, epochs: 30, bestEpoch: 28, trainSeconds: 700, trainFrames: 85931 });
    const b = await member(4, { seed: 3, initSeed: 4, epochs: 30, bestEpoch: 23, trainSeconds: 760 });
    const c = await member(5);
    const { model, members } = await averageMembers([a.dir, b.dir, c.dir], 3, 8);
    const x = tf.randomNormal([2, 16, LSTM_FEATURES]);
    const want = tf.div(tf.addN([a.model, b.model, c.model].map((m) => m.predict(x) as tf.Tensor)), 3);
    expect(tf.sub(model.predict(x) as tf.Tensor, want).abs().max().dataSync()[0]!).toBeLessThan(1e-6);
    expect(model.countParams()).toBe(3 * a.model.countParams());
    expect(members).toEqual([
      { dir: a.dir, seed: 3, initSeed: 3, epochs: 30, bestEpoch: 28, trainSeconds: 700, trainFrames: 85931 },
      { dir: b.dir, seed: 3, initSeed: 4, epochs: 30, bestEpoch: 23, trainSeconds: 760 },
      { dir: c.dir },
    ]);

    // The average saves and loads back like any shot model (one model.json the detector reads).
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'rt-avg-'));
    dirs.push(out);
    await model.save(fileIOHandler(path.join(out, 'model.json')));
    const again = await averageMembers([out, out], 3, 8).catch((e: Error) => e);
    expect(again).toBeInstanceOf(Error); // an average is not a member: its weights do not fit one
  });

  it('refuses fewer than two members and members trained on another data seed (another tune set)', async () => {
    const a = await member(3, { seed: 3 });
    const b = await member(4, { seed: 4 });
    await expect(averageMembers([a.dir], 3, 8)).rejects.toThrow(/at least two/);
    await expect(averageMembers([a.dir, b.dir], 3, 8)).rejects.toThrow(/data of seed 4, not 3/);
  });

  it('writes a model card that says how to rebuild the average', () => {
    const s = { precision: 1, recall: 1, f1: 1, tp: 1, fp: 0, fn: 0 };
    const scores = { overall: s, byType: { cut: s, dissolve: s, fade: s } };
    const card = modelCard({
      seed: 3,
      members: [
        { dir: '/m/a', seed: 3, initSeed: 3, epochs: 30, bestEpoch: 28, trainSeconds: 600 },
        { dir: '/m/b', seed: 3, initSeed: 4, epochs: 30, bestEpoch: 23, trainSeconds: 660 },
      ],
      backend: 'cpu',
      trainVideos: 160,
      trainFrames: 1,
      valVideos: 40,
      valFrames: 1,
      tuneVideos: 40,
      tuneFrames: 1,
      recipeVersion: 2,
      epochs: 30,
      bestEpoch: 0,
      trainSeconds: 1260,
      decode: { cut: 0.5, dissolve: { threshold: 0.5, minRun: 4, minMean: 0 }, fade: { threshold: 0.5, minRun: 4, minMean: 0 } },
      tune: scores,
      lstm: scores,
      lstmDefaultDecode: scores,
      msPer1000Frames: 1,
      scdet: { ...scores, threshold: 9 },
      parameters: 1,
      weightBytes: 1,
    } as TrainReport);
    expect(card).toContain('reeltag train shots --seed 3 --average /m/a,/m/b');
    expect(card).toContain('`/m/b`: seed 3, init seed 4, best epoch 23 of 30, 11.0 min');
  });
});
