import { useMemo } from 'react';
import type { MetricInfo, MetricSeries } from '@ipscope/api';
import type { ChartAlert, ChartMode, ChartTheme, TimeWindow } from '@ipscope/charts';
import { EChart } from '../../components/EChart';
import { chartTestId, metricChartSpec } from './chartSpec';

/** One metric's chart with its drawing-mode switch (lines/bars, stacked areas/heatmap). */
export function MetricChart({
  ip,
  series,
  info,
  range,
  step,
  zoom,
  theme,
  alerts,
  mode,
  group,
  onMode,
  onZoom,
  snap,
  onDrawStart,
  onFinished,
}: {
  ip: string;
  series: MetricSeries;
  info: MetricInfo | undefined;
  range: TimeWindow;
  step: number;
  zoom: TimeWindow | undefined;
  theme: ChartTheme;
  alerts: readonly ChartAlert[];
  mode: ChartMode | undefined;
  group: string;
  onMode: (mode: ChartMode) => void;
  onZoom: (window: TimeWindow | undefined) => void;
  snap: (window: TimeWindow) => TimeWindow;
  onDrawStart: () => void;
  onFinished: () => void;
}) {
  const spec = useMemo(() => metricChartSpec(series, info, { range, step, theme, alerts }, mode), [series, info, range, step, theme, alerts, mode]);
  const { option, modes, chosen } = spec;
  const kind = series.kind === 'histogram' ? 'histogram' : series.type === 'hll' || series.type === 'set' ? 'distinct count' : series.type;
  return (
    <figure className="metric-chart" data-testid="metric-chart" data-metric={series.metric} aria-label={`Chart of ${series.metric} (${kind}, ${series.unit}) for ${ip}`}>
      {modes.length > 1 && (
        <div className="segmented chart-modes" role="radiogroup" aria-label={`How to draw ${series.metric}`}>
          {modes.map((m) => (
            <button key={m} type="button" role="radio" aria-checked={m === chosen} onClick={() => onMode(m)}>
              {m}
            </button>
          ))}
        </div>
      )}
      {info?.description && <figcaption className="muted">{info.description}</figcaption>}
      <EChart
        option={option}
        theme={theme}
        label={`${series.metric} for ${ip}`}
        group={group}
        axis={range}
        zoom={zoom}
        onZoom={onZoom}
        snap={snap}
        onDrawStart={onDrawStart}
        onFinished={onFinished}
        testId={chartTestId(series.metric)}
        height={spec.height}
      />
    </figure>
  );
}
