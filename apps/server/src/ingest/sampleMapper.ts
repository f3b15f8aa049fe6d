import type { CompiledCatalog, RoleSampleSink } from '@ipscope/metrics';
import type { NetEvent } from '@ipscope/events';
import type { SampleFold, SampleMapper } from './batchDecoder';

/**
 * Maps events through the catalog; a message naming metrics (a backfill of chosen metrics)
 * goes through the catalog restricted to those, compiled once per distinct list.
 *
 * `fold` hands each sample to the aggregate by position: the catalog's metrics are matched to
 * the aggregate's metric slots once per aggregate and catalog, so no sample is looked up by name.
 */
export function catalogSampleMapper(catalog: CompiledCatalog): SampleMapper {
  const subsets = new Map<string, CompiledCatalog>();
  const restricted = (only: string | undefined): CompiledCatalog => {
    if (only === undefined) return catalog;
    let subset = subsets.get(only);
    if (!subset) {
      const names = new Set(only.split(',').map((m) => m.trim()));
      subset = catalog.subset((m) => names.has(m.name));
      if (subsets.size > 100) subsets.clear();
      subsets.set(only, subset);
    }
    return subset;
  };
  const mapper: SampleMapper = (event, only) => restricted(only).samples(event);
  mapper.emit = (event, only, sink) => restricted(only).emit(event, sink);

  // The plan of the last (aggregate, catalog) pair: an aggregate takes many events in a row.
  let planInto: SampleFold | undefined;
  let planCatalog: CompiledCatalog | undefined;
  let planSink: RoleSampleSink | undefined;
  let current: NetEvent | undefined;
  const plan = (into: SampleFold, cat: CompiledCatalog): RoleSampleSink => {
    const slots = cat.metrics.map((m) => into.slotOf(m.name));
    return (metric, role, value, weight) => {
      const slot = slots[metric] as number;
      if (slot >= 0) into.addFor(slot, role, value, weight);
      else {
        // Not configured in the store: `add` refuses it with the error that names the metric.
        const event = current as NetEvent;
        into.add((cat.metrics[metric] as CompiledCatalog['metrics'][number]).name, role === 0 ? event.origIp : event.respIp, event.ts, value, weight);
      }
    };
  };
  mapper.fold = (event, only, into) => {
    const cat = restricted(only);
    if (into !== planInto || cat !== planCatalog) {
      planSink = plan(into, cat);
      planInto = into;
      planCatalog = cat;
    }
    current = event;
    into.event(event.ts, event.origIp, event.respIp);
    return cat.emitByRole(event, planSink as RoleSampleSink);
  };
  return mapper;
}
