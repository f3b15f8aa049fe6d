import type { ResolvedConfig } from '@ipscope/timeseries';
import { BackfillError } from './backfillError';

/**
 * The time window a rebuild deletes and replays: `[since, before)` in unix seconds, both on a
 * bucket boundary of every interval of the rebuilt metrics, so each bucket is either wholly
 * rebuilt (deleted, then filled from the archive) or wholly left to live traffic. Events at or
 * after `before` are never replayed: the live workers, running the new definition, count them.
 */
export interface RebuildWindow {
  /** First second rebuilt; null = everything the store holds before `before`. */
  since: number | null;
  /** First second not rebuilt (the cut-over to live traffic). */
  before: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Seconds every bucket boundary of the metrics falls on: the least common multiple of their
 * intervals' bucket widths (30 min for the seed's 1 min and 30 min). Throws a
 * {@link BackfillError} (`usage`) naming a metric the store does not know.
 */
export function rebuildAlignment(config: ResolvedConfig, metrics: readonly string[]): number {
  let lcm = 1;
  for (const name of metrics) {
    const metric = config.metrics.get(name);
    if (!metric) throw new BackfillError('usage', `--metrics: ${JSON.stringify(name)} is not in the metric catalog (known: ${[...config.metrics.keys()].join(', ')})`);
    for (const interval of metric.intervals) lcm = (lcm / gcd(lcm, interval.resolution)) * interval.resolution;
  }
  return lcm;
}

/** The window for a cut at `before` and an optional start `since`, both rounded down to `alignment`. */
export function rebuildWindow(before: number, since: number | undefined, alignment: number): RebuildWindow {
  const cut = Math.floor(before / alignment) * alignment;
  const start = since === undefined ? null : Math.floor(since / alignment) * alignment;
  if (start !== null && start >= cut) {
    throw new BackfillError(
      'usage',
      `--since ${iso(since as number)} and --before ${iso(before)} leave nothing to rebuild once rounded down to the metrics' ${alignment}-second bucket boundaries (${iso(start)} and ${iso(cut)}); widen the window`,
    );
  }
  return { since: start, before: cut };
}

/** Whether an event time falls in the window (and is replayed). */
export function inWindow(window: RebuildWindow, ts: number): boolean {
  return ts < window.before && (window.since === null || ts >= window.since);
}

export function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
