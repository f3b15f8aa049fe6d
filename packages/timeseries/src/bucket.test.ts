import { describe, expect, it } from 'vitest';
import { bucketIndex, bucketStart, chunkOf, cutoffIndex, cutoffTs, expiryTs } from './bucket';
import type { ResolvedInterval } from './options';

const days: ResolvedInterval = { name: 'days', step: 60, steps: 2880, resolution: 60, chunk: 60 };
const fine: ResolvedInterval = { name: 'fine', step: 3600, steps: 24, resolution: 60, chunk: 60 };

describe('buckets', () => {
  it.each([
    [0, 0],
    [59.999, 0],
    [60, 60],
    [1_700_000_059.5, 1_700_000_040],
  ])('rounds %d down to the step start %d', (ts, start) => {
    expect(bucketStart(ts, days)).toBe(start);
    expect(bucketIndex(ts, days)).toBe(start / 60);
  });

  it('uses the resolution as bucket width', () => {
    expect(bucketStart(3700, fine)).toBe(3660);
  });

  it('keeps the last `steps` steps ending with the newest data', () => {
    const newest = 1_700_000_000; // 22:13:20Z
    const cutoff = cutoffTs(days, newest);
    expect(cutoff).toBe(bucketStart(newest, days) - 2879 * 60);
    expect(cutoffIndex(days, newest)).toBe(cutoff / 60);
    // with a resolution, retention counts whole steps
    expect(cutoffTs(fine, 7300)).toBe(7200 - 23 * 3600);
  });

  it('says when written data stops being visible', () => {
    const ts = 1_000_030;
    const expiry = expiryTs(days, ts);
    expect(cutoffTs(days, expiry - 1)).toBeLessThanOrEqual(ts);
    expect(cutoffTs(days, expiry)).toBeGreaterThan(ts);
  });

  it('groups buckets into chunks', () => {
    expect(chunkOf(59, days)).toBe(0);
    expect(chunkOf(60, days)).toBe(1);
  });
});
