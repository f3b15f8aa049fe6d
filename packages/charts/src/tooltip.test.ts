import { describe, expect, it } from 'vitest';
import { alertAreas } from './alertAreas';
import type { ChartAlert } from './chartOption';
import { axisTooltipFormatter, tooltipHtml } from './tooltip';

const alert: ChartAlert = {
  id: 'a1',
  metric: 'conn.count',
  severity: 'high',
  status: 'new',
  start: 120,
  end: 240,
  expected: 12,
  observed: 480,
  explanation: 'Connections 40× the usual <level>',
};

describe('tooltipHtml', () => {
  it('shows the UTC time, each value and the covering alerts, escaped', () => {
    const html = tooltipHtml(180, [{ name: 'conn.count', value: 1234 }], 'connections', [alert]);
    expect(html).toContain('1970-01-01 00:03 UTC');
    expect(html).toContain('conn.count: <b>1,234</b>');
    expect(html).toContain('HIGH alert');
    expect(html).toContain('expected 12, observed 480');
    expect(html).toContain('40× the usual &#60;level&#62;');
    expect(html).not.toContain('<level>');
  });
});

describe('axisTooltipFormatter', () => {
  const areas = alertAreas([alert], { from: 0, to: 600 }, 60);
  const format = axisTooltipFormatter('connections', areas);
  const param = (ms: number, v: number) => ({
    componentType: 'series',
    componentSubType: 'line',
    componentIndex: 0,
    seriesName: 'conn.count',
    name: '',
    dataIndex: 0,
    data: [ms, v],
    value: [ms, v],
    $vars: [],
  });

  it('explains the alert inside its area', () => {
    expect(format([param(180_000, 7)])).toContain('Connections 40×');
  });

  it('says nothing about the alert outside its area', () => {
    const html = format([param(300_000, 7)]);
    expect(html).toContain('conn.count: <b>7</b>');
    expect(html).not.toContain('alert');
  });
});
