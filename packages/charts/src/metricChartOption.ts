import type { ChartContext, ChartOption } from './chartOption';
import { histogramToHeatmapOption, histogramToStackedOption, type HistogramSeriesInput } from './histogramOption';
import { seriesToLineOption, type NumberSeriesInput } from './seriesToLineOption';

/** A metric's series in either shape the API returns. */
export type MetricSeriesInput = ({ kind: 'number' } & NumberSeriesInput) | ({ kind: 'histogram'; type: 'histogram' } & HistogramSeriesInput);

/** Every way a chart can be drawn; which apply depends on the metric (see `chartModes`). */
export type ChartMode = 'line' | 'bars' | 'stacked' | 'heatmap';

/** The modes an analyst can pick for a series, the first being the default: counts as lines or bars, histograms as stacked areas or a heatmap, distinct counts and gauges as lines. */
export function chartModes(series: Pick<MetricSeriesInput, 'kind' | 'type'>): readonly ChartMode[] {
  if (series.kind === 'histogram') return ['stacked', 'heatmap'];
  if (series.type === 'count' || series.type === 'series') return ['line', 'bars'];
  return ['line'];
}

/** The option for one metric chart in the requested mode (or the series' default when the mode does not apply). */
export function metricChartOption(series: MetricSeriesInput, ctx: ChartContext, mode?: ChartMode): ChartOption {
  const modes = chartModes(series);
  const chosen = mode && modes.includes(mode) ? mode : modes[0]!;
  if (series.kind === 'histogram') {
    return chosen === 'heatmap' ? histogramToHeatmapOption(series, ctx) : histogramToStackedOption(series, ctx);
  }
  return seriesToLineOption(series, ctx, chosen === 'bars' ? 'bars' : 'line');
}
