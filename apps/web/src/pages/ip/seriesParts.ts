import type { SeriesResponseV1 } from '@ipscope/api';
import type { SeriesQuery } from '../../api/requestUrls';

/**
 * Metrics in the first series request of an IP page: about what the first screen shows
 * (at 1280×720 two or three charts, in catalog order, once metrics without data are left out).
 */
export const FIRST_PART_METRICS = 4;

/**
 * The page's series query split in two requests: the first screen's metrics, then the rest.
 * The server reads the small part sooner, and the browser draws its charts while the server
 * is still reading the rest.
 */
export function splitSeriesQuery(q: SeriesQuery, first = FIRST_PART_METRICS): SeriesQuery[] {
  if (q.metrics.length <= first) return [q];
  return [
    { ...q, metrics: q.metrics.slice(0, first) },
    { ...q, metrics: q.metrics.slice(first) },
  ];
}

/** One part's state, as React Query reports it. */
export interface SeriesPartState {
  data: SeriesResponseV1 | undefined;
  /** The data is the previous view's, kept on screen until this part's answer arrives. */
  isPlaceholderData: boolean;
}

/** What the page draws from its parts. */
export interface MergedSeries {
  /** The series to draw: every part, or the leading parts that have arrived; undefined while none has. */
  data: SeriesResponseV1 | undefined;
  /** Every part has its own answer: nothing more will arrive for this view. */
  complete: boolean;
  /** The data shown is the previous view's. */
  isPlaceholderData: boolean;
  /** Parts still to come after `data` (drawn as loading). */
  waiting: number;
}

function merge(parts: readonly SeriesResponseV1[]): SeriesResponseV1 | undefined {
  const [head, ...rest] = parts;
  if (!head) return undefined;
  if (rest.length === 0) return head;
  return {
    ...head,
    downsampling: { ...head.downsampling, aggregation: Object.assign({}, ...parts.map((p) => p.downsampling.aggregation)) as Record<string, SeriesResponseV1['downsampling']['aggregation'][string]> },
    series: parts.flatMap((p) => p.series),
  };
}

/**
 * Combines the parts of one view, in order. When some have answered for this view, the
 * leading answered ones are drawn and the rest wait (charts appear top down, nothing above
 * them moves). Until any has, the previous view's data stays (dimmed) if every part still has it.
 */
export function mergeSeriesParts(parts: readonly SeriesPartState[]): MergedSeries {
  const fresh: SeriesResponseV1[] = [];
  for (const p of parts) {
    if (!p.data || p.isPlaceholderData) break;
    fresh.push(p.data);
  }
  if (fresh.length > 0) return { data: merge(fresh), complete: fresh.length === parts.length, isPlaceholderData: false, waiting: parts.length - fresh.length };
  const previous = parts.map((p) => p.data);
  if (previous.length > 0 && previous.every((d) => d !== undefined)) {
    return { data: merge(previous as SeriesResponseV1[]), complete: false, isPlaceholderData: true, waiting: 0 };
  }
  return { data: undefined, complete: false, isPlaceholderData: false, waiting: parts.length };
}
