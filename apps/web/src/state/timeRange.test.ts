import { describe, expect, it } from 'vitest';
import { chooseInterval, DEFAULT_INTERVALS, describeRange, isoMinute, parseIsoMinute, parseTime, PRESETS, resolveRange } from './timeRange';

describe('resolveRange', () => {
  it('ends a preset at the next whole minute so the current bucket is drawn', () => {
    expect(resolveRange({ kind: 'preset', preset: '1h' }, 1_000_030)).toEqual({ from: 1_000_080 - 3600, to: 1_000_080 });
  });

  it('keeps a custom range as it is', () => {
    expect(resolveRange({ kind: 'custom', from: 10, to: 20 }, 99)).toEqual({ from: 10, to: 20 });
  });
});

describe('chooseInterval', () => {
  const window = (seconds: number) => ({ from: 10_000_000 - seconds, to: 10_000_000 });
  it.each([
    ['1h', 'days'],
    ['24h', 'days'],
    ['7d', 'months'],
    ['12w', 'months'],
  ] as const)('picks %s → %s', (preset, interval) => {
    expect(chooseInterval(window(PRESETS[preset].seconds), DEFAULT_INTERVALS)).toBe(interval);
  });

  it('falls back to the coarsest interval when nothing keeps the whole window', () => {
    expect(chooseInterval(window(400 * 86_400), DEFAULT_INTERVALS)).toBe('months');
  });

  it('works from whatever intervals the catalog defines', () => {
    const intervals = [
      { name: 'hours', step: 3600, steps: 10_000 },
      { name: 'secs', step: 10, steps: 1000 },
    ];
    expect(chooseInterval(window(600), intervals)).toBe('secs');
    expect(chooseInterval(window(86_400), intervals)).toBe('hours');
  });
});

describe('time text', () => {
  it('round-trips datetime-local values in UTC', () => {
    expect(parseIsoMinute(isoMinute(1_700_000_040))).toBe(1_700_000_040);
  });

  it.each(['', '2024-13-01T00:00', 'yesterday', '2024-05-01'])('rejects %j as a datetime-local value', (text) => {
    expect(parseIsoMinute(text)).toBeUndefined();
  });

  it.each([
    ['1700000000', 1_700_000_000],
    ['2023-11-14T22:13:20Z', 1_700_000_000],
    ['-5', undefined],
    ['soon', undefined],
  ] as const)('parses %s as %s', (text, value) => {
    expect(parseTime(text)).toBe(value);
  });

  it('describes ranges for headings', () => {
    expect(describeRange({ kind: 'preset', preset: '7d' })).toBe('Last 7 days');
    expect(describeRange({ kind: 'custom', from: 0, to: 3600 })).toBe('1970-01-01T00:00 – 1970-01-01T01:00 UTC');
  });
});
