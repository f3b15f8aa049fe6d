import { isoSeconds } from '@ipscope/api';
import type { ResolvedInterval } from '@ipscope/timeseries';
import { BadRequestError } from './errors';

/** A half-open time range [from, to) in unix seconds, aligned to the interval's buckets. */
export interface TimeRange {
  from: number;
  to: number;
}

/** Buckets shown when a request gives no `from`: 6 hours of minutes, 7.5 days of half-hours. */
export const DEFAULT_BUCKETS = 360;

function describeSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/**
 * Resolves a request's optional `from`/`to` for an interval. `to` defaults to the end of the
 * bucket holding the newest data in the store (so a replayed capture shows, whatever the
 * wall clock says), or to the end of the current bucket when the store is empty; `from`
 * defaults to {@link DEFAULT_BUCKETS} buckets before `to`, within retention. Both are widened
 * to bucket edges. A range that is empty, reversed, or longer than the interval keeps is a 400.
 */
export function resolveTimeRange(query: { from?: number | undefined; to?: number | undefined }, interval: ResolvedInterval, newest: number | null, now: number): TimeRange {
  const width = interval.resolution;
  const retention = interval.step * interval.steps;
  const ceil = (t: number) => Math.ceil(t / width) * width;
  const floor = (t: number) => Math.floor(t / width) * width;
  const to = query.to !== undefined ? ceil(query.to) : newest !== null ? floor(newest) + width : ceil(now);
  const from = query.from !== undefined ? floor(query.from) : to - Math.min(retention, DEFAULT_BUCKETS * width);
  if (query.from !== undefined && query.to !== undefined && query.from >= query.to) {
    throw new BadRequestError('from', `must be before to (from ${isoSeconds(query.from)}, to ${isoSeconds(query.to)})`);
  }
  if (from >= to) {
    throw new BadRequestError(query.from !== undefined ? 'from' : 'to', `must be before to (from ${isoSeconds(from)}, to ${isoSeconds(to)})`);
  }
  if (to - from > retention) {
    throw new BadRequestError(
      'from',
      `the range spans ${describeSeconds(to - from)}, more than interval ${interval.name} keeps (${describeSeconds(retention)}: ${interval.steps} steps of ${describeSeconds(interval.step)}); narrow it or choose a coarser interval`,
    );
  }
  return { from, to };
}
