import { InvalidIpError, InvalidQueryError } from './errors';
import { ipKey } from './canonicalIp';
import type { ResolvedConfig, ResolvedInterval, ResolvedMetric } from './options';

/** The configured metric called `name`, or an {@link InvalidQueryError} listing the known ones. */
export function lookupMetric(config: ResolvedConfig, name: unknown): ResolvedMetric {
  const metric = typeof name === 'string' ? config.metrics.get(name) : undefined;
  if (!metric) throw new InvalidQueryError('metric', `${JSON.stringify(name)} is not a configured metric (known: ${[...config.metrics.keys()].join(', ')})`);
  return metric;
}

/** The interval `name` of `metric`, or an {@link InvalidQueryError} listing the metric's intervals. */
export function lookupInterval(metric: ResolvedMetric, name: unknown): ResolvedInterval {
  const interval = metric.intervals.find((i) => i.name === name);
  if (!interval) {
    throw new InvalidQueryError('interval', `${JSON.stringify(name)} is not an interval of metric ${JSON.stringify(metric.name)} (it has: ${metric.intervals.map((i) => i.name).join(', ')})`);
  }
  return interval;
}

/** The key form of an entity in a query, or an {@link InvalidQueryError} saying why it is not an IP. */
export function lookupEntity(entity: unknown): string {
  try {
    return ipKey(entity as string);
  } catch (error) {
    if (error instanceof InvalidIpError) throw new InvalidQueryError('entity', `is not an IP address: ${error.message}`);
    throw error;
  }
}

/** A page size or offset: whole and within bounds. */
export function lookupCount(value: unknown, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidQueryError(field, `must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}
