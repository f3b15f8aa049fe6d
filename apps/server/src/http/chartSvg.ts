import * as echarts from 'echarts/core';
import { CHART_MODULES } from '@ipscope/charts/modules';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartOption, ChartTheme } from '@ipscope/charts';
import { compactSvgPaths } from './svgPath';

// The modules the web app's chart engine registers (apps/web/src/components/echartsCore.ts), with the SVG renderer instead of canvas.
echarts.use([...CHART_MODULES, SVGRenderer]);

/** Chart sizes the server draws at, in CSS pixels. */
export const CHART_WIDTH_RANGE = { min: 320, max: 3840 } as const;

/**
 * One chart drawn by ECharts on the server (server-side rendering, SVG renderer) from the
 * option the page's interactive chart applies, at the size the page lays the chart out, in
 * the page's theme: the same drawing as the browser's, as SVG markup. The `<style>` element
 * ECharts adds (hover rules only) is left out: the page's content security policy blocks
 * `<style>` elements, and nothing is hovered before the interactive chart replaces this one.
 * Paths are written in their shorter spelling (`compactSvgPaths`: the same points, about half
 * the bytes for step lines and stacked areas).
 */
export function drawChartSvg(option: ChartOption, theme: ChartTheme, width: number, height: number): string {
  if (!(Number.isInteger(width) && width >= CHART_WIDTH_RANGE.min && width <= CHART_WIDTH_RANGE.max)) {
    throw new RangeError(`width: must be a whole number of pixels from ${CHART_WIDTH_RANGE.min} to ${CHART_WIDTH_RANGE.max}, got ${width}`);
  }
  if (!(Number.isInteger(height) && height > 0 && height <= 4096)) throw new RangeError(`height: must be a whole number of pixels from 1 to 4096, got ${height}`);
  const chart = echarts.init(null, theme === 'dark' ? 'dark' : undefined, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option, { notMerge: true, lazyUpdate: false });
    return compactSvgPaths(chart.renderToSVGString().replace(/<style\b[\s\S]*?<\/style>\s*/g, ''));
  } finally {
    chart.dispose();
  }
}
