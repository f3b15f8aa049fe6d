/**
 * Knows when every chart of a page has finished drawing after a change (new data or a
 * zoom) and leaves a performance mark then: `ipscope:charts-drawn` (measured from
 * navigation by the browser's clock) and `ipscope:zoom` (a measure from the zoom request).
 * The benchmark reads these marks; nothing in the page waits on them.
 */
export class DrawTracker {
  private pending = new Set<string>();
  private reason: 'data' | 'zoom' | undefined;
  private drawn = 0;

  constructor(private readonly onDrawn: (reason: 'data' | 'zoom', count: number) => void) {}

  /** Starts waiting for `charts` to finish; a zoom is timed from here. */
  expect(reason: 'data' | 'zoom', charts: readonly string[]): void {
    if (charts.length === 0) return;
    this.pending = new Set(charts);
    this.reason = reason;
    if (reason === 'zoom') performance.mark('ipscope:zoom-start');
  }

  finished(chart: string): void {
    if (!this.reason || !this.pending.delete(chart) || this.pending.size > 0) return;
    const reason = this.reason;
    this.reason = undefined;
    this.drawn += 1;
    if (reason === 'zoom') {
      performance.mark('ipscope:zoom-drawn');
      performance.measure('ipscope:zoom', 'ipscope:zoom-start', 'ipscope:zoom-drawn');
    } else {
      performance.mark('ipscope:charts-drawn');
    }
    this.onDrawn(reason, this.drawn);
  }
}
