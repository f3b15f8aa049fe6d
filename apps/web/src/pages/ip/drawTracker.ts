/**
 * Knows when the charts of a page have finished drawing after a change (new data or a
 * zoom) and leaves performance marks then. On-screen charts draw at once and off-screen
 * ones while the browser is idle, so there are two moments:
 *
 * - data: `ipscope:charts-visible` (the charts on screen) and `ipscope:charts-drawn`
 *   (every chart), both on the navigation clock;
 * - zoom: measures `ipscope:zoom` (charts on screen) and `ipscope:zoom-all` (every chart),
 *   from the zoom request.
 *
 * The benchmark reads these; nothing in the page waits on them.
 */
export class DrawTracker {
  private all = new Set<string>();
  private visible = new Set<string>();
  private reason: 'data' | 'zoom' | undefined;
  private visibleDone = false;
  private drawn = 0;

  constructor(private readonly onDrawn: (reason: 'data' | 'zoom', count: number) => void) {}

  /** Starts waiting for `charts` (of which `onScreen` are visible) to finish; a zoom is timed from here. */
  expect(reason: 'data' | 'zoom', charts: readonly string[], onScreen: (chart: string) => boolean): void {
    if (charts.length === 0) return;
    this.all = new Set(charts);
    this.visible = new Set(charts.filter(onScreen));
    this.reason = reason;
    this.visibleDone = false;
    if (reason === 'zoom') performance.mark('ipscope:zoom-start');
    if (this.visible.size === 0) this.markVisible();
  }

  finished(chart: string): void {
    if (!this.reason) return;
    this.all.delete(chart);
    this.visible.delete(chart);
    if (!this.visibleDone && this.visible.size === 0) this.markVisible();
    if (this.all.size > 0) return;
    const reason = this.reason;
    this.reason = undefined;
    this.drawn += 1;
    if (reason === 'zoom') {
      performance.mark('ipscope:zoom-all-drawn');
      performance.measure('ipscope:zoom-all', 'ipscope:zoom-start', 'ipscope:zoom-all-drawn');
    } else performance.mark('ipscope:charts-drawn');
    this.onDrawn(reason, this.drawn);
  }

  private markVisible(): void {
    this.visibleDone = true;
    if (this.reason === 'zoom') {
      performance.mark('ipscope:zoom-drawn');
      performance.measure('ipscope:zoom', 'ipscope:zoom-start', 'ipscope:zoom-drawn');
    } else performance.mark('ipscope:charts-visible');
  }
}

/** Whether the chart of `metric` is at least partly on screen now. */
export function chartOnScreen(metric: string): boolean {
  const el = document.querySelector(`[data-testid="chart-${CSS.escape(metric)}"]`);
  if (!el) return false;
  const r = el.getBoundingClientRect();
  return r.bottom > 0 && r.top < window.innerHeight && r.width > 0;
}
