import { cutoffTs } from './bucket';
import { InvalidQueryError } from './errors';
import type { ResolvedInterval } from './options';

/** A time range of a read: `from`/`to` (unix seconds, both inclusive by bucket), or the `last` N steps. */
export interface RangeQuery {
  /** Start; the bucket holding it is the first. Default: the oldest retained bucket. */
  from?: number;
  /** End; the bucket holding it is the last. Default: the newest data of the store. */
  to?: number;
  /** Instead of `from`: the last N steps of the interval ending with the step holding `to`. */
  last?: number;
}

/** Inclusive bucket indexes of a range. */
export interface BucketRange {
  first: number;
  last: number;
}

function finite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidQueryError(field, `must be a finite number of unix seconds, got ${String(value)}`);
  return value;
}

/** Checks the shape of a range without needing the store's newest time. */
export function checkRange(q: RangeQuery): void {
  if (q.from !== undefined) finite(q.from, 'from');
  if (q.to !== undefined) finite(q.to, 'to');
  if (q.last !== undefined) {
    if (typeof q.last !== 'number' || !Number.isSafeInteger(q.last) || q.last < 1) {
      throw new InvalidQueryError('last', `must be a whole number of steps, at least 1, got ${String(q.last)}`);
    }
    if (q.from !== undefined) throw new InvalidQueryError('last', 'cannot be combined with from; give from and to, or last (and optionally to)');
  }
  if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
    throw new InvalidQueryError('from', `(${q.from}) is after to (${q.to})`);
  }
}

/**
 * Resolves a range to bucket indexes of `interval`. Defaults come from `newest` (the newest data
 * of the store); returns null when the range needs a default but the store holds no data.
 */
export function resolveRange(interval: ResolvedInterval, q: RangeQuery, newest: number | null): BucketRange | null {
  checkRange(q);
  const to = q.to ?? newest;
  if (to === null) return null;
  const res = interval.resolution;
  if (q.last !== undefined) {
    const endStep = Math.floor(to / interval.step);
    return { first: ((endStep - q.last + 1) * interval.step) / res, last: ((endStep + 1) * interval.step) / res - 1 };
  }
  const from = q.from ?? (newest === null ? null : Math.min(cutoffTs(interval, newest), to));
  if (from === null) return null;
  if (from > to) throw new InvalidQueryError('from', `(${from}) is after to (${to})`);
  return { first: Math.floor(from / res), last: Math.floor(to / res) };
}
