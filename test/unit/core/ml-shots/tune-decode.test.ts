import { describe, expect, it } from 'vitest';
import { parseDecodeParams } from '../../../../main/core/ml/shots/lstm-detector.js';
import { DEFAULT_DECODE } from '../../../../main/core/ml/shots/lstm-model.js';
import { tuneDecode, type ScoredVideo } from '../../../../main/core/ml/shots/training/tune-decode.js';

/** A video whose true dissolves score 0.95 and whose pans score a lukewarm 0.6 for dissolve. */
function video(): ScoredVideo {
  const n = 300;
  const probs = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) probs[i * 4] = 1;
  const dissolve = (a: number, b: number, p: number) => {
    for (let i = a; i <= b; i++) probs.set([1 - p, 0, p, 0], i * 4);
  };
  dissolve(40, 55, 0.95);
  dissolve(100, 120, 0.6);
  dissolve(200, 215, 0.95);
  dissolve(250, 270, 0.6);
  return {
    probs,
    frames: n,
    truth: [
      { type: 'dissolve', startFrame: 40, endFrame: 55 },
      { type: 'dissolve', startFrame: 200, endFrame: 215 },
    ],
  };
}

describe('decode tuning', () => {
  it('raises the dissolve bar above the lukewarm false alarms and leaves flat classes at the defaults', () => {
    const params = tuneDecode([video(), video()]);
    expect(params.dissolve.threshold > 0.6 || params.dissolve.minMean > 0.6).toBe(true);
    expect(params.fade).toEqual(DEFAULT_DECODE.fade);
    expect(params.dissolve.maxRun).toBe(DEFAULT_DECODE.dissolve.maxRun);
    expect(params.cut).toBe(DEFAULT_DECODE.cut);
  });

  it('reads decode.json strictly', () => {
    expect(parseDecodeParams(JSON.parse(JSON.stringify(DEFAULT_DECODE)))).toEqual(DEFAULT_DECODE);
    expect(() => parseDecodeParams({ ...DEFAULT_DECODE, cut: 2 })).toThrow(/cut/);
    expect(() => parseDecodeParams({ ...DEFAULT_DECODE, fade: { threshold: 0.5, minRun: 0, minMean: 0 } })).toThrow(/fade.minRun/);
    expect(() => parseDecodeParams(null)).toThrow();
    // maxRun is optional (older decode.json files): absent means runs of any length.
    const old = { cut: 0.5, dissolve: { threshold: 0.5, minRun: 4, minMean: 0 }, fade: { threshold: 0.4, minRun: 3, minMean: 0.8 } };
    expect(parseDecodeParams(old).dissolve.maxRun).toBeUndefined();
    expect(() => parseDecodeParams({ ...old, dissolve: { ...old.dissolve, maxRun: 2 } })).toThrow(/dissolve.maxRun/);
    expect(() => parseDecodeParams({ ...old, dissolve: { ...old.dissolve, maxRun: 4.5 } })).toThrow(/dissolve.maxRun/);
  });
});
