import { describe, expect, it } from 'vitest';
import type { MetricInfo } from '@ipscope/api';
import { defaultTopMetric } from './defaultTopMetric';

const m = (name: string, type: MetricInfo['type'], key: MetricInfo['key'], unit = 'connections'): MetricInfo => ({ name, type, key, unit, description: '', intervals: ['days'], ranked: true });

describe('defaultTopMetric', () => {
  it('prefers the count of connections an IP answered', () => {
    expect(defaultTopMetric([m('conn.bytes.resp', 'count', 'resp', 'bytes'), m('conn.count.orig', 'count', 'orig'), m('conn.count.resp', 'count', 'resp')])).toBe('conn.count.resp');
  });

  it('falls back to the first count, then the first metric, then nothing', () => {
    expect(defaultTopMetric([m('a', 'hll', 'orig'), m('b', 'count', 'orig')])).toBe('b');
    expect(defaultTopMetric([m('a', 'hll', 'orig')])).toBe('a');
    expect(defaultTopMetric([])).toBeUndefined();
  });
});
