import type { Redis } from 'ioredis';
import { seededRandom } from '@ipscope/testkit';
import { createStore, type Sample } from '@ipscope/timeseries';
import { percentiles } from './percentiles';

export interface LatencyFigures {
  series2880: ReturnType<typeof percentiles> & { buckets: number; entities: number };
  /** The same read when the values hash of each hour also holds five other count metrics. */
  series2880SharedHash: ReturnType<typeof percentiles> & { buckets: number; entities: number; metricsInHash: number };
  top: Record<string, ReturnType<typeof percentiles> & { entities: number; range: string }>;
}

function ip(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

/**
 * Read latency on loopback, one request at a time:
 * - `series` of 2,880 one-minute buckets (the whole `days` interval) of a count metric, for
 *   entities with a sample in every minute of two days; again for entities that also have five
 *   other count metrics every minute (one values hash per hour holds all six, as with a catalog);
 * - `top` 100 of 100,000 entities over one whole hour (one index chunk), over the last hour
 *   (cutting two chunks), the last 6 hours and the last 24 hours; the last 24 hours again with each
 *   request ending a minute earlier (so the kept sum of the closed chunks is rebuilt every 60
 *   requests), and with a store that keeps no sums (every request sums its chunks).
 */
export async function measureLatency(redis: Redis, end: number, rounds: number, log: (line: string) => void): Promise<LatencyFigures> {
  await redis.flushall();
  const random = seededRandom(11);
  const shared = ['bytes', 'm1', 'm2', 'm3', 'm4', 'm5'];
  const store = createStore(redis, { prefix: 'ips', metrics: Object.fromEntries(shared.map((m) => [m, { type: 'count' as const, intervals: ['days'] }])) });

  const dense = 40;
  const batch: Sample[] = [];
  const flush = async () => {
    if (batch.length > 0) await store.bulkInsert(batch.splice(0));
  };
  for (let minute = 2879; minute >= 0; minute--) {
    for (let e = 0; e < dense; e++) batch.push({ metric: 'bytes', entity: `192.168.${e}.1`, ts: end - minute * 60, value: 1 + Math.floor(random() * 5000) });
    if (batch.length >= 20_000) await flush();
  }
  await flush();
  const seriesTimes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const entity = `192.168.${i % dense}.1`;
    const t = performance.now();
    const r = await store.series({ metric: 'bytes', entity, interval: 'days', last: 2880 });
    seriesTimes.push(performance.now() - t);
    if (r.points.length !== 2880) throw new Error(`series returned ${r.points.length} points, expected 2880`);
  }
  const series2880 = { ...percentiles(seriesTimes), buckets: 2880, entities: dense };
  log(`latency: series of 2880 buckets p50 ${series2880.p50} ms, p95 ${series2880.p95} ms`);

  const denseShared = 10;
  for (let minute = 2879; minute >= 0; minute--) {
    for (let e = 0; e < denseShared; e++) {
      for (const metric of shared) batch.push({ metric, entity: `192.169.${e}.1`, ts: end - minute * 60, value: 1 + Math.floor(random() * 5000) });
    }
    if (batch.length >= 20_000) await flush();
  }
  await flush();
  const sharedTimes: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const entity = `192.169.${i % denseShared}.1`;
    const t = performance.now();
    const r = await store.series({ metric: 'bytes', entity, interval: 'days', last: 2880 });
    sharedTimes.push(performance.now() - t);
    if (r.points.length !== 2880) throw new Error(`series returned ${r.points.length} points, expected 2880`);
  }
  const series2880SharedHash = { ...percentiles(sharedTimes), buckets: 2880, entities: denseShared, metricsInHash: shared.length };
  log(`latency: series of 2880 buckets, ${shared.length} metrics per values hash: p50 ${series2880SharedHash.p50} ms, p95 ${series2880SharedHash.p95} ms`);

  // 100k entities with heavy-tailed activity over the last 24 hours
  const entities = 100_000;
  for (let i = 0; i < entities; i++) {
    const events = 1 + Math.floor(8 * random() ** 3 * (i % 100 === 0 ? 50 : 1));
    for (let k = 0; k < events; k++) {
      const value = Math.max(1, Math.round(Math.exp(random() * 12)));
      batch.push({ metric: 'bytes', entity: ip(i + 1), ts: end - Math.floor(random() * 86_400), value });
    }
    if (batch.length >= 20_000) await flush();
  }
  await flush();
  const count = await store.countEntities({ metric: 'bytes' });
  if (count < entities) throw new Error(`only ${count} entities listed, expected ${entities}`);
  const hourStart = Math.floor(end / 3600) * 3600 - 3600;
  const ranges: Record<string, { from?: number; to?: number; last?: number; shift?: number; cache?: boolean; range: string }> = {
    wholeHour: { from: hourStart, to: hourStart + 3599, range: 'one whole hour (one index chunk)' },
    lastHour: { last: 60, range: 'last 60 minutes (cuts two chunks)' },
    last6h: { last: 360, range: 'last 6 hours (6-7 chunks)' },
    last24h: { last: 1440, range: 'last 24 hours (24-25 chunks)' },
    // each request ends one minute earlier: the kept sum of closed chunks changes every 60 requests
    last24hShifted: { last: 1440, shift: 60, range: 'last 24 hours, each request 1 minute earlier (a new kept sum every 60 requests)' },
    // nothing kept: every request sums its chunks (what the first request of a new range costs)
    last24hNoCache: { last: 1440, cache: false, range: 'last 24 hours, topCacheSeconds 0 (sums every time)' },
  };
  const uncached = createStore(redis, { prefix: 'ips', topCacheSeconds: 0, metrics: Object.fromEntries(shared.map((m) => [m, { type: 'count' as const, intervals: ['days'] }])) });
  const top: LatencyFigures['top'] = {};
  for (const [name, range] of Object.entries(ranges)) {
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      const to = range.shift === undefined ? range.to : end - i * range.shift;
      const r = await (range.cache === false ? uncached : store).top({ metric: 'bytes', interval: 'days', from: range.from, to, last: range.last, limit: 100 });
      times.push(performance.now() - t);
      if (r.length !== 100) throw new Error(`top returned ${r.length} entries`);
    }
    top[name] = { ...percentiles(times), entities, range: range.range };
    log(`latency: top 100 of ${entities} over ${range.range}: p50 ${top[name].p50} ms, p95 ${top[name].p95} ms`);
  }
  await redis.flushall();
  return { series2880, series2880SharedHash, top };
}
