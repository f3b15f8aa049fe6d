import type { BucketSpan } from '@ipscope/timeseries';

/** One interval's first and last retained bucket of a series, with the interval's bucket width. */
export interface IntervalSpan {
  resolution: number;
  span: BucketSpan | null;
}

/**
 * First and last seen over several intervals of one series: the finest interval gives the
 * precise times; a coarser interval's first bucket wins only when it ends before the finer
 * first bucket starts (the data is older than the fine interval keeps). Times are bucket starts.
 */
export function seenSpan(spans: readonly IntervalSpan[]): { first: number; last: number } | null {
  const present = spans.filter((s): s is { resolution: number; span: BucketSpan } => s.span !== null).sort((a, b) => a.resolution - b.resolution);
  const finest = present[0];
  if (!finest) return null;
  let first = finest.span.first;
  for (const s of present.slice(1)) if (s.span.first + s.resolution <= first) first = s.span.first;
  // A coarser bucket starts at or before the finer one holding the same data, so the max is the finest last.
  const last = Math.max(...present.map((s) => s.span.last));
  return { first, last };
}

/** Earliest first and latest last over several series; null when none was seen. */
export function mergeSeen(spans: ReadonlyArray<{ first: number; last: number } | null>): { first: number; last: number } | null {
  let out: { first: number; last: number } | null = null;
  for (const s of spans) {
    if (!s) continue;
    out = out ? { first: Math.min(out.first, s.first), last: Math.max(out.last, s.last) } : { ...s };
  }
  return out;
}
