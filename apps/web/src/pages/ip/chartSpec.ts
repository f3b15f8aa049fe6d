import type { Alert, MetricInfo, MetricSeries } from '@ipscope/api';
import { chartModes, metricChartOption, type ChartAlert, type ChartMode, type ChartOption, type ChartTheme, type TimeWindow } from '@ipscope/charts';
import { seriesHasData } from './seriesHasData';

/** How one metric's chart is drawn on the IP page: its option, its drawing modes and its height. */
export interface MetricChartSpec {
  option: ChartOption;
  /** The modes the analyst can switch between (first = default). */
  modes: readonly ChartMode[];
  /** The mode the option is drawn in. */
  chosen: ChartMode;
  /** Height of the chart in CSS pixels. */
  height: number;
}

/** What a chart is drawn with besides its series. */
export interface MetricChartContext {
  range: TimeWindow;
  step: number;
  theme: ChartTheme;
  alerts: readonly ChartAlert[];
}

/** The test id (and server-drawn chart key) of a metric's chart. */
export const chartTestId = (metric: string): string => `chart-${metric}`;

/**
 * One metric's chart spec: the page's React chart and the server's drawing of the same chart
 * (`landingCharts`) both call this, so the two are built from one option and one height.
 */
export function metricChartSpec(series: MetricSeries, info: MetricInfo | undefined, ctx: MetricChartContext, mode: ChartMode | undefined): MetricChartSpec {
  const modes = chartModes(series);
  const chosen = mode && modes.includes(mode) ? mode : modes[0]!;
  const option = metricChartOption(series.kind === 'histogram' ? { ...series, buckets: info?.buckets } : series, ctx, chosen);
  return { option, modes, chosen, height: series.kind === 'histogram' ? 260 : 220 };
}

/** The alerts of a list by metric, in list order. */
export function alertsByMetric(alerts: readonly Alert[]): Map<string, Alert[]> {
  const map = new Map<string, Alert[]>();
  for (const a of alerts) map.set(a.metric, [...(map.get(a.metric) ?? []), a]);
  return map;
}

/** The series the page draws as charts: those with data in the range or with an alert (the rest are listed by name). */
export function drawnSeries(series: readonly MetricSeries[], byMetric: ReadonlyMap<string, readonly Alert[]>): MetricSeries[] {
  return series.filter((s) => seriesHasData(s) || byMetric.has(s.metric));
}
