import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, effectiveZoom, parseView, pinView, serializeView, type ViewState } from './viewState';

describe('parseView', () => {
  it('gives the defaults for an empty query', () => {
    expect(parseView('')).toEqual({ view: DEFAULT_VIEW, problems: [] });
  });

  it('reads every part of a view', () => {
    const { view, problems } = parseView(
      '?from=100&to=700&interval=days&zoom=200-400&metrics=conn.count,conn.state&modes=conn.state:heatmap&metric=bytes.out&cidr=10.0.0.0/8&sort=ip&live=0',
    );
    expect(problems).toEqual([]);
    expect(view).toEqual({
      range: { kind: 'custom', from: 100, to: 700 },
      interval: 'days',
      zoom: { from: 200, to: 400 },
      metrics: ['conn.count', 'conn.state'],
      modes: { 'conn.state': 'heatmap' },
      metric: 'bytes.out',
      cidr: '10.0.0.0/8',
      sort: 'ip',
      live: false,
    });
  });

  it.each([
    ['?range=2d', 'range', 'must be one of 1h, 24h, 7d, 12w'],
    ['?from=500&to=100', 'from', 'must be before to'],
    ['?from=yesterday&to=100', 'from', 'must be unix seconds or an ISO-8601 date-time'],
    ['?zoom=400-200', 'zoom', 'with from before to'],
    ['?metrics=conn.count,DROP TABLE', 'metrics', 'must be metric names'],
    ['?modes=conn.count:pie', 'modes', 'must be <metric>:<line|bars|stacked|heatmap>'],
    ['?cidr=10.0.0.0/40', 'cidr', 'the prefix length must be 0 to 32'],
    ['?sort=size', 'sort', 'must be one of'],
    ['?live=yes', 'live', 'must be 0 (paused) or 1'],
    ['?interval=Days!', 'interval', 'must be an interval name'],
  ])('reports %s as a problem with %s and keeps the default', (search, parameter, message) => {
    const { view, problems } = parseView(search);
    expect(problems).toEqual([{ parameter, message: expect.stringContaining(message) }]);
    expect(view.range).toEqual(DEFAULT_VIEW.range);
  });
});

describe('serializeView', () => {
  it('leaves defaults out', () => {
    expect(serializeView(DEFAULT_VIEW)).toBe('');
  });

  it('round-trips through parseView', () => {
    const view: ViewState = {
      range: { kind: 'preset', preset: '7d' },
      interval: 'months',
      zoom: { from: 10, to: 20 },
      metrics: ['a.b', 'c'],
      modes: { c: 'bars', 'a.b': 'heatmap' },
      metric: 'c',
      cidr: '2001:db8::/32',
      sort: 'value',
      live: false,
    };
    const text = serializeView(view);
    expect(text).toBe('?range=7d&interval=months&zoom=10-20&metrics=a.b,c&modes=a.b:heatmap,c:bars&metric=c&cidr=2001:db8::/32&sort=value&live=0');
    expect(parseView(text)).toEqual({ view, problems: [] });
  });
});

describe('pinView', () => {
  it('turns a relative range into the absolute window it covers now', () => {
    const pinned = pinView({ ...DEFAULT_VIEW, range: { kind: 'preset', preset: '1h' } }, 7200);
    expect(pinned.range).toEqual({ kind: 'custom', from: 3600, to: 7200 });
  });

  it('does not mutate the view', () => {
    const view: ViewState = { ...DEFAULT_VIEW, range: { kind: 'preset', preset: '1h' } };
    const copy = structuredClone(view);
    pinView(view, 7200);
    expect(view).toEqual(copy);
  });
});

describe('effectiveZoom', () => {
  const range = { from: 0, to: 100 };
  it.each([
    [undefined, undefined],
    [{ from: 10, to: 20 }, { from: 10, to: 20 }],
    [{ from: -10, to: 20 }, { from: 0, to: 20 }],
    [{ from: 200, to: 300 }, undefined],
    [{ from: 0, to: 100 }, undefined],
  ])('clips %j to %j', (zoom, expected) => {
    expect(effectiveZoom(zoom, range)).toEqual(expected);
  });
});
