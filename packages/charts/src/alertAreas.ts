import type { ChartAlert, ChartTheme, TimeWindow } from './chartOption';

/** One marked area: where an alert lasted, clipped to the chart's window (unix seconds). */
export interface AlertArea {
  alert: ChartAlert;
  from: number;
  to: number;
}

const SEVERITY_RANK: Record<ChartAlert['severity'], number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Fill colours per severity; translucent so the series stays readable underneath. */
export function severityColor(severity: ChartAlert['severity'], theme: ChartTheme): string {
  const alpha = theme === 'dark' ? 0.22 : 0.16;
  switch (severity) {
    case 'critical':
      return `rgba(217, 70, 239, ${alpha + 0.08})`;
    case 'high':
      return `rgba(239, 68, 68, ${alpha})`;
    case 'medium':
      return `rgba(245, 158, 11, ${alpha})`;
    case 'low':
      return `rgba(56, 189, 248, ${alpha})`;
  }
}

/**
 * Where each alert is drawn. An open alert (`end` null) lasts to the end of the window; an
 * alert is at least one bucket wide so a one-bucket spike stays visible. Alerts wholly
 * outside the window are left out. Most severe first, so they paint on top.
 */
export function alertAreas(alerts: readonly ChartAlert[], window: TimeWindow, step: number): AlertArea[] {
  const areas: AlertArea[] = [];
  for (const alert of alerts) {
    const end = Math.max(alert.end ?? window.to, alert.start + step);
    const from = Math.max(alert.start, window.from);
    const to = Math.min(end, window.to);
    if (to > from) areas.push({ alert, from, to });
  }
  return areas.sort((a, b) => SEVERITY_RANK[a.alert.severity] - SEVERITY_RANK[b.alert.severity] || a.from - b.from);
}

/** The alerts whose area contains `t` (unix seconds): what the tooltip explains at that time. */
export function alertsAt(areas: readonly AlertArea[], t: number): ChartAlert[] {
  return areas.filter((a) => t >= a.from && t < a.to).map((a) => a.alert);
}
