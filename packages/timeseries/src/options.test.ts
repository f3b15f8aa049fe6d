import { describe, expect, it } from 'vitest';
import { resolveOptions, type StoreOptions } from './options';
import { ConfigError } from './errors';

const metrics = { bytes: { type: 'count' } } as const;

describe('resolveOptions', () => {
  it("fills the seed's defaults", () => {
    const c = resolveOptions({ metrics });
    expect(c.prefix).toBe('ips');
    expect(c.shards).toBe(16);
    expect(c.intervals.get('days')).toEqual({ name: 'days', step: 60, steps: 2880, resolution: 60, chunk: 60 });
    expect(c.intervals.get('months')).toEqual({ name: 'months', step: 1800, steps: 4032, resolution: 1800, chunk: 48 });
    expect(c.metrics.get('bytes')).toMatchObject({ type: 'count', kind: 'c', additive: true, top: true });
    expect(c.metrics.get('bytes')?.intervals.map((i) => i.name)).toEqual(['days', 'months']);
  });

  it('reads durations and resolutions', () => {
    const c = resolveOptions({ metrics, intervals: { hours: { step: '1h', steps: 48, resolution: '5m' }, weeks: { step: '1w', steps: 52 } } });
    expect(c.intervals.get('hours')).toEqual({ name: 'hours', step: 3600, steps: 48, resolution: 300, chunk: 36 });
    expect(c.intervals.get('weeks')?.chunk).toBe(1);
  });

  it.each<[Partial<StoreOptions>, RegExp]>([
    [{ prefix: 'a{b}' }, /prefix "a\{b\}" must be/],
    [{ metrics: {} }, /at least one metric/],
    [{ metrics: { 'a:b': { type: 'count' } } }, /metrics: name "a:b"/],
    [{ metrics: { a: { type: 'counter' as never } } }, /metrics\.a\.type must be one of series, histogram, count, gauge, set, hll/],
    [{ metrics: { a: { type: 'count', intervals: ['weeks'] } } }, /unknown interval "weeks"; known: days, months/],
    [{ metrics: { a: { type: 'count', intervals: [] } } }, /at least one of days, months/],
    [{ intervals: { days: { step: '1x', steps: 10 } } }, /intervals\.days\.step "1x" is not a duration/],
    [{ intervals: { days: { step: 60, steps: 0 } } }, /intervals\.days\.steps must be a whole number from 1/],
    [{ intervals: { days: { step: 60, steps: 10, resolution: 7 } } }, /resolution \(7s\) must divide step \(60s\)/],
    [{ intervals: {} }, /at least one interval/],
    [{ shards: 0 }, /shards must be a whole number from 1 to 1024, got 0; for example 16/],
    [{ maxFutureSeconds: -1 }, /maxFutureSeconds/],
    [{ metrics: { a: { type: 'hll', top: true } } }, /metrics\.a\.top: a hll cannot be ranked/],
  ])('refuses %o, naming the option', (patch, message) => {
    expect(() => resolveOptions({ metrics, ...patch } as StoreOptions)).toThrow(ConfigError);
    expect(() => resolveOptions({ metrics, ...patch } as StoreOptions)).toThrow(message);
  });
});
