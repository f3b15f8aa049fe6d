import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createBucketReader, createStore } from '@ipscope/timeseries';
import type { Sample, Store } from '@ipscope/timeseries';
import { startRedisServer } from '@ipscope/testkit';
import { Random } from './random';

/** The detect role's per-minute reads of distinct counts and state mixes, one IP at a time versus batched. */
export interface StoreReadFigures {
  ips: number;
  /** Buckets read per minute (IPs × metrics). */
  buckets: number;
  rounds: number;
  /** Median wall seconds to read one minute: one `get` per IP and metric (500 in flight), as the role did before. */
  perIpSeconds: number;
  /** Median wall seconds with `BucketReader.getMany` (one pipelined round trip per shard). */
  batchedSeconds: number;
  /** perIpSeconds ÷ batchedSeconds, from rounds run alternately. */
  speedup: number;
  /** Both paths returned the same non-empty buckets. */
  identical: boolean;
}

const METRICS = {
  'conn.peers.orig': { type: 'hll' },
  'conn.ports.orig': { type: 'hll' },
  'conn.state.orig': { type: 'histogram' },
  'conn.count.orig': { type: 'count' },
} as const;
const READ = ['conn.peers.orig', 'conn.ports.orig', 'conn.state.orig'];
const T0 = Date.UTC(2024, 0, 1) / 1000;
const STATES = ['SF', 'S0', 'REJ', 'RSTO', 'RSTR', 'SH', 'OTH'];

/**
 * Writes one minute of traffic of `ips` hosts into a store on a private redis-server on
 * 127.0.0.1, then reads that minute's distinct peers, distinct ports and state mix of every
 * host `rounds` times each way, alternating, and compares. Bounded; stops the server after.
 */
export async function measureStoreReads(ips: number, rounds: number, log: (line: string) => void): Promise<StoreReadFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-bench-detect-reads-'));
  const server = await startRedisServer({ dir, appendonly: false });
  const redis = new Redis(server.url);
  try {
    const store = createStore(redis, { prefix: 'bench:reads', metrics: METRICS });
    const random = new Random(7);
    const entities = Array.from({ length: ips }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.9`);
    const samples: Sample[] = [];
    for (const entity of entities) {
      const conns = 1 + random.int(0, 40);
      for (let c = 0; c < conns; c++) {
        const ts = T0 + random.int(0, 59);
        samples.push(
          { metric: 'conn.peers.orig', entity, ts, value: `192.0.2.${random.int(1, 200)}` },
          { metric: 'conn.ports.orig', entity, ts, value: String(random.pick([80, 443, 53, 22, 8080, random.int(1024, 65535)])) },
          { metric: 'conn.state.orig', entity, ts, value: random.pick(STATES) },
          { metric: 'conn.count.orig', entity, ts, value: 1 },
        );
      }
    }
    for (let i = 0; i < samples.length; i += 20_000) await store.bulkInsert(samples.slice(i, i + 20_000));
    log(`store reads: ${ips} IPs × ${READ.length} metrics, ${rounds} rounds each way`);
    const reader = createBucketReader(redis, store.config);
    const perIp: number[] = [];
    const batched: number[] = [];
    let identical = true;
    for (let r = 0; r < rounds; r++) {
      let began = performance.now();
      const one = await readPerIp(store, entities);
      perIp.push((performance.now() - began) / 1000);
      began = performance.now();
      const many = await reader.getMany({ metrics: READ, entities, interval: 'days', ts: T0 });
      batched.push((performance.now() - began) / 1000);
      const flat = new Map<string, string>();
      for (const [metric, values] of many.values) for (const [entity, value] of values) flat.set(`${metric} ${entity}`, JSON.stringify(value));
      identical &&= flat.size === one.size && [...one].every(([k, v]) => flat.get(k) === v);
    }
    const perIpSeconds = median(perIp);
    const batchedSeconds = median(batched);
    return { ips, buckets: ips * READ.length, rounds, perIpSeconds: round(perIpSeconds), batchedSeconds: round(batchedSeconds), speedup: round(perIpSeconds / batchedSeconds), identical };
  } finally {
    await redis.quit();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The role's former read: per metric, chunks of 500 concurrent `get`s. */
async function readPerIp(store: Store, entities: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const metric of READ) {
    for (let i = 0; i < entities.length; i += 500) {
      const chunk = entities.slice(i, i + 500);
      const points = await Promise.all(chunk.map((entity) => store.get({ metric, entity, interval: 'days', ts: T0 })));
      points.forEach((p, j) => {
        const empty = p.value === 0 || p.value === null || (typeof p.value === 'object' && Object.keys(p.value).length === 0);
        if (!empty) out.set(`${metric} ${chunk[j] as string}`, JSON.stringify(p.value));
      });
    }
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
