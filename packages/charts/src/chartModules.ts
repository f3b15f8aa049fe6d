import { BarChart, CustomChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  DataZoomInsideComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';

/**
 * The ECharts modules the option builders of this package use (their `ChartOption` type lists
 * the same set), without a renderer: the browser adds the canvas renderer, the server the SVG
 * one. Imported on its own (`@ipscope/charts/modules`), so only code that draws loads ECharts.
 */
export const CHART_MODULES = [
  LineChart,
  BarChart,
  CustomChart,
  AriaComponent,
  DataZoomInsideComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
];
