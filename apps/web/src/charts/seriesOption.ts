import type { EChartsCoreOption } from 'echarts/core';

export interface LineSeriesInput {
  title: string;
  unit: string;
  points: ReadonlyArray<readonly [number, number]>;
}

/** Builds the ECharts option for one time series (unix-second points). Pure: the input is not touched. */
export function seriesToLineOption(input: LineSeriesInput): EChartsCoreOption {
  return {
    animation: false,
    aria: { enabled: true, label: { description: `${input.title}, ${input.points.length} points, in ${input.unit}` } },
    grid: { left: 56, right: 16, top: 32, bottom: 56 },
    title: { text: input.title, textStyle: { fontSize: 13, fontWeight: 'normal' } },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: input.unit, minInterval: 1 },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series: [
      {
        type: 'line',
        name: input.title,
        showSymbol: false,
        step: 'start',
        areaStyle: { opacity: 0.15 },
        data: input.points.map(([t, v]) => [t * 1000, v]),
      },
    ],
  };
}
