import type { ComposeOption } from 'echarts/core';
import type {
  AriaComponentOption,
  BarSeriesOption,
  CustomSeriesOption,
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  LineSeriesOption,
  TitleComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts';
import type { Alert } from '@ipscope/api';

/**
 * The ECharts option type every builder returns: composed from exactly the chart and
 * component modules the dashboard registers, so an option that needs an unregistered
 * module does not type-check.
 */
export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | CustomSeriesOption
  | AriaComponentOption
  | DataZoomComponentOption
  | GridComponentOption
  | LegendComponentOption
  | TitleComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

/** A time window in unix seconds, `from` inclusive and `to` exclusive. */
export interface TimeWindow {
  from: number;
  to: number;
}

/** Colour scheme of the page the chart is drawn on. */
export type ChartTheme = 'dark' | 'light';

/** The part of an alert a chart draws (the API's `Alert` narrowed, so a changed contract breaks this build). */
export type ChartAlert = Pick<Alert, 'id' | 'metric' | 'severity' | 'status' | 'start' | 'end' | 'expected' | 'observed' | 'explanation'>;

/** What every metric chart on one page shares: the axis window, the bucket width, the zoom and the theme. */
export interface ChartContext {
  /** The loaded range; every chart's time axis spans exactly this window, so they line up. */
  range: TimeWindow;
  /** Seconds per point (after any server-side downsampling). */
  step: number;
  /** The zoomed window inside `range`, if the analyst zoomed. */
  zoom?: TimeWindow | undefined;
  theme: ChartTheme;
  /** Alerts of this metric; drawn as marked areas with their explanation in the tooltip. */
  alerts?: readonly ChartAlert[] | undefined;
}
