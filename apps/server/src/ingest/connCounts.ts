import type { Store } from '@ipscope/timeseries';

/** The metric behind the walking skeleton's endpoints: connections each IP answered. */
export const RESPONDER_METRIC = 'conn.count.resp';

/**
 * The walking skeleton's two reads (busiest responders, a responder's minute series),
 * served from the time-series store.
 */
export class ConnCounts {
  constructor(private readonly store: Store) {}

  /** Busiest responders over the retained minute buckets. */
  async top(limit: number): Promise<Array<{ ip: string; connections: number }>> {
    const newest = await this.store.newest();
    if (newest === null) return [];
    const entries = await this.store.top({ metric: RESPONDER_METRIC, interval: 'days', limit });
    return entries.map((e) => ({ ip: e.entity, connections: e.value }));
  }

  /** Minute buckets in [from, to), empty minutes as 0. */
  async series(ip: string, from: number, to: number): Promise<Array<[number, number]>> {
    const result = await this.store.series({ metric: RESPONDER_METRIC, entity: ip, interval: 'days', from, to: to - 1, transform: 'sum' });
    return result.points.map((p) => [p.ts, Number(p.value ?? 0)]);
  }
}
