import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts';
import { alertAreas } from './alertAreas';
import { baseOption, valueAxis } from './baseOption';
import type { ChartContext, ChartOption } from './chartOption';
import { describeHistogram } from './describe';
import { escapeHtml, formatExact, formatUtc } from './format';
import { alertMarkArea } from './seriesToLineOption';
import { axisTooltipFormatter } from './tooltip';

/** A histogram series as the API returns it: `[unix seconds, {value: count}]` points. */
export interface HistogramSeriesInput {
  metric: string;
  unit: string;
  points: ReadonlyArray<readonly [number, Readonly<Record<string, number>>]>;
  title?: string | undefined;
  /**
   * Every value the metric can take, in order, with a display label (the catalog's
   * `buckets`, e.g. `0.01` → `0.01-0.1s`): bands and rows then follow this order and show
   * these labels. Values not listed keep their own text and come last.
   */
  buckets?: ReadonlyArray<{ value: number | string; label: string }> | undefined;
}

/** How a histogram is drawn. */
export type HistogramMode = 'stacked' | 'heatmap';

/** Name of the band that sums every value outside the largest ones. */
export const OTHER = 'other';

/**
 * The values a histogram chart shows: the `max` largest by total over the range, plus
 * `other` for the rest when there is a rest. They follow `order` when given (the catalog's
 * bucket order); else values that are all numbers (durations, sizes) keep numeric order, so
 * a heatmap's rows read as a scale, and names are ordered by total, largest first.
 */
export function histogramCategories(
  points: HistogramSeriesInput['points'],
  max: number,
  order?: readonly string[],
): { categories: string[]; totals: Array<[string, number]>; hasOther: boolean } {
  const sums = new Map<string, number>();
  for (const [, counts] of points) for (const [k, n] of Object.entries(counts)) sums.set(k, (sums.get(k) ?? 0) + n);
  const totals = [...sums].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const kept = totals.slice(0, max).map(([k]) => k);
  const numeric = kept.length > 0 && kept.every((k) => k.trim() !== '' && Number.isFinite(Number(k)));
  if (order && order.length > 0) {
    const rank = new Map(order.map((v, i) => [v, i]));
    kept.sort((a, b) => (rank.get(a) ?? order.length) - (rank.get(b) ?? order.length) || (numeric ? Number(a) - Number(b) : 0));
  } else if (numeric) kept.sort((a, b) => Number(a) - Number(b));
  const hasOther = totals.length > max;
  return { categories: hasOther ? [...kept, OTHER] : kept, totals, hasOther };
}

const bucketOrder = (series: HistogramSeriesInput) => series.buckets?.map((b) => String(b.value));

/** Display text of a histogram value: its catalog label when there is one. */
function bucketLabeller(series: HistogramSeriesInput): (value: string) => string {
  const labels = new Map(series.buckets?.map((b) => [String(b.value), b.label]));
  return (value) => labels.get(value) ?? value;
}

/** Each category's count per point; values outside `categories` go to `other`. */
function bandValues(points: HistogramSeriesInput['points'], categories: readonly string[], hasOther: boolean): number[][] {
  const index = new Map(categories.map((c, i) => [c, i]));
  const otherIndex = hasOther ? categories.length - 1 : -1;
  return points.map(([, counts]) => {
    const row = new Array<number>(categories.length).fill(0);
    for (const [k, n] of Object.entries(counts)) {
      const i = index.get(k) ?? otherIndex;
      if (i >= 0) row[i]! += n;
    }
    return row;
  });
}

/**
 * A histogram as stacked areas, one band per value (the largest `maxBands`, the rest as
 * `other`), alerts as marked areas. Pure: the input is not touched.
 */
