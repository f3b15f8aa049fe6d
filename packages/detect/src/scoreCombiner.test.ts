import { describe, expect, it } from 'vitest';
import { combineViews, dampedProbability, scoreFromProbability } from './scoreCombiner';
import type { ViewResult } from './scoreCombiner';

function view(p: number, confidence: number): ViewResult {
  return { view: 'spike', p, z: 50, confidence };
}

describe('combineViews', () => {
  it('damps a young view whose tail underflowed to p = 0 instead of scoring it 1', () => {
    const young = combineViews([view(0, 0.05)]);
    expect(young.score).toBeGreaterThan(0);
    expect(young.score).toBeLessThanOrEqual(0.05 + 1e-12);
  });

  it('never lets a view score above its confidence, however small its p', () => {
    for (const confidence of [0.01, 0.1, 0.3, 0.5, 0.9, 0.99]) {
      for (const p of [0, 1e-300, 1e-40, 1e-12]) {
        expect(combineViews([view(p, confidence)]).score).toBeLessThanOrEqual(confidence + 1e-12);
      }
    }
  });

  it('damps by confidence below saturation exactly as p^confidence', () => {
    expect(dampedProbability(view(1e-6, 0.5))).toBeCloseTo(1e-3, 12);
    expect(scoreFromProbability(dampedProbability(view(1e-6, 0.5)))).toBeCloseTo(0.3, 12);
  });

  it('leaves fully confident views alone: p = 0 still scores 1', () => {
    expect(combineViews([view(0, 1)]).score).toBe(1);
    expect(dampedProbability(view(1e-40, 1))).toBe(1e-40);
  });

  it('is monotone: the more confident of two equal views wins, Bonferroni over all views', () => {
    const combined = combineViews([view(0, 0.2), { view: 'levelShift', p: 0, z: 9, confidence: 0.6 }]);
    expect(combined.top?.view).toBe('levelShift');
    expect(combined.p).toBeCloseTo(2 * Math.pow(1e-10, 0.6), 12);
  });
});
