import { cidrContains, type Cidr } from '@ipscope/api';
import type { Store, TopEntry } from '@ipscope/timeseries';

/** Largest page the store's `top` returns, and the largest offset it accepts. */
const STORE_MAX_LIMIT = 10_000;
const STORE_MAX_OFFSET = 100_000;

export interface FilteredTop {
  entries: TopEntry[];
  /** False when the scan stopped at the store's offset limit before running out of entities. */
  complete: boolean;
}

/**
 * Top entities inside a CIDR block: walks the store's exact ranking page by page (pages
 * growing from a few times `limit` to the store's maximum) and keeps the matches in rank
 * order until it has `limit` of them or the ranking ends. Exact; the cost grows with how
 * many busier entities lie outside the block.
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
    if (offset > STORE_MAX_OFFSET) return { entries: matches, complete: false };
    page = Math.min(STORE_MAX_LIMIT, page * 2, STORE_MAX_OFFSET + STORE_MAX_LIMIT - offset);
  }
}

/**
 * Sum of an additive metric over every entity in a range, by walking the whole ranking.
 * Exact but proportional to the number of entities; `complete` is false past the store's
 * offset limit.
 */
export async function totalOverEntities(store: Store, query: { metric: string; interval: string; from: number; to: number }): Promise<{ total: number; complete: boolean }> {
  let total = 0;
  let offset = 0;
  for (;;) {
    const entries = await store.top({ ...query, limit: STORE_MAX_LIMIT, offset });
    for (const entry of entries) total += entry.value;
    if (entries.length < STORE_MAX_LIMIT) return { total, complete: true };
    offset += STORE_MAX_LIMIT;
    if (offset > STORE_MAX_OFFSET) return { total, complete: false };
  }
}
