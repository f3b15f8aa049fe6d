import { ConfigError } from './errors';
import { parseDuration, type Duration } from './duration';

/**
 * The six kairos types.
 * - `count`: sum of non-negative integer values per bucket.
 * - `gauge`: the last value written to a bucket (later writes win, as in kairos).
 * - `series`: every raw number of the bucket, in write order.
 * - `histogram`: value -> number of occurrences per bucket.
 * - `set`: the distinct members (strings) seen in a bucket.
 * - `hll`: approximate number of distinct members (Redis HyperLogLog, about 0.81 % error).
 */
export type MetricType = 'series' | 'histogram' | 'count' | 'gauge' | 'set' | 'hll';

export const METRIC_TYPES: readonly MetricType[] = ['series', 'histogram', 'count', 'gauge', 'set', 'hll'];

/** A named retention interval, as in kairos. */
export interface IntervalOptions {
  /** Width of one step (seconds or `"1m"`); retention and `last: N` count in steps. */
  step: Duration;
  /** How many steps are kept, counted back from the newest data in the store. */
  steps: number;
  /** Width of a stored bucket when finer than `step` (must divide `step`). Default: `step`. */
  resolution?: Duration;
  /**
   * Buckets packed into one Redis hash (and one top-N period). Default: the largest of 1 min,
   * 5 min, 10 min, 15 min, 30 min, 1 h, 2 h, 3 h, 6 h, 12 h, 1 d, 7 d, 30 d that holds at most 64
   * buckets (1 h for `days`, 1 d for `months`). Changing it makes existing data unreadable.
   */
  chunk?: number;
}

/** One metric: its type and the intervals it is kept in. */
export interface MetricOptions {
  type: MetricType;
  /** Names of intervals to keep; default: every configured interval. */
  intervals?: string[];
  /**
   * Keep the index `top` ranks by (one sorted-set entry per entity and chunk, written with the
   * data). Default: true for count metrics, false otherwise; histogram and series may set it.
   */
  top?: boolean;
}

/**
 * Options of {@link createStore}. Only `metrics` is required.
 */
export interface StoreOptions {
  /** Key namespace (letters, digits, `_ . : -`, at most 32). Default `"ips"`. */
  prefix?: string;
  /** Metric name (letters, digits, `_ . -`) -> definition. */
  metrics: Record<string, MetricOptions>;
  /** Interval name -> definition. Default: the seed's `days: {step: 60, steps: 2880}, months: {step: 1800, steps: 4032}`. */
  intervals?: Record<string, IntervalOptions>;
  /**
   * Number of shard hash tags series are spread over (1..1024). Each shard is one Redis Cluster
   * hash slot and one atomic write per batch. Default 16. Changing it makes existing data unreadable.
   */
  shards?: number;
  /**
   * Samples more than this many seconds ahead of the wall clock are rejected, because retention
   * follows the newest data and one bogus future timestamp would expire everything. Default 86 400;
   * `Infinity` disables the check.
   */
  maxFutureSeconds?: number;
  /** Most points one `series` call may return (guards against huge filled ranges). Default 100 000. */
  maxPoints?: number;
  /** Most keys one write deletes while trimming expired data, per shard (spreads the cost). Default 2 000. */
  trimBudget?: number;
  /**
   * `top` lets Redis sum its lists (one script per shard) and walk the sum while a shard's lists
   * hold at most this many entries together, else it runs threshold rounds on the lists; both
   * are exact. The lists are at most two per shard: the sum of the range's chunks before the
   * newest one (see `topCacheSeconds`; one chunk's index when there is one) and the newest
   * chunk's index. Default: 250 000 when neither is a kept sum, else 0 (the rounds). 0: the
   * rounds, always.
   */
  topScanLimit?: number;
  /**
   * `top` over several chunks sums their indexes in Redis once (per shard) and keeps the sum this
   * many seconds, so later rankings over the same chunks (any range inside them) read it instead
   * of summing again; any write, trim or delete that changes one of those chunk indexes deletes
   * the sum in the same atomic script, so answers stay exact. The chunk holding the newest data
   * (written all the time) is never part of a kept sum. The same setting lets `top` and
   * `groupTotals` keep the edge chunks they parse in this process (about 13 MB at most), each
   * under a stamp Redis keeps per chunk and deletes with any change of the chunk's index, so a
   * ranking moved by a minute reads them again only when they changed. Default 300; 0 sums per
   * query and keeps nothing.
   */
  topCacheSeconds?: number;
}

