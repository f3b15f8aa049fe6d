/**
 * The textbook detector, for side-by-side comparison: exponentially weighted mean and
 * variance of the raw values (α = 0.01), z = (x − mean) / sd, score = |z| / 10 capped
 * at 1, so the default alert threshold 0.4 means |z| ≥ 4 (twice) and 0.7 means |z| ≥ 7.
 * No transform, no rhythm, no robustness, no calibration.
 */
export class EwmaBaseline {
  private mean = Number.NaN;
  private variance = 0;
  private count = 0;

  update(x: number): number {
    if (Number.isNaN(this.mean)) {
      this.mean = x;
      this.count = 1;
      return 0;
    }
    const sd = Math.sqrt(this.variance) + 1e-9;
    const z = (x - this.mean) / sd;
    const alpha = Math.max(0.01, 1 / ++this.count);
    const d = x - this.mean;
    this.mean += alpha * d;
    this.variance = (1 - alpha) * (this.variance + alpha * d * d);
    return this.count < 30 ? 0 : Math.min(1, Math.abs(z) / 10);
  }
}
