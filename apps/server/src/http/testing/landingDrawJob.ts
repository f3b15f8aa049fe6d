import type { Alert, CatalogResponse, SeriesResponseV1 } from '@ipscope/api';
import type { LandingDrawJob } from '../landingDrawing';

/** 2024-05-01T12:00:00Z; an hour of minute points follows. */
export const JOB_FROM = 1_714_564_800;
export const JOB_TO = JOB_FROM + 3600;

const catalog: CatalogResponse = {
  metrics: [
    { name: 'conn.count.resp', type: 'count', key: 'resp', unit: 'connections', description: 'Connections answered', intervals: ['days'], ranked: true },
    { name: 'conn.count.orig', type: 'count', key: 'orig', unit: 'connections', description: '', intervals: ['days'], ranked: true },
    { name: 'conn.bytes.resp', type: 'count', key: 'resp', unit: 'bytes', description: '', intervals: ['days'], ranked: true },
    {
      name: 'conn.state.resp',
      type: 'histogram',
      key: 'resp',
      unit: 'connections',
      description: 'Connection states',
      intervals: ['days'],
      ranked: false,
      buckets: [
        { value: 'SF', label: 'normal' },
        { value: 'REJ', label: 'rejected' },
      ],
    },
  ],
  intervals: [{ name: 'days', step: 60, steps: 2880 }],
};

/**
 * An IP page's answers as the server reads them (JSON bodies: one series part, then the
 * alerts), for drawing tests: three metrics with data (one a two-band histogram) and one
 * all-zero metric with an alert, so four charts. `search` is appended to the page's view.
 */
export function landingDrawJob(options: { theme?: 'dark' | 'light'; width?: number; search?: string; empty?: boolean } = {}): LandingDrawJob {
  const points = Array.from({ length: 60 }, (_, i) => [JOB_FROM + i * 60, options.empty ? 0 : (i * 7) % 11] as [number, number]);
  const answer = {
    ip: '10.0.0.1',
    interval: 'days',
    from: JOB_FROM,
    to: JOB_TO,
    downsampling: { method: 'none', step: 60, aggregation: {} },
    series: [
      { kind: 'number', metric: 'conn.count.resp', type: 'count', unit: 'connections', points },
      { kind: 'number', metric: 'conn.count.orig', type: 'count', unit: 'connections', points: points.map(([t]) => [t, 0]) },
      { kind: 'number', metric: 'conn.bytes.resp', type: 'count', unit: 'bytes', points: points.map(([t, v]) => [t, v * 1000]) },
      { kind: 'histogram', metric: 'conn.state.resp', type: 'histogram', unit: 'connections', points: points.map(([t, v]) => [t, { SF: v, REJ: v % 3 }]) },
    ],
  } as SeriesResponseV1;
  const alert = { id: 'a1', ip: '10.0.0.1', metric: 'conn.count.orig', severity: 'high', state: 'active', status: 'new', start: JOB_FROM + 600, end: null } as unknown as Alert;
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  return {
    location: { pathname: '/ip/10.0.0.1', search: `?from=${JOB_FROM}&to=${JOB_TO}&live=0${options.search ?? ''}` },
    catalog,
    now: JOB_TO,
    bodies: [encode(answer), encode({ items: options.empty ? [] : [alert] })],
    theme: options.theme ?? 'dark',
    width: options.width ?? 900,
  };
}
