import { describe, expect, it } from 'vitest';
import { logBinEdges, logBinLabels, logBinner } from './logBins';

describe('log bins', () => {
  it('makes clean decimal edges and labels', () => {
    const edges = logBinEdges(0.01, 10000, 10);
    expect(edges).toEqual([0.01, 0.1, 1, 10, 100, 1000, 10000]);
    expect(logBinLabels(edges, 's')).toEqual(['<0.01s', '0.01-0.1s', '0.1-1s', '1-10s', '10-100s', '100-1000s', '1000-10000s', '>=10000s']);
  });

  it('stops at the first edge at or beyond max', () => {
    expect(logBinEdges(1, 50, 2)).toEqual([1, 2, 4, 8, 16, 32, 64]);
  });

  it.each([
    [0, '<1B'],
    [1, '1-4B'],
    [3.999, '1-4B'],
    [4, '4-16B'],
    [16, '>=16B'],
    [1e12, '>=16B'],
  ])('puts %s in %s, lower edge inclusive', (value, label) => {
    expect(logBinner(1, 16, 4, 'B')(value)).toBe(label);
  });

  it.each([
    [0, 0],
    [0.5, 0],
    [1, 1],
    [15, 4],
    [16, 16],
    [1e12, 16],
  ])('names the bin of %s by its lower edge %s', (value, edge) => {
    expect(logBinner(1, 16, 4, 'B', 'lowerEdge')(value)).toBe(edge);
  });
});
