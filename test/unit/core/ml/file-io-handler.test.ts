import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectedWeightBytes, fileIOHandler } from '../../../../main/core/ml/file-io-handler.js';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reeltag-io-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function tinyModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [4], units: 3, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 2 }));
  return model;
}

describe('fileIOHandler', () => {
  it('round-trips a model: save to files, load back, same predictions', async () => {
    const model = tinyModel();
    const file = path.join(dir, 'nested', 'model.json');
    await model.save(fileIOHandler(file));
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['model.json', 'weights.bin']);

    const loaded = await tf.loadLayersModel(fileIOHandler(file));
    const x = tf.tensor2d([[1, -2, 3, 0.5]]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('concatenates several weight shards in manifest order', async () => {
    await tinyModel().save(fileIOHandler(path.join(dir, 'model.json')));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    const bytes = fs.readFileSync(path.join(dir, 'weights.bin'));
    fs.writeFileSync(path.join(dir, 'a.bin'), bytes.subarray(0, 20));
    fs.writeFileSync(path.join(dir, 'b.bin'), bytes.subarray(20));
    const group = json.weightsManifest[0];
    if (!group) throw new Error('no manifest group');
    group.paths = ['a.bin', 'b.bin'];
    fs.writeFileSync(path.join(dir, 'split.json'), JSON.stringify(json));
    const artifacts = await fileIOHandler(path.join(dir, 'split.json')).load();
    expect(new Uint8Array(artifacts.weightData as ArrayBuffer)).toEqual(new Uint8Array(bytes));
  });

  it('says which file is short when the weights are truncated', async () => {
    await tinyModel().save(fileIOHandler(path.join(dir, 'model.json')));
    fs.truncateSync(path.join(dir, 'weights.bin'), 10);
    await expect(fileIOHandler(path.join(dir, 'model.json')).load()).rejects.toThrow(/weights hold 10 bytes, the manifest needs 92/);
  });

  it('refuses weight paths outside the model folder', async () => {
    const json = { modelTopology: {}, weightsManifest: [{ paths: ['../secret.bin'], weights: [] }] };
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    await expect(fileIOHandler(path.join(dir, 'model.json')).load()).rejects.toThrow(/leaves the model folder/);
  });
});

describe('expectedWeightBytes', () => {
  it('counts float, int and quantized weights; unknown for strings', () => {
    expect(
      expectedWeightBytes([
        { name: 'a', shape: [2, 3], dtype: 'float32' },
        { name: 'b', shape: [4], dtype: 'int32' },
        { name: 'c', shape: [10], dtype: 'float32', quantization: { dtype: 'uint8', min: 0, scale: 1 } },
        { name: 'd', shape: [], dtype: 'float32' },
      ]),
    ).toBe(24 + 16 + 10 + 4);
    expect(expectedWeightBytes([{ name: 's', shape: [1], dtype: 'string' }])).toBeNull();
  });
});
