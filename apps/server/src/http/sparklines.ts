import { planDownsampling } from '@ipscope/api';
import type { ResolvedInterval, Store, Transform } from '@ipscope/timeseries';
import type { ServedMetric } from './catalogLookup';
import { coarserInterval, splitRange } from './coarseInterval';
import type { TimeRange } from './timeRange';

export interface Sparklines {
  /** Seconds per sparkline point; points start at multiples of it. */
  step: number;
  /** Per entity, oldest first. */
  lines: Array<Array<number | null>>;
  /** The interval the body of the lines was read from. */
  interval: string;
}

/**
 * Sparklines of several entities over a range, each point the total of its group of buckets
 * (counts summed; histogram and series occurrences counted), groups aligned to multiples of
 * the step. Long ranges are read mostly from a coarser interval of the metric (e.g. half-hour
 * buckets instead of 48 minute-chunks for 2 days — tens of times less to read), with the
 * partial coarse buckets at the range's edges read from the fine interval, so each line still
 * adds up exactly to the range's total.
 */
export async function readSparklines(store: Store, metric: ServedMetric, interval: ResolvedInterval, range: TimeRange, entities: readonly string[], points: number): Promise<Sparklines> {
  const transform: Transform | undefined = metric.type === 'count' ? undefined : 'count';
  const fine = planDownsampling(range.from, range.to, interval.resolution, points);
  const coarse = coarserInterval(metric, interval, fine.step);
  const split = coarse ? splitRange(range, coarse.resolution) : undefined;
  const read = (entity: string, on: ResolvedInterval, from: number, to: number, shape: { condense: number } | { collapse: true } | Record<string, never>) =>
    store.series({ metric: metric.name, entity, interval: on.name, from, to: to - 1, ...shape, ...(transform ? { transform } : {}) });
  const number = (v: unknown) => (typeof v === 'number' ? v : null);

  if (!coarse || !split) {
    const lines = await Promise.all(entities.map((e) => read(e, interval, range.from, range.to, fine.factor > 1 ? { condense: fine.step } : {})));
    return { step: fine.step, interval: interval.name, lines: lines.map((r) => r.points.map((p) => number(p.value))) };
  }

  const step = planDownsampling(range.from, range.to, coarse.resolution, points).step;
  const first = Math.floor(range.from / step) * step;
  const count = Math.floor((range.to - 1) / step) - Math.floor(range.from / step) + 1;
  const lines = await Promise.all(
    entities.map(async (entity) => {
      const [body, head, tail] = await Promise.all([
        read(entity, coarse, split.lo, split.hi, { condense: step }),
        split.head ? read(entity, interval, split.head.from, split.head.to, { collapse: true }) : undefined,
        split.tail ? read(entity, interval, split.tail.from, split.tail.to, { collapse: true }) : undefined,
      ]);
      const line: Array<number | null> = new Array<number | null>(count).fill(null);
      const add = (ts: number, v: unknown) => {
        const value = number(v);
        if (value === null) return;
        const i = Math.floor(ts / step) - first / step;
        if (i >= 0 && i < count) line[i] = (line[i] ?? 0) + value;
      };
      for (const p of body.points) add(p.ts, p.value);
      if (head) add(range.from, head.points[0]?.value);
      if (tail) add(split.hi, tail.points[0]?.value);
      return line.map((v) => v ?? 0);
    }),
  );
  return { step, interval: coarse.name, lines };
}
