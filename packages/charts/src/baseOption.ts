import type { ChartContext, ChartOption, TimeWindow } from './chartOption';
import { formatCompact } from './format';

/** What a chart is about, for its title, axis and accessible description. */
export interface ChartMeta {
  /** Heading drawn on the chart (usually the metric's description or name). */
  title: string;
  unit: string;
  /** Text for screen readers: what the chart shows and its key numbers. */
  description: string;
}

const ms = (seconds: number) => seconds * 1000;

/** The zoom window as the time axis' `dataZoom` component, without interactions of its own (the page adds drag-to-select). */
export function zoomComponents(zoom: TimeWindow | undefined): NonNullable<ChartOption['dataZoom']> {
  return [
    {
      type: 'inside',
      id: 'time',
      xAxisIndex: 0,
      filterMode: 'none',
      // The page zooms by drag-to-select and buttons, for all charts at once; the wheel scrolls the page.
      zoomOnMouseWheel: false,
      moveOnMouseWheel: false,
      moveOnMouseMove: false,
      ...(zoom ? { startValue: ms(zoom.from), endValue: ms(zoom.to) } : { start: 0, end: 100 }),
    },
  ];
}

/**
 * The parts every metric chart shares: a UTC time axis spanning exactly the loaded range
 * (so charts stacked on a page line up), the zoom window, and an accessible description.
 * Builders add the y axis, tooltip and series.
 */
export function baseOption(ctx: ChartContext, meta: ChartMeta): ChartOption {
  return {
    animation: false,
    useUTC: true,
    backgroundColor: 'transparent',
    aria: { enabled: true, label: { enabled: true, description: meta.description } },
    title: { text: meta.title, left: 8, top: 4, textStyle: { fontSize: 13, fontWeight: 'normal' } },
    // Fixed margins; ECharts 6's automatic outer-bounds layout measures every label again on each draw.
    grid: { left: 64, right: 24, top: 44, bottom: 28, outerBoundsMode: 'none' },
    xAxis: { type: 'time', min: ms(ctx.range.from), max: ms(ctx.range.to), axisLabel: { hideOverlap: true } },
    dataZoom: zoomComponents(ctx.zoom),
  };
}

/** A value axis in the metric's unit with compact labels. */
export function valueAxis(unit: string, integer: boolean): NonNullable<ChartOption['yAxis']> {
  return {
    type: 'value',
    name: unit,
    nameTextStyle: { align: 'left' },
    minInterval: integer ? 1 : 0,
    axisLabel: { formatter: (value: number) => formatCompact(value, unit) },
  };
}
