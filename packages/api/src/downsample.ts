/**
 * Server-side downsampling: when a range holds more buckets than a chart can show, consecutive
 * buckets are condensed into groups of `factor` buckets. Groups are aligned to multiples of
 * `factor × step` seconds since the epoch, so panning or refreshing a chart keeps the same
 * group edges, and the first and last group may cover fewer buckets.
 *
 * How a group's value is formed depends on the metric type and is stated in the response:
 * - `sum`   (count): the total over the group;
 * - `mean`  (series, read as per-bucket means): the mean of the non-empty buckets;
 * - `last`  (gauge): the last non-empty bucket's value;
 * - `max`   (set, hll distinct counts): the largest bucket, a lower bound of the group's distinct count;
 * - `merge` (histogram): counts per value added up.
 */
export type Aggregation = 'sum' | 'mean' | 'last' | 'max' | 'merge';

/** One bucket of a numeric series: start (unix seconds) and value (null: no data). */
export type NumberPoint = [number, number | null];
/** One bucket of a histogram series: start and value → count. */
export type HistogramPoint = [number, Record<string, number>];

export interface DownsamplePlan {
  /** Buckets per returned point (1: no downsampling). */
  factor: number;
  /** Seconds per returned point. */
  step: number;
}

/** Number of buckets of width `step` that [from, to) touches. */
export function bucketCount(from: number, to: number, step: number): number {
  if (to <= from) return 0;
  return Math.floor((to - 1) / step) - Math.floor(from / step) + 1;
}

/** The smallest factor whose aligned groups over [from, to) number at most `maxPoints`. */
export function planDownsampling(from: number, to: number, step: number, maxPoints: number): DownsamplePlan {
  if (!(maxPoints >= 1)) throw new RangeError(`maxPoints must be at least 1, got ${maxPoints}`);
  const buckets = bucketCount(from, to, step);
  if (buckets <= maxPoints) return { factor: 1, step };
  let factor = Math.ceil(buckets / maxPoints);
  while (bucketCount(from, to, factor * step) > maxPoints) factor++;
  return { factor, step: factor * step };
}

function groupStart(ts: number, width: number): number {
  return Math.floor(ts / width) * width;
}

/** Condenses numeric buckets (ordered by time) into aligned groups. Does not mutate its input. */
export function condenseNumbers(points: readonly NumberPoint[], plan: DownsamplePlan, aggregation: Exclude<Aggregation, 'merge'>): NumberPoint[] {
  if (plan.factor === 1) return points.map(([t, v]) => [t, v]);
  const out: NumberPoint[] = [];
  let start = Number.NaN;
  let acc: number | null = null;
  let n = 0;
  const flush = () => {
    if (Number.isNaN(start)) return;
    out.push([start, aggregation === 'mean' && acc !== null ? acc / n : acc]);
  };
  for (const [ts, value] of points) {
    const g = groupStart(ts, plan.step);
    if (g !== start) {
      flush();
      start = g;
      acc = null;
      n = 0;
    }
    if (value === null) continue;
    n++;
    if (acc === null) acc = value;
    else if (aggregation === 'sum' || aggregation === 'mean') acc += value;
    else if (aggregation === 'max') acc = Math.max(acc, value);
    else acc = value;
  }
  flush();
  return out;
}

/** Condenses histogram buckets (ordered by time) into aligned groups by adding counts per value. */
export function condenseHistograms(points: readonly HistogramPoint[], plan: DownsamplePlan): HistogramPoint[] {
  if (plan.factor === 1) return points.map(([t, h]) => [t, { ...h }]);
  const out: HistogramPoint[] = [];
  for (const [ts, histogram] of points) {
    const g = groupStart(ts, plan.step);
    let last = out[out.length - 1];
    if (!last || last[0] !== g) {
      last = [g, Object.create(null) as Record<string, number>];
      out.push(last);
    }
    const merged = last[1];
    for (const [value, count] of Object.entries(histogram)) merged[value] = (merged[value] ?? 0) + count;
  }
  return out;
}
