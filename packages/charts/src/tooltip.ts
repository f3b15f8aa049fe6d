import type { TooltipComponentFormatterCallbackParams } from 'echarts';
import { alertsAt, type AlertArea } from './alertAreas';
import type { ChartAlert } from './chartOption';
import { escapeHtml, formatExact, formatUtc } from './format';

/** One line of a tooltip: a series' value at the hovered time. */
export interface TooltipRow {
  name: string;
  value: number;
  /** ECharts' coloured dot (HTML it generates itself). */
  marker?: string | undefined;
}

/** How a tooltip explains an alert (the same on the axis tooltip and on the alert's marked area). */
export function alertLine(alert: ChartAlert): string {
  return (
    `<div class="ipscope-tip-alert"><b>${escapeHtml(alert.severity.toUpperCase())} alert</b> (${escapeHtml(alert.status)}): ` +
    `expected ${formatExact(alert.expected)}, observed ${formatExact(alert.observed)}<br/>${escapeHtml(alert.explanation)}</div>`
  );
}

/**
 * The tooltip at time `t` (unix seconds): the time in UTC, one line per series, then the
 * explanation of every alert covering `t`. Everything from data is escaped.
 */
export function tooltipHtml(t: number, rows: readonly TooltipRow[], unit: string, alerts: readonly ChartAlert[]): string {
  const lines = rows.map((r) => `${r.marker ?? ''}${escapeHtml(r.name)}: <b>${formatExact(r.value)}</b>`);
  const head = `<div>${formatUtc(t)}${unit ? ` · ${escapeHtml(unit)}` : ''}</div>`;
  return head + lines.join('<br/>') + alerts.map(alertLine).join('');
}

function numberAt(value: unknown, index: number): number | undefined {
  if (!Array.isArray(value)) return undefined;
  const v: unknown = value[index];
  return typeof v === 'number' ? v : undefined;
}

/** An axis-tooltip formatter for time-axis series whose data items are `[ms, value]`. */
export function axisTooltipFormatter(unit: string, areas: readonly AlertArea[]) {
  return (params: TooltipComponentFormatterCallbackParams): string => {
    const list = Array.isArray(params) ? params : [params];
    const ms = list.map((p) => numberAt(p.value, 0)).find((v) => v !== undefined);
    if (ms === undefined) return '';
    const t = Math.floor(ms / 1000);
    const rows: TooltipRow[] = [];
    for (const p of list) {
      const value = numberAt(p.value, 1);
      if (value !== undefined) rows.push({ name: p.seriesName ?? '', value, marker: typeof p.marker === 'string' ? p.marker : undefined });
    }
    return tooltipHtml(t, rows, unit, alertsAt(areas, t));
  };
}
