import type { CatalogResponse, MetricType } from '@ipscope/api';
import type { ResolvedInterval, Store } from '@ipscope/timeseries';
import type { CatalogEntry } from './deps';
import { BadRequestError } from './errors';

/** A metric the API can serve: in the catalog and in the store, with its intervals resolved. */
export interface ServedMetric {
  name: string;
  type: MetricType;
  key: 'orig' | 'resp';
  unit: string;
  description: string;
  intervals: ReadonlyMap<string, ResolvedInterval>;
  /** Whether the store keeps the index that ranks entities by this metric (busiest IPs, totals). */
  ranked: boolean;
  buckets: ReadonlyArray<{ value: number | string; label: string }> | undefined;
  /** A histogram of unbounded values (peer IPs). */
  unbounded?: boolean;
}

/**
 * Checks metric and interval names from requests against the catalog and the store's
 * configuration, so only known names reach the store (and its Redis keys).
 */
export class CatalogLookup {
  private readonly metrics = new Map<string, ServedMetric>();
  readonly intervals: ReadonlyMap<string, ResolvedInterval>;

  constructor(catalog: readonly CatalogEntry[], store: Store) {
    this.intervals = store.config.intervals;
    for (const entry of catalog) {
      const stored = store.config.metrics.get(entry.name);
      if (!stored) continue;
      const intervals = new Map(stored.intervals.filter((i) => entry.intervals.includes(i.name)).map((i) => [i.name, i]));
      const ranked = stored.top;
      this.metrics.set(entry.name, { name: entry.name, type: stored.type, key: entry.key, unit: entry.unit, description: entry.description, intervals, ranked, buckets: entry.buckets, unbounded: entry.unbounded === true });
    }
  }

  /** Every served metric, in catalog order. */
  all(): ServedMetric[] {
    return [...this.metrics.values()];
  }

  /** The metric named `name`, or a 400 naming `parameter`. */
  metric(name: string, parameter = 'metric'): ServedMetric {
    const metric = this.metrics.get(name);
    if (!metric) throw new BadRequestError(parameter, `unknown metric ${JSON.stringify(name)}; GET /api/metrics lists them`);
    return metric;
  }

  /** The interval named `name` for every given metric, or a 400 naming `interval`. */
  interval(name: string, metrics: readonly ServedMetric[]): ResolvedInterval {
    const interval = this.intervals.get(name);
    if (!interval) throw new BadRequestError('interval', `unknown interval ${JSON.stringify(name)}; known: ${[...this.intervals.keys()].join(', ')}`);
    for (const metric of metrics) {
      if (!metric.intervals.has(name)) {
        throw new BadRequestError('interval', `metric ${metric.name} is not kept in interval ${name}; it is kept in ${[...metric.intervals.keys()].join(', ')}`);
      }
    }
    return interval;
  }

  /** The `GET /api/metrics` body. */
  describe(): CatalogResponse {
    return {
      metrics: this.all().map((m) => ({
        name: m.name,
        type: m.type,
        key: m.key,
        unit: m.unit,
        description: m.description,
        intervals: [...m.intervals.keys()],
        ranked: m.ranked,
        ...(m.buckets ? { buckets: m.buckets.map((b) => ({ value: b.value, label: b.label })) } : {}),
        ...(m.unbounded ? { unbounded: true } : {}),
      })),
      intervals: [...this.intervals.values()].map((i) => ({ name: i.name, step: i.resolution, steps: Math.round((i.steps * i.step) / i.resolution) })),
    };
  }
}
