import { describe, expect, it } from 'vitest';
import { sparklinePath } from './sparkline';

describe('sparklinePath', () => {
  it('draws nothing for no values', () => {
    expect(sparklinePath([], 100, 20)).toBe('');
  });

  it('puts zero at the bottom and the peak at the top', () => {
    expect(sparklinePath([0, 10, 5], 102, 22, 1)).toBe('M1,21L51,1L101,11');
  });

  it('draws a flat line at the bottom when everything is zero', () => {
    expect(sparklinePath([0, 0], 10, 10, 0)).toBe('M0,10L10,10');
  });

  it('draws one value as a horizontal line', () => {
    expect(sparklinePath([4], 10, 10, 0)).toBe('M0,0H10');
  });

  it('treats negative, missing and non-finite values as zero', () => {
    expect(sparklinePath([-3, Number.NaN, 2], 20, 10, 0)).toBe('M0,10L10,10L20,0');
    expect(sparklinePath([null, 2], 10, 10, 0)).toBe('M0,10L10,0');
  });

  it('does not mutate its input', () => {
    const values = [3, 1, 2];
    sparklinePath(values, 10, 10);
    expect(values).toEqual([3, 1, 2]);
  });
});
