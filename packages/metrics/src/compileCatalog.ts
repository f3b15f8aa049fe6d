import type { NetEvent } from '@ipscope/events';
import { EVENT_FIELDS } from './eventField';
import { fingerprint } from './fingerprint';
import { logBinner } from './logBins';
import type { Filter, KeyRole, MetricDefinition, MetricType, ValueSpec, WeightField } from './metricDefinition';
import type { RoleSampleSink, Sample, SampleSink } from './sample';
import { validateCatalog, type CatalogOptions } from './validateCatalog';

type Read = (event: NetEvent) => number | string | undefined;
type Predicate = (event: NetEvent) => boolean;

/** One definition turned into functions. */
export interface CompiledMetric {
  readonly definition: MetricDefinition;
  readonly name: string;
  readonly fingerprint: string;
  /** The IP the sample belongs to. */
  readonly entityOf: (event: NetEvent) => string;
  /** Which of the event's IPs that is: 0 the originator, 1 the responder. */
  readonly role: 0 | 1;
  /** False when the filter rejects the event. */
  readonly passes: Predicate;
  /** The sample value, or `undefined` when the event gives no sample (field absent, zero count). */
  readonly valueOf: Read;
  /** A weighted histogram's weight for the event (0: no sample); `undefined` for other metrics. */
  readonly weightOf: ((event: NetEvent) => number) | undefined;
}

/**
 * A validated catalog compiled into a flat list of functions, built once at
 * start-up so the per-event path does no interpretation of definitions.
 */
export interface CompiledCatalog {
  readonly metrics: readonly CompiledMetric[];
  /** Appends the event's samples to `out` (a new array by default) and returns it. */
  samples(event: NetEvent, out?: Sample[]): Sample[];
  /** Hands the event's samples to `sink` without creating sample objects; returns how many. */
  emit(event: NetEvent, sink: SampleSink): number;
  /**
   * The same samples as {@link CompiledCatalog.emit}, in the same order, each named by its
   * metric's index in `metrics` and its IP's role (the sample time is `event.ts`): what the
   * ingest folds without a name lookup per sample. Returns how many.
   */
  emitByRole(event: NetEvent, sink: RoleSampleSink): number;
  /** The catalog restricted to some metrics, e.g. those a backfill rebuilds. */
  subset(keep: (metric: CompiledMetric) => boolean): CompiledCatalog;
}

/**
 * Validates `defs` (throwing {@link CatalogError} on any problem) and compiles
 * them. Count samples of 0 and weighted histogram samples of weight 0 are
 * dropped: adding 0 changes nothing.
 */
export function compileCatalog(defs: readonly MetricDefinition[], options: CatalogOptions = {}): CompiledCatalog {
  const valid = validateCatalog(defs, options);
  return fromMetrics(valid.map(compileMetric));
}

function fromMetrics(metrics: readonly CompiledMetric[]): CompiledCatalog {
  const count = metrics.length;
  const emitByRole: CompiledCatalog['emitByRole'] = (event, sink) => {
    let emitted = 0;
    for (let i = 0; i < count; i++) {
      const m = metrics[i] as CompiledMetric;
      if (!m.passes(event)) continue;
      const value = m.valueOf(event);
      if (value === undefined) continue;
      if (m.weightOf === undefined) sink(i, m.role, value);
      else {
        const weight = m.weightOf(event);
        if (weight === 0) continue;
        sink(i, m.role, value, weight);
      }
      emitted++;
    }
    return emitted;
  };
  return {
    metrics,
    samples(event, out = []) {
      for (let i = 0; i < count; i++) {
        const m = metrics[i] as CompiledMetric;
        if (!m.passes(event)) continue;
        const value = m.valueOf(event);
        if (value === undefined) continue;
        if (m.weightOf === undefined) {
          out.push({ metric: m.name, entity: m.entityOf(event), ts: event.ts, value });
          continue;
        }
        const weight = m.weightOf(event);
        if (weight !== 0) out.push({ metric: m.name, entity: m.entityOf(event), ts: event.ts, value, weight });
      }
      return out;
    },
    emit(event, sink) {
      return emitByRole(event, (i, _role, value, weight) => {
        const m = metrics[i] as CompiledMetric;
        if (weight === undefined) sink(m.name, m.entityOf(event), event.ts, value);
        else sink(m.name, m.entityOf(event), event.ts, value, weight);
      });
    },
    emitByRole,
    subset(keep) {
      return fromMetrics(metrics.filter(keep));
    },
  };
}