/** The seed's intervals. */
export const DEFAULT_INTERVALS: Readonly<Record<string, IntervalOptions>> = {
  days: { step: 60, steps: 2880 },
  months: { step: 1800, steps: 4032 },
};

export interface ResolvedInterval {
  name: string;
  /** Seconds per step. */
  step: number;
  steps: number;
  /** Seconds per stored bucket. */
  resolution: number;
  /** Buckets per chunk. */
  chunk: number;
}

export interface ResolvedMetric {
  name: string;
  type: MetricType;
  /** Key letter of the type (part of every data key, so a changed type never reads old data). */
  kind: string;
  intervals: ResolvedInterval[];
  /** count, histogram and series: their totals over a range are sums, so `top` can rank them. */
  additive: boolean;
  /** Whether the writer keeps the top index of this metric. */
  top: boolean;
  /**
   * Precision of the entity index's last-seen time: the greatest common divisor of the metric's
   * bucket widths. Coarser than a second, so most writes leave the index unchanged; still exact
   * for retention and for the last bucket of every interval.
   */
  seenUnit: number;
}

export interface ResolvedConfig {
  prefix: string;
  shards: number;
  metrics: ReadonlyMap<string, ResolvedMetric>;
  intervals: ReadonlyMap<string, ResolvedInterval>;
  maxFutureSeconds: number;
  maxPoints: number;
  trimBudget: number;
  /** undefined = the default rule (see StoreOptions.topScanLimit). */
  topScanLimit: number | undefined;
  topCacheSeconds: number;
}

const KIND: Readonly<Record<MetricType, string>> = { count: 'c', gauge: 'g', series: 's', histogram: 'x', set: 'm', hll: 'h' };
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const PREFIX = /^[A-Za-z0-9_.:-]{1,32}$/;
const CHUNK_SPANS = [60, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 604_800, 2_592_000];
const MAX_CHUNK_BUCKETS = 64;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function defaultChunk(resolution: number): number {
  let best = 0;
  for (const span of CHUNK_SPANS) {
    if (span % resolution === 0 && span / resolution <= MAX_CHUNK_BUCKETS) best = span / resolution;
  }
  return best > 0 ? best : MAX_CHUNK_BUCKETS;
}

function positiveInt(value: unknown, option: string, max: number, example: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new ConfigError(`${option} must be a whole number from 1 to ${max}, got ${String(value)}; for example ${example}`);
  }
  return value;
}

function resolveInterval(name: string, o: IntervalOptions): ResolvedInterval {
  if (!NAME.test(name)) throw new ConfigError(`intervals: name ${JSON.stringify(name)} must match ${NAME.source}, e.g. "days"`);
  if (typeof o !== 'object' || o === null) throw new ConfigError(`intervals.${name} must be an object like {step: "1m", steps: 2880}`);
  const step = parseDuration(o.step);
  if (!step.ok) throw new ConfigError(`intervals.${name}.step ${step.reason}`);
  const steps = positiveInt(o.steps, `intervals.${name}.steps`, 10_000_000, 2880);
  let resolution = step.seconds;
  if (o.resolution !== undefined) {
    const r = parseDuration(o.resolution);
    if (!r.ok) throw new ConfigError(`intervals.${name}.resolution ${r.reason}`);
    if (step.seconds % r.seconds !== 0) {
      throw new ConfigError(`intervals.${name}.resolution (${r.seconds}s) must divide step (${step.seconds}s), e.g. ${step.seconds / 2 >= 1 && step.seconds % 2 === 0 ? step.seconds / 2 : step.seconds}`);
    }
    resolution = r.seconds;
  }
  const chunk = o.chunk === undefined ? defaultChunk(resolution) : positiveInt(o.chunk, `intervals.${name}.chunk`, 1024, defaultChunk(resolution));
  return { name, step: step.seconds, steps, resolution, chunk };
}