export function histogramToStackedOption(series: HistogramSeriesInput, ctx: ChartContext, maxBands = 8): ChartOption {
  const title = series.title ?? series.metric;
  const { categories, totals, hasOther } = histogramCategories(series.points, maxBands, bucketOrder(series));
  const label = bucketLabeller(series);
  const rows = bandValues(series.points, categories, hasOther);
  const areas = alertAreas(ctx.alerts ?? [], ctx.range, ctx.step);
  const markArea = areas.length > 0 ? alertMarkArea(areas, ctx.theme) : undefined;
  const base = baseOption(ctx, { title, unit: series.unit, description: describeHistogram(title, series.unit, totals, series.points.length) });
  return {
    ...base,
    grid: { left: 64, right: 24, top: 64, bottom: 28, outerBoundsMode: 'none' },
    legend: { type: 'plain', top: 24, left: 8, right: 80, itemWidth: 10, itemHeight: 8, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', confine: true, formatter: axisTooltipFormatter(series.unit, areas) },
    yAxis: valueAxis(series.unit, true),
    series: categories.map((name, i) => ({
      type: 'line' as const,
      name: label(name),
      stack: 'histogram',
      step: 'start' as const,
      showSymbol: false,
      lineStyle: { width: 0.5 },
      areaStyle: { opacity: 0.75 },
      emphasis: { focus: 'series' as const },
      data: series.points.map(([t], p) => [t * 1000, rows[p]![i]!]),
      ...(i === 0 && markArea ? { markArea } : {}),
    })),
  };
}

const HEAT = {
  dark: ['#0f172a', '#1e3a8a', '#2563eb', '#22d3ee', '#facc15', '#f97316'],
  light: ['#f8fafc', '#bfdbfe', '#60a5fa', '#2563eb', '#f59e0b', '#dc2626'],
} as const;

/**
 * A histogram as a heatmap on the shared time axis: one row per value, one cell per
 * point, colour by count. ECharts' own heatmap needs a category x axis, which would not
 * line up or zoom with the other charts, so cells are drawn by a custom series.
 */
export function histogramToHeatmapOption(series: HistogramSeriesInput, ctx: ChartContext, maxRows = 16): ChartOption {
  const title = series.title ?? series.metric;
  const { categories, totals, hasOther } = histogramCategories(series.points, maxRows, bucketOrder(series));
  const label = bucketLabeller(series);
  const rows = bandValues(series.points, categories, hasOther);
  const cells: Array<[number, number, number]> = [];
  let maxCount = 0;
  series.points.forEach(([t], p) => {
    rows[p]!.forEach((n, c) => {
      if (n > 0) {
        cells.push([t * 1000, c, n]);
        if (n > maxCount) maxCount = n;
      }
    });
  });
  const stepMs = ctx.step * 1000;
  const areas = alertAreas(ctx.alerts ?? [], ctx.range, ctx.step);
  const renderItem = (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn => {
    const t = Number(api.value(0));
    const row = Number(api.value(1));
    const [x, y] = api.coord([t, row]) as [number, number];
    const [width, height] = (api.size ? api.size([stepMs, 1]) : [1, 1]) as [number, number];
    return {
      type: 'rect',
      shape: { x, y: y - height / 2, width: Math.max(width, 1), height },
      style: { fill: String(api.visual('color')) },
    };
  };
  const base = baseOption(ctx, { title, unit: series.unit, description: describeHistogram(title, series.unit, totals, series.points.length) });
  return {
    ...base,
    grid: { left: 96, right: 24, top: 44, bottom: 28, outerBoundsMode: 'none' },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p) => {
        const item = Array.isArray(p) ? p[0] : p;
        const value = item?.value;
        if (!Array.isArray(value)) return '';
        const [ms, row, n] = value as [number, number, number];
        const explained = areas.filter((a) => ms / 1000 >= a.from && ms / 1000 < a.to).map((a) => `<br/>${escapeHtml(a.alert.explanation)}`);
        return `${formatUtc(ms / 1000)}<br/>${escapeHtml(label(categories[row] ?? ''))}: <b>${formatExact(n)}</b> ${escapeHtml(series.unit)}${explained.join('')}`;
      },
    },
    yAxis: { type: 'category', data: categories.map(label), axisLabel: { width: 80, overflow: 'truncate' } },
    visualMap: {
      type: 'continuous',
      min: 0,
      max: Math.max(maxCount, 1),
      dimension: 2,
      seriesIndex: 0,
      orient: 'horizontal',
      right: 56,
      top: 4,
      itemHeight: 80,
      itemWidth: 10,
      text: [String(maxCount), '0'],
      textStyle: { fontSize: 10 },
      inRange: { color: [...HEAT[ctx.theme]] },
    },
    series: [
      {
        type: 'custom',
        name: series.metric,
        renderItem,
        clip: true,
        encode: { x: 0, y: 1, tooltip: [2] },
        data: cells,
        ...(areas.length > 0 ? { markArea: alertMarkArea(areas, ctx.theme) } : {}),
      },
    ],
  };
}
