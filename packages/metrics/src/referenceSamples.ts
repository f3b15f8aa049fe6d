import type { NetEvent } from '@ipscope/events';
import { logBinner } from './logBins';
import type { Filter, KeyRole, MetricDefinition, ValueSpec } from './metricDefinition';
import type { Sample } from './sample';

/*
 * A deliberately plain interpreter of metric definitions: it walks the
 * definition data for every event. Tests hold the compiled catalog to it, and
 * the benchmark uses it as the baseline the compiled form is measured against.
 */

function field(event: NetEvent, name: string, role: KeyRole): number | string | undefined {
  const mine = role === 'orig';
  switch (name) {
    case 'ip':
      return mine ? event.origIp : event.respIp;
    case 'peerIp':
      return mine ? event.respIp : event.origIp;
    case 'ownPort':
      return mine ? event.origPort : event.respPort;
    case 'peerPort':
      return mine ? event.respPort : event.origPort;
    case 'bytes':
      return event.origBytes + event.respBytes;
    case 'pkts':
      return event.origPkts + event.respPkts;
    case 'sentBytes':
      return mine ? event.origBytes : event.respBytes;
    case 'recvBytes':
      return mine ? event.respBytes : event.origBytes;
    case 'sentPkts':
      return mine ? event.origPkts : event.respPkts;
    case 'recvPkts':
      return mine ? event.respPkts : event.origPkts;
    case 'protoPort':
      return event.respPort === undefined ? undefined : `${event.proto}/${event.respPort}`;
    default:
      return (event as unknown as Record<string, number | string | undefined>)[name];
  }
}

function passes(filter: Filter | undefined, event: NetEvent, role: KeyRole): boolean {
  if (filter === undefined) return true;
  if ('all' in filter) return filter.all.every((f) => passes(f, event, role));
  if ('any' in filter) return filter.any.some((f) => passes(f, event, role));
  if ('not' in filter) return !passes(filter.not, event, role);
  const v = field(event, filter.field, role);
  switch (filter.op) {
    case 'exists':
      return v !== undefined;
    case 'missing':
      return v === undefined;
    case 'in':
      return v !== undefined && filter.values.includes(v);
    case 'notIn':
      return v === undefined || !filter.values.includes(v);
    case 'eq':
      return v === filter.value;
    case 'ne':
      return v !== filter.value;
    case 'gt':
      return v !== undefined && v > filter.value;
    case 'gte':
      return v !== undefined && v >= filter.value;
    case 'lt':
      return v !== undefined && v < filter.value;
    case 'lte':
      return v !== undefined && v <= filter.value;
  }
}

function value(spec: ValueSpec, def: MetricDefinition, event: NetEvent): number | string | undefined {
  if ('const' in spec) return def.type === 'count' && spec.const === 0 ? undefined : spec.const;
  const raw = field(event, spec.field, def.key);
  if (raw === undefined) return spec.default;
  let v: number | string = raw;
  const t = spec.transform;
  if (t?.kind === 'logBins') v = logBinner(t.min, t.max, t.base, t.unit, t.labels)(raw as number);
  if (t?.kind === 'oneOf') v = t.values.includes(String(raw)) ? raw : t.other;
  if (def.type === 'count' && v === 0) return undefined;
  return def.type === 'set' || def.type === 'hll' ? String(v) : v;
}

/** The samples of one event, computed by walking the definitions. */
export function referenceSamples(defs: readonly MetricDefinition[], event: NetEvent): Sample[] {
  const out: Sample[] = [];
  for (const def of defs) {
    if (!passes(def.filter, event, def.key)) continue;
    const v = value(def.value, def, event);
    if (v === undefined) continue;
    const entity = def.key === 'orig' ? event.origIp : event.respIp;
    if (def.weight === undefined) {
      out.push({ metric: def.name, entity, ts: event.ts, value: v });
      continue;
    }
    const weight = (field(event, def.weight, def.key) as number | undefined) ?? 0;
    if (weight > 0) out.push({ metric: def.name, entity, ts: event.ts, value: v, weight });
  }
  return out;
}
