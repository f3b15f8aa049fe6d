import { describe, expect, it } from 'vitest';
import { alertAreas, alertsAt } from './alertAreas';
import type { ChartAlert } from './chartOption';

const alert = (over: Partial<ChartAlert>): ChartAlert => ({
  id: 'a',
  metric: 'conn.count',
  severity: 'medium',
  status: 'new',
  start: 600,
  end: 900,
  expected: 10,
  observed: 80,
  explanation: 'spike',
  ...over,
});

describe('alertAreas', () => {
  const window = { from: 0, to: 3600 };

  it('draws an alert from its start to its end', () => {
    expect(alertAreas([alert({})], window, 60).map(({ from, to }) => [from, to])).toEqual([[600, 900]]);
  });

  it('extends an open alert to the end of the window', () => {
    expect(alertAreas([alert({ end: null })], window, 60)[0]).toMatchObject({ from: 600, to: 3600 });
  });

  it('makes a one-bucket alert one step wide', () => {
    expect(alertAreas([alert({ start: 600, end: 600 })], window, 60)[0]).toMatchObject({ from: 600, to: 660 });
  });

  it('clips to the window and drops alerts outside it', () => {
    const areas = alertAreas([alert({ id: 'in', start: -100, end: 120 }), alert({ id: 'out', start: 4000, end: 5000 })], window, 60);
    expect(areas.map((a) => [a.alert.id, a.from, a.to])).toEqual([['in', 0, 120]]);
  });

  it('orders by severity so the most severe paints last', () => {
    const areas = alertAreas([alert({ id: 'h', severity: 'high' }), alert({ id: 'l', severity: 'low' })], window, 60);
    expect(areas.map((a) => a.alert.id)).toEqual(['l', 'h']);
  });

  it('does not mutate its input', () => {
    const input = [alert({ id: 'h', severity: 'high' }), alert({ id: 'l', severity: 'low' })];
    const copy = structuredClone(input);
    alertAreas(input, window, 60);
    expect(input).toEqual(copy);
  });
});

describe('alertsAt', () => {
  it('finds the alerts covering a time, end exclusive', () => {
    const areas = alertAreas([alert({ id: 'x', start: 600, end: 900 })], { from: 0, to: 3600 }, 60);
    expect(alertsAt(areas, 600).map((a) => a.id)).toEqual(['x']);
    expect(alertsAt(areas, 899).map((a) => a.id)).toEqual(['x']);
    expect(alertsAt(areas, 900)).toEqual([]);
  });
});
