import { onDrained, pendingDraws } from '../../components/drawScheduler';

/**
 * Knows when the charts of a page have finished drawing after a change and leaves
 * performance marks then. It counts the draws the charts actually start (a chart whose
 * data did not change does not draw again), so it never waits for a draw that will not come.
 *
 * On-screen charts draw at once (the first wave) and off-screen ones right after, so each
 * batch of draws has two moments:
 * - data: `ipscope:charts-visible` (first wave done) and `ipscope:charts-drawn` (all done),
 *   on the navigation clock;
 * - zoom (after `zoomRequested`): measures `ipscope:zoom` (first wave) and `ipscope:zoom-all`
 *   (all), from the request.
 *
 * While the page says more data is coming (`setLoading`), a batch does not complete: the
 * charts-drawn mark comes after the charts of the last part of the series.
 *
 * The benchmark reads these; nothing in the page waits on them.
 */
export class DrawTracker {
  private pending = new Set<string>();
  private wave = new Set<string>();
  private inWave = false;
  private waveOpened = false;
  private active = false;
  private visibleMarked = false;
  private zoom = false;
  private loading = false;
  private count = 0;
  private readonly stopDrained: () => void;

  constructor(private readonly onDrawn: (count: number) => void) {
    this.stopDrained = onDrained(() => this.maybeDone());
  }

  /** A zoom was asked for: the next batch of draws is timed from now. */
  zoomRequested(): void {
    this.zoom = true;
    performance.mark('ipscope:zoom-start');
  }

  /**
   * Whether more of the page's data is still to come (the series arrive in parts): while it
   * is, the charts drawn so far do not complete the batch; when it stops, the batch completes
   * as soon as the charts drawn from the last part have finished.
   */
  setLoading(loading: boolean): void {
    if (loading === this.loading) return;
    this.loading = loading;
    if (loading) this.begin();
    else this.maybeDone();
  }

  /** A chart starts drawing new data or a new window. */
  started(chart: string): void {
    this.begin();
    if (!this.waveOpened) {
      this.waveOpened = true;
      this.inWave = true;
      // Draws started in this task are the first wave (the charts on screen).
      setTimeout(() => {
        this.inWave = false;
        this.maybeVisible();
        this.maybeDone();
      }, 0);
    }
    this.pending.add(chart);
    if (this.inWave) this.wave.add(chart);
  }

  /** A chart finished the draw it started. */
  finished(chart: string): void {
    this.pending.delete(chart);
    this.wave.delete(chart);
    this.maybeVisible();
    this.maybeDone();
  }

  dispose(): void {
    this.stopDrained();
  }

  private begin(): void {
    if (this.active) return;
    this.active = true;
    this.waveOpened = false;
    this.visibleMarked = false;
    this.wave = new Set();
  }

  private maybeVisible(): void {
    if (!this.active || this.visibleMarked || !this.waveOpened || this.inWave || this.wave.size > 0) return;
    this.visibleMarked = true;
    if (this.zoom) {
      performance.mark('ipscope:zoom-drawn');
      performance.measure('ipscope:zoom', 'ipscope:zoom-start', 'ipscope:zoom-drawn');
    } else performance.mark('ipscope:charts-visible');
  }

  private maybeDone(): void {
    if (!this.active || this.inWave || this.loading || this.pending.size > 0 || pendingDraws() > 0) return;
    this.maybeVisible();
    this.active = false;
    if (this.zoom) {
      performance.mark('ipscope:zoom-all-drawn');
      performance.measure('ipscope:zoom-all', 'ipscope:zoom-start', 'ipscope:zoom-all-drawn');
    } else performance.mark('ipscope:charts-drawn');
    this.zoom = false;
    this.count += 1;
    this.onDrawn(this.count);
  }
}
