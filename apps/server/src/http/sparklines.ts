import { planDownsampling } from '@ipscope/api';
import type { ResolvedInterval, Store } from '@ipscope/timeseries';
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
 * Most buckets of the fine interval (entities × chunks × chunk size) a table of sparklines reads
 * from the chunks the store's `top` keeps parsed: a quarter of what the store keeps
 * (timeseries edgeChunkCache.ts), leaving room for the rankings' own edge chunks. 100 entities
 * over 2 days of hour chunks of minutes: 294 000.
 */
export const KEPT_SPARK_BUCKETS = 400_000;

/**
 * Sparklines of several entities over a range, each point the total of its group of buckets
 * (counts summed; histogram and series occurrences counted), groups aligned to multiples of
 * the step. Long ranges are read mostly from a coarser interval of the metric (e.g. half-hour
 * buckets instead of 48 minute-chunks for 2 days — tens of times less to read), with the
 * partial coarse buckets at the range's edges read from the fine interval, so each line still
 * adds up exactly to the range's total. Each part is one `groupTotals` call for all entities
 * (one script per shard), the parts at once.
 *
 * A ranked metric of a store that keeps the sums `top` builds (`topCacheSeconds` > 0) is read
 * from the fine interval alone, as one `groupTotals` call: the ranking over the same range just
 * kept its closed chunks' sums, and the store sums those chunks from what it keeps parsed in Node
 * (reading only the open chunk and chunks of entities new to the table), which costs less than
 * reading the coarse buckets again on every request.
 */
export async function readSparklines(store: Store, metric: ServedMetric, interval: ResolvedInterval, range: TimeRange, entities: readonly string[], points: number): Promise<Sparklines> {
  const fine = planDownsampling(range.from, range.to, interval.resolution, points);
  const coarse = coarserInterval(metric, interval, fine.step);
  const split = coarse ? splitRange(range, coarse.resolution) : undefined;
  if (entities.length === 0) return { step: coarse && split ? planDownsampling(range.from, range.to, coarse.resolution, points).step : fine.step, interval: (coarse && split ? coarse : interval).name, lines: [] };
  const totals = (on: ResolvedInterval, from: number, to: number, group: number) =>
    store.groupTotals({ metric: metric.name, interval: on.name, entities, from, to: to - 1, group });

  const chunks = Math.ceil((range.to - range.from) / (interval.resolution * interval.chunk)) + 1;
  const fromKept = metric.ranked && store.config.topCacheSeconds > 0 && entities.length * chunks * interval.chunk <= KEPT_SPARK_BUCKETS;
  if (coarse && split && fromKept) {
    const step = planDownsampling(range.from, range.to, coarse.resolution, points).step;
    const r = await totals(interval, range.from, range.to, step);
    return { step, interval: interval.name, lines: r.totals };
  }

  if (!coarse || !split) {
    const r = await totals(interval, range.from, range.to, fine.step);
    return { step: fine.step, interval: interval.name, lines: r.totals };
  }

  const step = planDownsampling(range.from, range.to, coarse.resolution, points).step;
  const first = Math.floor(range.from / step) * step;
  const count = Math.floor((range.to - 1) / step) - Math.floor(range.from / step) + 1;
  const [body, head, tail] = await Promise.all([
    totals(coarse, split.lo, split.hi, step),
    split.head ? totals(interval, split.head.from, split.head.to, step) : undefined,
    split.tail ? totals(interval, split.tail.from, split.tail.to, step) : undefined,
  ]);
  const lines = entities.map(() => new Array<number>(count).fill(0));
  const add = (part: { from: number; totals: number[][] } | undefined) => {
    if (!part) return;
    const at = (part.from - first) / step;
    part.totals.forEach((row, e) => {
      const line = lines[e] as number[];
      row.forEach((v, j) => {
        const i = at + j;
        if (i >= 0 && i < count) line[i] = (line[i] as number) + v;
      });
    });
  };
  add(body);
  add(head);
  add(tail);
  return { step, interval: coarse.name, lines };
}
