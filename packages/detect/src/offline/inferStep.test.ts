import { describe, expect, it } from 'vitest';
import { inferStep } from './inferStep';

describe('inferStep', () => {
  it.each<[string, number[], number | undefined]>([
    ['a regular series', [0, 60, 120, 180], 60],
    ['a missing second row', [0, 600, 900, 1200, 1500], 300],
    ['duplicates and a row out of order', [0, 60, 60, 180, 120, 240, 300], 60],
    ['a tie, which goes to the smaller gap', [0, 60, 90], 30],
    ['fractional index steps', [0, 0.5, 1, 1.5], 0.5],
    ['one row', [7], undefined],
    ['no positive gap', [5, 5, 4], undefined],
  ])('takes the most common gap: %s', (_name, seconds, step) => {
    expect(inferStep(seconds)).toBe(step);
  });
});
