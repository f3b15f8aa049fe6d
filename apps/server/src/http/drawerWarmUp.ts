import type { CatalogResponse, SeriesResponseV1 } from '@ipscope/api';
import type { LandingDrawJob } from './landingDrawing';

const FROM = 1_714_564_800;
const DAY = 86_400;
const STEP = 120;
const BANDS = ['SF', 'S0', 'REJ', 'RSTO', 'RSTR', 'OTH'];

/**
 * A made-up IP page of the usual shape (a day at two-minute points: two line charts and a
 * six-band stacked histogram, at the default width), drawn by each drawing thread when it starts:
 * V8 compiles ECharts' drawing code for the shapes it has run, so a thread that has drawn only a
 * tiny chart draws its first real pages several times slower.
 */
export function warmUpJob(): LandingDrawJob {
  const catalog: CatalogResponse = {
    metrics: [
      { name: 'warm.count', type: 'count', key: 'resp', unit: 'connections', description: 'Warm-up', intervals: ['days'], ranked: true },
      { name: 'warm.bytes', type: 'count', key: 'resp', unit: 'bytes', description: '', intervals: ['days'], ranked: true },
      { name: 'warm.state', type: 'histogram', key: 'resp', unit: 'connections', description: '', intervals: ['days'], ranked: false, buckets: BANDS.map((value) => ({ value, label: value })) },
    ],
    intervals: [{ name: 'days', step: 60, steps: 2880 }],
  };
  const times = Array.from({ length: DAY / STEP }, (_, i) => FROM + i * STEP);
  const answer: SeriesResponseV1 = {
    ip: '192.0.2.1',
    interval: 'days',
    bucketStep: 60,
    from: FROM,
    to: FROM + DAY,
    downsampling: { method: 'condense', factor: STEP / 60, step: STEP, aggregation: { 'warm.count': 'sum', 'warm.bytes': 'sum', 'warm.state': 'merge' } },
    series: [
      { kind: 'number', metric: 'warm.count', type: 'count', unit: 'connections', points: times.map((t, i): [number, number] => [t, (i * 7) % 13]) },
      { kind: 'number', metric: 'warm.bytes', type: 'count', unit: 'bytes', points: times.map((t, i): [number, number] => [t, ((i * 31) % 17) * 1500]) },
      {
        kind: 'histogram',
        metric: 'warm.state',
        type: 'histogram',
        unit: 'connections',
        points: times.map((t, i): [number, Record<string, number>] => [t, Object.fromEntries(BANDS.map((b, k) => [b, (i + k * 3) % (k + 2)]))]),
      },
    ],
  };
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  return {
    location: { pathname: '/ip/192.0.2.1', search: `?from=${FROM}&to=${FROM + DAY}&live=0` },
    catalog,
    now: FROM + DAY,
    bodies: [encode(answer), encode({ items: [] })],
    theme: 'dark',
    width: 1243,
  };
}
