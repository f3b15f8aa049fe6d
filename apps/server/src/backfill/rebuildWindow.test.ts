import { describe, expect, it } from 'vitest';
import { createStore } from '@ipscope/timeseries';
import { Redis } from 'ioredis';
import { BackfillError } from './backfillError';
import { inWindow, rebuildAlignment, rebuildWindow } from './rebuildWindow';

const redis = new Redis({ lazyConnect: true });
const config = createStore(redis, {
  metrics: { both: { type: 'count', intervals: ['days', 'months'] }, fine: { type: 'count', intervals: ['days'] }, odd: { type: 'count', intervals: ['odd'] } },
  intervals: { days: { step: 60, steps: 10 }, months: { step: 1800, steps: 10 }, odd: { step: 420, steps: 10 } },
}).config;

describe('rebuildAlignment', () => {
  it.each([
    [['both'], 1800],
    [['fine'], 60],
    [['fine', 'odd'], 420],
    [['both', 'odd'], 12600],
  ])('%j: every bucket boundary of the metrics falls on a multiple of %i s', (metrics, expected) => {
    expect(rebuildAlignment(config, metrics)).toBe(expected);
  });

  it('refuses a metric the catalog does not know, listing the known ones', () => {
    expect(() => rebuildAlignment(config, ['nope'])).toThrow(BackfillError);
    expect(() => rebuildAlignment(config, ['nope'])).toThrow(/"nope" is not in the metric catalog \(known: both, fine, odd\)/);
  });
});

describe('rebuildWindow', () => {
  it('rounds the cut and the start down to the alignment', () => {
    expect(rebuildWindow(1800 * 10 + 1799, 1800 * 3 + 5, 1800)).toEqual({ since: 1800 * 3, before: 1800 * 10 });
    expect(rebuildWindow(1800 * 10, undefined, 1800)).toEqual({ since: null, before: 1800 * 10 });
  });

  it('refuses a window that rounds to nothing', () => {
    expect(() => rebuildWindow(1800 * 10 + 100, 1800 * 10 + 5, 1800)).toThrow(/leave nothing to rebuild/);
  });

  it.each([
    [1800 * 3 - 1, false],
    [1800 * 3, true],
    [1800 * 10 - 1, true],
    [1800 * 10, false],
  ])('replays an event at %i: %s', (ts, expected) => {
    expect(inWindow({ since: 1800 * 3, before: 1800 * 10 }, ts)).toBe(expected);
    expect(inWindow({ since: null, before: 1800 * 10 }, ts)).toBe(ts < 1800 * 10);
  });
});
