/** Median of the values (copies; does not reorder the input). NaN for an empty input. */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Array.from(values).sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median absolute deviation scaled to estimate a normal standard deviation (×1.4826). */
export function madScale(values: ArrayLike<number>, center = median(values)): number {
  const deviations = Array.from(values, (v) => Math.abs(v - center));
  return 1.4826 * median(deviations);
}

/** Median of three numbers without allocation. */
export function median3(a: number, b: number, c: number): number {
  if (a > b) [a, b] = [b, a];
  if (b > c) b = c;
  return a > b ? a : b;
}

/** Huber's ψ: the residual clamped to ±limit, so one outlier moves an estimate by a bounded amount. */
export function huber(residual: number, limit: number): number {
  return residual > limit ? limit : residual < -limit ? -limit : residual;
}

/** E|Z| for a standard normal Z is √(2/π); dividing a mean absolute deviation by it estimates σ. */
export const MEAN_ABS_TO_SIGMA = Math.sqrt(Math.PI / 2);
