import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from './errors';
import { normalSurvival, chiSquareToZ } from './normalTail';
import { forward, inverse, parseTransform, slope } from './transform';

describe('transform', () => {
  it.each([0, 1, 7.5, 1e9, -3, -1e6])('log transform round-trips %f', (x) => {
    for (const offset of [1, 0.5, 1000]) expect(Math.abs(inverse(1, forward(1, x, offset), offset) - x)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x)));
  });

  it('keeps values well below the offset near zero and spaces multiples evenly above it', () => {
    expect(forward(1, 10, 1000)).toBeLessThan(0.01);
    expect(forward(1, 1e6, 1) - forward(1, 1e5, 1)).toBeCloseTo(forward(1, 1e7, 1) - forward(1, 1e6, 1), 4);
    expect(slope(1, 0, 1000)).toBeCloseTo(1e-3);
  });

  it('rejects unknown transform names', () => {
    expect(() => parseTransform('sqrt')).toThrow(InvalidOptionError);
  });
});

describe('normal tail', () => {
  it.each([
    [0, 0.5],
    [1, 0.158655],
    [3, 0.0013499],
    [6, 9.866e-10],
  ])('P(Z > %f) ≈ %f', (x, p) => {
    expect(normalSurvival(x) / p).toBeCloseTo(1, 3);
  });

  it('maps a chi-square at its mean to about 0 and a far larger one to a large deviate', () => {
    expect(Math.abs(chiSquareToZ(10, 10))).toBeLessThan(0.3);
    expect(chiSquareToZ(100, 10)).toBeGreaterThan(7);
  });
});
