import { describe, expect, it } from 'vitest';
import { evaluate, match, type Span } from '../../../../main/core/ml/shots/evaluate.js';
import { bestScdet, parseScdetScores, scdetPredictions } from '../../../../main/core/ml/shots/scdet.js';

const cut = (n: number): Span => ({ type: 'cut', startFrame: n - 1, endFrame: n });
const dissolve = (a: number, b: number): Span => ({ type: 'dissolve', startFrame: a, endFrame: b });
const fade = (a: number, b: number): Span => ({ type: 'fade', startFrame: a, endFrame: b });

describe('shot evaluation', () => {
  it('scores a perfect prediction 1 everywhere', () => {
    const truth = [cut(10), dissolve(40, 60), fade(100, 120)];
    const e = evaluate(truth, truth);
    expect(e.overall).toMatchObject({ precision: 1, recall: 1, f1: 1, tp: 3 });
    expect(e.byType.dissolve.f1).toBe(1);
  });

  it('matches within the tolerance only, one to one', () => {
    const truth = [cut(50)];
    expect(evaluate([cut(52)], truth, 2).overall.tp).toBe(1);
    expect(evaluate([cut(54)], truth, 2).overall.tp).toBe(0);
    // Two predictions at one truth: one hit, one false alarm.
    const e = evaluate([cut(50), cut(51)], truth, 2);
    expect(e.overall).toMatchObject({ tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1 });
  });

  it('counts a right place with the wrong type as found overall but wrong per type', () => {
    const e = evaluate([fade(40, 60)], [dissolve(40, 60)]);
    expect(e.overall.f1).toBe(1);
    expect(e.byType.dissolve).toMatchObject({ tp: 0, fn: 1 });
    expect(e.byType.fade).toMatchObject({ tp: 0, fp: 1 });
  });

  it('computes the known numbers of a mixed case', () => {
    // 3 true cuts, 1 true dissolve; predicted: 2 right cuts, 1 false cut, the dissolve as a dissolve.
    const truth = [cut(10), cut(30), cut(90), dissolve(50, 70)];
    const pred = [cut(10), cut(31), cut(200), dissolve(52, 68)];
    const e = evaluate(pred, truth);
    expect(e.byType.cut).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(e.byType.cut.f1).toBeCloseTo(2 / 3);
    expect(e.overall).toMatchObject({ tp: 3, fp: 1, fn: 1 });
    expect(match(pred, truth, 2).get(3)).toBe(3);
  });

  it("lets untyped scdet hits count for any type and its false alarms against every type", () => {
    const truth = [cut(10), fade(40, 60)];
    const pred: Span[] = [{ type: null, startFrame: 9, endFrame: 10 }, { type: null, startFrame: 49, endFrame: 50 }, { type: null, startFrame: 99, endFrame: 100 }];
    const e = evaluate(pred, truth);
    expect(e.byType.cut).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    expect(e.byType.fade).toMatchObject({ tp: 1, fp: 1, fn: 0 });
    expect(e.byType.dissolve).toMatchObject({ tp: 0, fp: 1, fn: 0 });
  });

  it('parses scdet scores and finds its best threshold', () => {
    const text = ['frame:0    pts:0       pts_time:0', 'lavfi.scd.score=0.000', 'frame:1    pts:1       pts_time:0.04', 'lavfi.scd.score=2.5', 'frame:2    pts:2       pts_time:0.08', 'lavfi.scd.score=40.1', 'frame:3    pts:3       pts_time:0.12', 'lavfi.scd.score=12.0'].join('\n');
    const scores = parseScdetScores(text);
    expect(Array.from(scores)).toEqual([0, 2.5, 40.1, 12]);
    expect(scdetPredictions(scores, 10).map((p) => p.endFrame)).toEqual([2, 3]);
    const best = bestScdet([scores], [[cut(2)]], 0);
    expect(best.threshold).toBeGreaterThan(12);
    expect(best.evaluation.overall.f1).toBe(1);
  });
});
