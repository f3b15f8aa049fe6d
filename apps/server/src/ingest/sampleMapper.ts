import type { CompiledCatalog } from '@ipscope/metrics';
import type { SampleMapper } from './batchDecoder';

/**
 * Maps events through the catalog; a message naming metrics (a backfill of chosen metrics)
 * goes through the catalog restricted to those, compiled once per distinct list.
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
  return mapper;
}