const always: Predicate = () => true;
const origIp = (e: NetEvent): string => e.origIp;
const respIp = (e: NetEvent): string => e.respIp;

function compileMetric(def: MetricDefinition): CompiledMetric {
  return {
    definition: def,
    name: def.name,
    fingerprint: fingerprint(def),
    entityOf: def.key === 'orig' ? origIp : respIp,
    role: def.key === 'orig' ? 0 : 1,
    passes: def.filter === undefined ? always : compileFilter(def.filter, def.key),
    valueOf: compileValue(def.value, def.key, def.type),
    weightOf: def.weight === undefined ? undefined : compileWeight(def.weight, def.key),
  };
}

/**
 * Reads a weight field; an absent one weighs 0 (no sample). A value that is not a whole number
 * is passed on as it is, so the store refuses it with an error naming the weight.
 */
function compileWeight(field: WeightField, role: KeyRole): (event: NetEvent) => number {
  const read = EVENT_FIELDS[field].read(role);
  return (event) => {
    const w = read(event);
    return w === undefined ? 0 : (w as number);
  };
}

function compileValue(spec: ValueSpec, role: KeyRole, type: MetricType): Read {
  const skipZero = type === 'count';
  if ('const' in spec) {
    const constant = spec.const;
    return skipZero && constant === 0 ? () => undefined : () => constant;
  }
  const read = EVENT_FIELDS[spec.field].read(role);
  const fallback = spec.default;
  // set/hll members are text; histogram values keep their type (numbers stay numeric for percentiles)
  const stringify = type === 'set' || type === 'hll';
  let map: ((value: number | string) => number | string) | undefined;
  const transform = spec.transform;
  if (transform?.kind === 'logBins') {
    const bin = logBinner(transform.min, transform.max, transform.base, transform.unit, transform.labels);
    map = (value) => bin(value as number);
  } else if (transform?.kind === 'oneOf') {
    const known = new Set<number | string>(transform.values);
    const other = transform.other;
    map = (value) => (known.has(value) ? value : other);
  }
  return (event) => {
    const raw = read(event);
    if (raw === undefined) return fallback;
    const value = map === undefined ? raw : map(raw);
    if (skipZero && value === 0) return undefined;
    return stringify && typeof value === 'number' ? String(value) : value;
  };
}

function compileFilter(filter: Filter, role: KeyRole): Predicate {
  if ('all' in filter) {
    const parts = filter.all.map((f) => compileFilter(f, role));
    return (e) => {
      for (const part of parts) if (!part(e)) return false;
      return true;
    };
  }
  if ('any' in filter) {
    const parts = filter.any.map((f) => compileFilter(f, role));
    return (e) => {
      for (const part of parts) if (part(e)) return true;
      return false;
    };
  }
  if ('not' in filter) {
    const inner = compileFilter(filter.not, role);
    return (e) => !inner(e);
  }
  const read = EVENT_FIELDS[filter.field].read(role);
  switch (filter.op) {
    case 'exists':
      return (e) => read(e) !== undefined;
    case 'missing':
      return (e) => read(e) === undefined;
    case 'in':
    case 'notIn': {
      const set = new Set<number | string>(filter.values);
      return filter.op === 'in' ? (e) => set.has(read(e) as number | string) : (e) => !set.has(read(e) as number | string);
    }
    case 'eq': {
      const want = filter.value;
      return (e) => read(e) === want;
    }
    case 'ne': {
      const want = filter.value;
      return (e) => read(e) !== want;
    }
    default: {
      const bound = filter.value as number;
      const op = filter.op;
      return (e) => {
        const v = read(e);
        if (v === undefined) return false;
        const n = v as number;
        return op === 'gt' ? n > bound : op === 'gte' ? n >= bound : op === 'lt' ? n < bound : n <= bound;
      };
    }
  }
}
