import { describe, expect, it } from 'vitest';
import type { ResolvedInterval } from '@ipscope/timeseries';
import { BadRequestError } from './errors';
import { resolveTimeRange } from './timeRange';

const days: ResolvedInterval = { name: 'days', step: 60, steps: 2880, resolution: 60, chunk: 60 };
const months: ResolvedInterval = { name: 'months', step: 1800, steps: 4032, resolution: 1800, chunk: 48 };
const T = 1_714_564_800;

describe('resolveTimeRange', () => {
  it('widens a given range to bucket edges', () => {
    expect(resolveTimeRange({ from: T + 30, to: T + 90 }, days, null, 0)).toEqual({ from: T, to: T + 120 });
  });

  it('ends by default with the bucket holding the newest data, 360 buckets long', () => {
    expect(resolveTimeRange({}, days, T + 125, T + 99_999)).toEqual({ from: T + 180 - 360 * 60, to: T + 180 });
  });

  it('falls back to the wall clock when the store is empty', () => {
    expect(resolveTimeRange({}, days, null, T + 10)).toEqual({ from: T + 60 - 360 * 60, to: T + 60 });
  });

  it('keeps the default span within retention', () => {
    const short: ResolvedInterval = { ...days, steps: 100 };
    expect(resolveTimeRange({ to: T }, short, null, 0)).toEqual({ from: T - 6000, to: T });
  });

  it('takes a from on its own, ending at the newest data', () => {
    expect(resolveTimeRange({ from: T }, months, T + 7200, 0)).toEqual({ from: T, to: T + 9000 });
  });

  it.each([
    [{ from: T + 60, to: T }, 'from', 'must be before to (from 2024-05-01T12:01:00Z, to 2024-05-01T12:00:00Z)'],
    [{ from: T, to: T }, 'from', 'must be before to'],
    [{ from: T + 99_999 }, 'from', 'must be before to'],
    [{ from: T, to: T + 2 * 86_400 + 60 }, 'from', 'the range spans 2881 min, more than interval days keeps (2 d: 2880 steps of 1 min)'],
  ])('rejects %j naming %s', (query, parameter, message) => {
    try {
      resolveTimeRange(query, days, T, T);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).parameter).toBe(parameter);
      expect((error as BadRequestError).message).toContain(message);
    }
  });

  it('accepts exactly the retention span', () => {
    expect(resolveTimeRange({ from: T, to: T + 2 * 86_400 }, days, null, 0)).toEqual({ from: T, to: T + 2 * 86_400 });
  });
});
