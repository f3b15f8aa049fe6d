import * as echarts from 'echarts/core';
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
import { CanvasRenderer } from 'echarts/renderers';

// Only the modules the option builders in @ipscope/charts use (their ChartOption type lists
// the same set), so the chart chunk stays small. This module is imported only by the IP page's chunk.
echarts.use([
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
  CanvasRenderer,
]);

export { echarts };

/** One chart instance. */
export type ChartInstance = ReturnType<typeof echarts.init>;
