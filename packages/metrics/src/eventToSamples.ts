import type { NetEvent } from '@ipscope/events';
import { compileCatalog, type CompiledCatalog } from './compileCatalog';
import type { MetricDefinition } from './metricDefinition';
import type { Sample, SampleSink } from './sample';

const compiled = new WeakMap<readonly MetricDefinition[], CompiledCatalog>();

/**
 * Compiles a definition list once and remembers it, so that passing the same
 * (unchanged) array on every event costs a lookup. Treat catalogs as
 * immutable: edit a copy, not an array already used here.
 */
function compiledFor(catalog: readonly MetricDefinition[] | CompiledCatalog): CompiledCatalog {
  if (!Array.isArray(catalog)) return catalog as CompiledCatalog;
  const list = catalog as readonly MetricDefinition[];
  let hit = compiled.get(list);
  if (hit === undefined) {
    hit = compileCatalog(list);
    compiled.set(list, hit);
  }
  return hit;
}

/**
 * The samples one event contributes under a catalog: per metric whose filter
 * passes and whose value is present, `{ metric, entity, ts, value }` with the
 * entity the keyed IP and `ts` the event's time. Appends to `out` when given
 * (reuse one array per batch). A raw definition list is validated and
 * compiled on first use (throwing CatalogError if invalid).
 */
export function eventToSamples(
  catalog: readonly MetricDefinition[] | CompiledCatalog,
  event: NetEvent,
  out?: Sample[],
): Sample[] {
  return compiledFor(catalog).samples(event, out);
}

/**
 * Like {@link eventToSamples} but hands each sample to `sink` as arguments,
 * allocating nothing per sample. Returns the number of samples.
 */
export function emitSamples(
  catalog: readonly MetricDefinition[] | CompiledCatalog,
  event: NetEvent,
  sink: SampleSink,
): number {
  return compiledFor(catalog).emit(event, sink);
}
