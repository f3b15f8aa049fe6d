import type { MarkAreaComponentOption } from 'echarts';
import { alertAreas, severityColor, type AlertArea } from './alertAreas';
import { baseOption, valueAxis } from './baseOption';
import type { ChartContext, ChartOption, ChartTheme } from './chartOption';
import { describeNumbers } from './describe';
import { formatUtc } from './format';
import { alertLine, axisTooltipFormatter } from './tooltip';

/** A numeric series as the API returns it: `[unix seconds, value]` points; null where a gauge has no data (drawn as a gap). */
export interface NumberSeriesInput {
  metric: string;
  /** The metric type: counts may be drawn as bars; distinct counts and gauges always as lines. */
  type: 'count' | 'series' | 'gauge' | 'set' | 'hll' | 'histogram';
  unit: string;
  points: ReadonlyArray<readonly [number, number | null]>;
  /** Heading; defaults to the metric name. */
  title?: string | undefined;
}

/** How a count is drawn. */
export type CountMode = 'line' | 'bars';

/** The alert areas as an ECharts `markArea`, each labelled with its severity and explained in its own tooltip. */
export function alertMarkArea(areas: readonly AlertArea[], theme: ChartTheme): MarkAreaComponentOption {
  return {
    silent: false,
    label: { show: true, position: 'insideTop', fontSize: 10, color: theme === 'dark' ? '#fca5a5' : '#b91c1c' },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const item = Array.isArray(p) ? p[0] : p;
        const a = item ? areas[item.dataIndex]?.alert : undefined;
        // The same words as the axis tooltip: which of the two a hover shows depends on whether it lands on the area.
        return a ? `<div>since ${formatUtc(a.start)}</div>${alertLine(a)}` : '';
      },
    },
    data: areas.map((a) => [
      { name: `${a.alert.severity} alert`, xAxis: a.from * 1000, itemStyle: { color: severityColor(a.alert.severity, theme) } },
      { xAxis: a.to * 1000 },
    ]),
  };
}

/**
 * One numeric metric on the shared time axis: counts as a stepped line or bars, distinct
 * counts and gauges as lines, alerts as marked areas. Pure: neither input is touched.
 */
export function seriesToLineOption(series: NumberSeriesInput, ctx: ChartContext, mode: CountMode = 'line'): ChartOption {
  const title = series.title ?? series.metric;
  const areas = alertAreas(ctx.alerts ?? [], ctx.range, ctx.step);
  const data = series.points.map(([t, v]) => [t * 1000, v ?? '-']);
  const asBars = mode === 'bars' && (series.type === 'count' || series.type === 'series');
  const markArea = areas.length > 0 ? alertMarkArea(areas, ctx.theme) : undefined;
  return {
    ...baseOption(ctx, { title, unit: series.unit, description: describeNumbers(title, series.unit, series.points) }),
    tooltip: { trigger: 'axis', confine: true, formatter: axisTooltipFormatter(series.unit, areas) },
    yAxis: valueAxis(series.unit, series.type === 'count' || series.type === 'hll' || series.type === 'set'),
    series: [
      asBars
        ? { type: 'bar', name: series.metric, data, barMaxWidth: 12, large: data.length > 600, ...(markArea ? { markArea } : {}) }
        : {
            type: 'line',
            name: series.metric,
            data,
            showSymbol: false,
            step: series.type === 'gauge' ? false : 'start',
            sampling: data.length > 2000 ? 'lttb' : undefined,
            lineStyle: { width: 1.5 },
            areaStyle: series.type === 'count' ? { opacity: 0.12 } : undefined,
            ...(markArea ? { markArea } : {}),
          },
    ],
  };
}
