import { cidrContains, type Cidr } from '@ipscope/api';
import type { Store, TopEntry } from '@ipscope/timeseries';

/** Largest page the store's `top` returns. */
const STORE_MAX_LIMIT = 10_000;
/**
 * Most ranked entities a CIDR filter walks through. Each page is a ranking run inside Redis, and
 * deeper pages cost more; beyond this the answer is what was found, marked incomplete.
 */
export const CIDR_SCAN_MAX = 20_000;

export interface FilteredTop {
  entries: TopEntry[];
  /** False when the scan stopped at {@link CIDR_SCAN_MAX} entities before running out of them. */
  complete: boolean;
}

/**
 * Top entities inside a CIDR block: walks the store's exact ranking page by page (pages
 * growing from a few times `limit`) and keeps the matches in rank order until it has `limit`
 * of them, the ranking ends, or {@link CIDR_SCAN_MAX} entities were walked. Exact when
 * `complete`; the cost grows with how many busier entities lie outside the block.
 */
export async function topInCidr(
  store: Store,
  query: { metric: string; interval: string; from: number; to: number; limit: number },
  cidr: Cidr,
): Promise<FilteredTop> {
  const matches: TopEntry[] = [];
  let offset = 0;
  let page = Math.min(STORE_MAX_LIMIT, Math.max(200, query.limit * 4));
  for (;;) {
    const entries = await store.top({ metric: query.metric, interval: query.interval, from: query.from, to: query.to, limit: page, offset });
    for (const entry of entries) {
      if (!cidrContains(cidr, entry.entity)) continue;
      matches.push(entry);
      if (matches.length === query.limit) return { entries: matches, complete: true };
    }
    if (entries.length < page) return { entries: matches, complete: true };
    offset += page;
    if (offset >= CIDR_SCAN_MAX) return { entries: matches, complete: false };
    page = Math.min(STORE_MAX_LIMIT, page * 2, CIDR_SCAN_MAX - offset);
  }
}

/** Most entities a total is computed exactly over; beyond, the busiest `TOTAL_SAMPLE` give a lower bound. */
export const TOTAL_EXACT_MAX = 10_000;
export const TOTAL_SAMPLE = 1000;

/**
 * Sum of a ranked metric over every entity in a range. The store has no all-entity total, so
 * this ranks entities: exact while the metric has at most {@link TOTAL_EXACT_MAX} entities (one
 * ranking of all of them); above that, ranking them all would run long scripts inside Redis and
 * stall every other client, so the answer is the sum over the busiest {@link TOTAL_SAMPLE}, a
 * lower bound marked `complete: false`.
 */
export async function totalOverEntities(store: Store, query: { metric: string; interval: string; from: number; to: number }): Promise<{ total: number; complete: boolean }> {
  const entities = await store.countEntities({ metric: query.metric });
  if (entities === 0) return { total: 0, complete: true };
  const exact = entities <= TOTAL_EXACT_MAX;
  const entries = await store.top({ ...query, limit: exact ? entities : TOTAL_SAMPLE });
  return { total: entries.reduce((sum, e) => sum + e.value, 0), complete: exact };
}
