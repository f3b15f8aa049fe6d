import type { ResolvedInterval } from './options';

/**
 * Bucket arithmetic, in one place. A bucket of an interval is `resolution` seconds wide and starts
 * at `floor(ts / resolution) * resolution` (UTC, since unix time has no zone). Its index is
 * `floor(ts / resolution)`. Buckets are grouped `chunk` at a time into one Redis hash.
 *
 * Retention follows the newest data of the store (`newest`, whole seconds), never the wall clock:
 * a bucket is kept while it lies in one of the last `steps` steps ending with the step holding
 * `newest`, i.e. while its start is at or after {@link cutoffTs}.
 */
export function bucketIndex(ts: number, interval: ResolvedInterval): number {
  return Math.floor(ts / interval.resolution);
}

/** Start (unix seconds) of the bucket holding `ts`. */
export function bucketStart(ts: number, interval: ResolvedInterval): number {
  return bucketIndex(ts, interval) * interval.resolution;
}

/** Oldest bucket start still retained when the newest data is at `newest`. */
export function cutoffTs(interval: ResolvedInterval, newest: number): number {
  return (Math.floor(newest / interval.step) - interval.steps + 1) * interval.step;
}

/** Index of the oldest retained bucket (see {@link cutoffTs}). */
export function cutoffIndex(interval: ResolvedInterval, newest: number): number {
  return cutoffTs(interval, newest) / interval.resolution;
}

/**
 * The newest-data time at which data written at `ts` leaves the interval: the data is visible
 * while the store's newest data is strictly before this.
 */
export function expiryTs(interval: ResolvedInterval, ts: number): number {
  return (Math.floor(ts / interval.step) + interval.steps) * interval.step;
}

/** Chunk number of a bucket index. */
export function chunkOf(index: number, interval: ResolvedInterval): number {
  return Math.floor(index / interval.chunk);
}