/** Checks options once at start-up and fills defaults; every impossible setting throws a {@link ConfigError}. */
export function resolveOptions(options: StoreOptions): ResolvedConfig {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options must be an object with at least {metrics: {...}}');
  const prefix = options.prefix ?? 'ips';
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new ConfigError(`prefix ${JSON.stringify(prefix)} must be 1-32 letters, digits or _ . : - (no braces), e.g. "ips"`);
  }
  const intervals = new Map<string, ResolvedInterval>();
  const intervalOptions = options.intervals ?? DEFAULT_INTERVALS;
  for (const [name, o] of Object.entries(intervalOptions)) intervals.set(name, resolveInterval(name, o));
  if (intervals.size === 0) throw new ConfigError('intervals must define at least one interval, e.g. {days: {step: "1m", steps: 2880}}');

  if (typeof options.metrics !== 'object' || options.metrics === null) {
    throw new ConfigError("metrics is required, e.g. {'conn.resp': {type: 'count'}}");
  }
  const metrics = new Map<string, ResolvedMetric>();
  for (const [name, m] of Object.entries(options.metrics)) {
    if (!NAME.test(name)) throw new ConfigError(`metrics: name ${JSON.stringify(name)} must match ${NAME.source}, e.g. "conn.resp"`);
    if (typeof m !== 'object' || m === null || !METRIC_TYPES.includes(m.type)) {
      throw new ConfigError(`metrics.${name}.type must be one of ${METRIC_TYPES.join(', ')}, got ${JSON.stringify((m as { type?: unknown } | null)?.type)}`);
    }
    const names = m.intervals ?? [...intervals.keys()];
    if (!Array.isArray(names) || names.length === 0) {
      throw new ConfigError(`metrics.${name}.intervals must list at least one of ${[...intervals.keys()].join(', ')}`);
    }
    const seen = new Set<string>();
    const own: ResolvedInterval[] = [];
    for (const iname of names) {
      const interval = intervals.get(iname);
      if (!interval) throw new ConfigError(`metrics.${name}.intervals names unknown interval ${JSON.stringify(iname)}; known: ${[...intervals.keys()].join(', ')}`);
      if (seen.has(iname)) throw new ConfigError(`metrics.${name}.intervals lists ${JSON.stringify(iname)} twice`);
      seen.add(iname);
      own.push(interval);
    }
    const additive = m.type === 'count' || m.type === 'histogram' || m.type === 'series';
    if (m.top !== undefined && typeof m.top !== 'boolean') throw new ConfigError(`metrics.${name}.top must be true or false, got ${JSON.stringify(m.top)}`);
    if (m.top === true && !additive) throw new ConfigError(`metrics.${name}.top: a ${m.type} cannot be ranked (totals of count, histogram and series add up; a ${m.type}'s do not); remove top`);
    const seenUnit = own.map((i) => i.resolution).reduce(gcd);
    metrics.set(name, { name, type: m.type, kind: KIND[m.type], intervals: own, additive, top: m.top ?? m.type === 'count', seenUnit });
  }
  if (metrics.size === 0) throw new ConfigError("metrics must define at least one metric, e.g. {'conn.resp': {type: 'count'}}");

  const shards = positiveInt(options.shards ?? 16, 'shards', 1024, 16);
  const maxFutureSeconds = options.maxFutureSeconds ?? 86_400;
  if (typeof maxFutureSeconds !== 'number' || Number.isNaN(maxFutureSeconds) || maxFutureSeconds < 0) {
    throw new ConfigError(`maxFutureSeconds must be a non-negative number of seconds or Infinity, got ${String(maxFutureSeconds)}; e.g. 86400`);
  }
  const maxPoints = positiveInt(options.maxPoints ?? 100_000, 'maxPoints', 10_000_000, 100_000);
  const trimBudget = positiveInt(options.trimBudget ?? 2000, 'trimBudget', 1_000_000, 2000);
  const topScanLimit = options.topScanLimit;
  if (topScanLimit !== undefined && (typeof topScanLimit !== 'number' || !Number.isSafeInteger(topScanLimit) || topScanLimit < 0)) {
    throw new ConfigError(`topScanLimit must be a whole number of index entries, 0 or more, got ${String(topScanLimit)}; e.g. 20000`);
  }
  const topCacheSeconds = options.topCacheSeconds ?? 300;
  if (typeof topCacheSeconds !== 'number' || !Number.isSafeInteger(topCacheSeconds) || topCacheSeconds < 0 || topCacheSeconds > 86_400) {
    throw new ConfigError(`topCacheSeconds must be a whole number of seconds from 0 to 86400, got ${String(topCacheSeconds)}; e.g. 300`);
  }
  return { prefix, shards, metrics, intervals, maxFutureSeconds, maxPoints, trimBudget, topScanLimit, topCacheSeconds };
}
