import { describe, expect, it } from 'vitest';
import type { MetricInfo } from '@ipscope/api';
import { defaultMetrics, MAX_METRICS } from './defaultMetrics';

const metric = (name: string, intervals: string[]): MetricInfo => ({ name, type: 'count', key: 'resp', unit: 'connections', description: '', intervals, ranked: true });

describe('defaultMetrics', () => {
  it('keeps the catalog order and only metrics stored at the interval', () => {
    expect(defaultMetrics([metric('b', ['days']), metric('a', ['days', 'months']), metric('c', ['months'])], 'days')).toEqual(['b', 'a']);
  });

  it('leaves out unbounded histograms (peers by IP), which the peers table shows', () => {
    const peers: MetricInfo = { ...metric('conn.peer.orig.bytes', ['months']), type: 'histogram', unbounded: true };
    expect(defaultMetrics([metric('a', ['days', 'months']), peers, { ...metric('h', ['months']), type: 'histogram' }], 'months')).toEqual(['a', 'h']);
  });

  it('asks for no more metrics than the API takes', () => {
    const many = Array.from({ length: 40 }, (_, i) => metric(`m${i}`, ['days']));
    expect(defaultMetrics(many, 'days')).toHaveLength(MAX_METRICS);
  });
});
