import type { CompiledCatalog } from './compileCatalog';
import { logBinEdges, logBinLabels } from './logBins';
import type { KeyRole, MetricDefinition, MetricType } from './metricDefinition';

/** One histogram bucket a metric can produce: its stored value and a display label. */
export interface BucketLabel {
  value: number | string;
  label: string;
}

/** A catalog entry as the API lists it. */
export interface MetricListing {
  name: string;
  type: MetricType;
  key: KeyRole;
  unit: string;
  description: string;
  intervals: string[];
  version: number;
  fingerprint: string;
  /**
   * For a metric with a transform, every value it can produce, in order, with
   * a display label (`0.01` → `0.01-0.1s`), so charts can order and name bins.
   */
  buckets?: BucketLabel[];
  /**
   * True for a histogram of unbounded values (one per peer IP): it backs tables such as the
   * IP page's peers, not charts.
   */
  unbounded?: true;
}

/** Lists a compiled catalog for `GET /api/metrics`, in catalog order. */
export function describeCatalog(catalog: CompiledCatalog): MetricListing[] {
  return catalog.metrics.map(({ definition: d, fingerprint }) => {
    const listing: MetricListing = {
      name: d.name,
      type: d.type,
      key: d.key,
      unit: d.unit,
      description: d.description,
      intervals: [...d.intervals],
      version: d.version,
      fingerprint,
    };
    const buckets = bucketsOf(d);
    if (buckets !== undefined) listing.buckets = buckets;
    if ('field' in d.value && d.value.unbounded === true) listing.unbounded = true;
    return listing;
  });
}

function bucketsOf(def: MetricDefinition): BucketLabel[] | undefined {
  if ('const' in def.value) return undefined;
  const t = def.value.transform;
  if (t === undefined) return undefined;
  if (t.kind === 'oneOf') return [...t.values, t.other].map((v) => ({ value: v, label: v }));
  const edges = logBinEdges(t.min, t.max, t.base ?? 10);
  const labels = logBinLabels(edges, t.unit ?? '');
  const values: ReadonlyArray<number | string> = t.labels === 'lowerEdge' ? [0, ...edges] : labels;
  return labels.map((label, i) => ({ value: values[i] ?? label, label }));
}
