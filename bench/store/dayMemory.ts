import type { Redis } from 'ioredis';
import { decodeZeekConnJson } from '@ipscope/events';
import { compileCatalog, defaultCatalog, storeMetrics } from '@ipscope/metrics';
import { ZeekConnGenerator } from '@ipscope/testkit';
import { createStore, type MetricOptions, type Sample } from '@ipscope/timeseries';
import { allKeys, usedMemory } from './redisMemory';

export interface DayMemoryFigure {
  hours: number;
  connections: number;
  samples: number;
  /** count buckets stored (fields of the values hashes). */
  buckets: number;
  bytes: number;
  bytesPerBucket: number;
  dataBytesPerBucket: number;
}

/**
 * Bytes per count bucket once the store holds `hours` of traffic (a steady state: chunks and
 * index entries filled by many buckets), for the default catalog's count metrics only. ipscope
 * only: kairos's layout is a key per bucket whatever the density (its figure is in the main table).
 */
export async function measureDayMemory(redis: Redis, end: number, hours: number, log: (line: string) => void): Promise<DayMemoryFigure> {
  await redis.flushall();
  const catalog = compileCatalog(defaultCatalog);
  const all = storeMetrics(catalog);
  const metrics: Record<string, MetricOptions> = {};
  for (const [name, m] of Object.entries(all)) if (m.type === 'count') metrics[name] = m;
  const store = createStore(redis, { prefix: 'ips', metrics });
  const before = await usedMemory(redis);
  const generator = new ZeekConnGenerator({ seed: 9, clients: 9776, servers: 24 });
  let batch: Sample[] = [];
  const scratch: Sample[] = [];
  let connections = 0;
  let samples = 0;
  for (const record of generator.between(end - hours * 3600, end, 40)) {
    const decoded = decodeZeekConnJson(JSON.stringify(record));
    if (decoded.kind !== 'event') continue;
    connections++;
    scratch.length = 0;
    catalog.samples(decoded.event, scratch);
    for (const s of scratch) if (s.metric in metrics) batch.push(s);
    if (batch.length >= 20_000) {
      samples += batch.length;
      await store.bulkInsert(batch);
      batch = [];
      if (connections % 200_000 < 1100) log(`day memory: ${connections} connections loaded`);
    }
  }
  samples += batch.length;
  await store.bulkInsert(batch);
  const bytes = (await usedMemory(redis)) - before;
  const values = (await allKeys(redis)).filter((k) => /^\{[^}]*\}v:/.test(k));
  let buckets = 0;
  let dataBytes = 0;
  for (let i = 0; i < values.length; i += 2000) {
    const pipeline = redis.pipeline();
    for (const key of values.slice(i, i + 2000)) pipeline.hlen(key).memory('USAGE', key, 'SAMPLES', 0);
    const replies = (await pipeline.exec()) ?? [];
    for (let j = 0; j < replies.length; j += 2) {
      buckets += Number(replies[j]?.[1] ?? 0);
      dataBytes += Number(replies[j + 1]?.[1] ?? 0);
    }
  }
  await redis.flushall();
  const round = (x: number) => Math.round(x * 10) / 10;
  return { hours, connections, samples, buckets, bytes, bytesPerBucket: round(bytes / buckets), dataBytesPerBucket: round(dataBytes / buckets) };
}
