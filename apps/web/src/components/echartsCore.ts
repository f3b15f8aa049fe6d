import * as echarts from 'echarts/core';
import { CHART_MODULES } from '@ipscope/charts/modules';
import { CanvasRenderer } from 'echarts/renderers';

// Only the modules the option builders in @ipscope/charts use (CHART_MODULES), so the chart
// chunk stays small. This module is imported only by the IP page's chunk.
echarts.use([...CHART_MODULES, CanvasRenderer]);

export { echarts };

/** One chart instance. */
export type ChartInstance = ReturnType<typeof echarts.init>;
