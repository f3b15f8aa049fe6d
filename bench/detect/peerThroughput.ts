import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { MemoryModelStateStore, PeerDetector, commonPeers, PeerModel, PeerPopulation, RedisModelStateStore, resolvePeerModelOptions, seriesId } from '@ipscope/detect';
import type { ModelStateStore, PeerActivity, PeerBucket, PeerModelOptions } from '@ipscope/detect';
import { startRedisServer } from '@ipscope/testkit';
import { cpuSeconds, median, round, usedMemory } from './cpuMeasure';
import { redisCpuSeconds } from '../shared/redisCpu';
import { Random } from './random';

const MINUTE = 60;
/** The peer view's bucket with the default catalog (the `months` interval): half an hour. */
const STEP = 1800;
const T0 = Date.UTC(2024, 0, 1) / 1000;

/** A host's traffic profile: how many usual peers, peers a minute, new peers a minute. */
interface Profile {
  name: string;
  usual: number;
  perMinute: number;
  newPerMinute: number;
}

const PROFILES: readonly Profile[] = [
  { name: 'typical', usual: 40, perMinute: 12, newPerMinute: 0.05 },
  { name: 'busy', usual: 600, perMinute: 40, newPerMinute: 0.5 },
];

export interface PeerThroughputFigures {
  hosts: number;
  /** Width of the view's buckets, seconds (each the sum of its minutes). */
  step: number;
  /** Mean peers per host and bucket given to the view. */
  peersPerHostBucket: number;
  /** Median CPU seconds (this process) of one closed bucket for all hosts. */
  modelOnlyCpuSeconds: number;
  memoryStoreCpuSeconds: number;
  redisStoreCpuSeconds: number;
  redisServerCpuSeconds: number;
  /** Median wall seconds of one closed bucket. */
  memoryStoreSeconds: number;
  redisStoreSeconds: number;
  /** CPU microseconds per host and bucket through PeerDetector with Redis (this process + redis-server). */
  microsecondsPerHost: number;
  /** Encoded state bytes, per profile (mature: two days learned). */
  stateBytes: Record<string, number>;
  redisBytesPerHost: number;
}

class ProfileTraffic {
  constructor(
    private readonly profile: Profile,
    private readonly random: Random,
    private readonly tag: number,
    /** Numbering of the new peers drawn (start it apart for each step drawn separately). */
    private serial = 0,
  ) {}

  minute(): Map<string, PeerActivity> {
    const r = this.random;
    const peers = new Map<string, PeerActivity>();
    const n = r.poisson(this.profile.perMinute);
    for (let i = 0; i < n; i++) {
      const k = Math.min(this.profile.usual - 1, Math.floor(this.profile.usual * r.uniform() * r.uniform()));
      const peer = `10.${this.tag}.${k >> 8}.${k & 255}`;
      const a = peers.get(peer) ?? { conns: 0, bytes: 0 };
      peers.set(peer, { conns: a.conns + 1 + r.poisson(1), bytes: a.bytes + Math.round(r.logNormal(5000, 1)) });
    }
    for (let i = r.poisson(this.profile.newPerMinute); i > 0; i--) {
      this.serial++;
      peers.set(`172.${this.tag}.${(this.serial >> 8) & 255}.${this.serial & 255}`, { conns: 1 + r.poisson(2), bytes: Math.round(r.logNormal(20_000, 1)) });
    }
    return peers;
  }

  /** A bucket of `minutes` minutes: each peer's connections and bytes summed, as the store sums them. */
  bucket(minutes: number): Map<string, PeerActivity> {
    const sum = new Map<string, PeerActivity>();
    for (let m = 0; m < minutes; m++) {
      for (const [peer, a] of this.minute()) {
        const s = sum.get(peer);
        if (s === undefined) sum.set(peer, a);
        else {
          s.conns += a.conns;
          s.bytes += a.bytes;
        }
      }
    }
    return sum;
  }
}

/**
 * The peer view's cost per closed half-hour for `hosts` IPs (4 in 5 "typical": 40 usual
 * peers, 12 peers a minute; 1 in 5 "busy": 600 usual peers, 40 a minute; each bucket the
 * sum of 30 minutes), each with a model that learned two days of its profile: through
 * PeerDetector with state in memory and in a Redis started for the run (127.0.0.1), and
 * the model alone. A step's buckets are drawn (the same for every path) just before it is
 * timed, so only one step's peers are held at a time.
 */
export async function measurePeerThroughput(hosts: number, steps: number, log: (line: string) => void, model: Partial<PeerModelOptions> = {}): Promise<PeerThroughputFigures> {
  const random = new Random(77);
  const options = resolvePeerModelOptions({ ...model, step: STEP });
  const perBucket = STEP / MINUTE;
  const mature: Uint8Array[] = [];
  const stateBytes: Record<string, number> = {};
  const population = PeerPopulation.create();
  let lastTs = T0;
  for (const [p, profile] of PROFILES.entries()) {
    log(`peer throughput: training a ${profile.name} host for two days`);
    const model = PeerModel.create(options);
    const traffic = new ProfileTraffic(profile, random, p);
    const buckets = (2 * 86_400) / STEP;
    for (let i = 0; i < buckets; i++) {
      population.advance(T0 + i * STEP, options.halfLifeSeconds);
      model.update(T0 + i * STEP, traffic.bucket(perBucket), population);
    }
    lastTs = T0 + (buckets - 1) * STEP;
    mature.push(model.encode());
    stateBytes[profile.name] = model.encode().length;
  }
  const profileOf = (h: number): number => (h % 5 === 4 ? 1 : 0);
  const entities = Array.from({ length: hosts }, (_, h) => `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}`);
  const first = lastTs + STEP;
  let cells = 0;
  /** Step `s`'s buckets for every host, drawn from a stream of its own so every path gets the same. */
  const inputAt = (s: number): PeerBucket[] => {
    const r = new Random(1000 + s);
    const ts = first + s * STEP;
    return entities.map((entity, h) => ({ entity, ts, peers: new ProfileTraffic(PROFILES[profileOf(h)] as Profile, r, profileOf(h), 100_000 * (s + 1)).bucket(perBucket) }));
  };
  const seed = entities.map((entity, h) => ({ id: seriesId('conn.peer.orig', entity), state: mature[profileOf(h)] as Uint8Array, lastSeen: lastTs }));

  const run = async (store: ModelStateStore, serverCpu: () => Promise<number>): Promise<{ cpu: number[]; wall: number[]; server: number[] }> => {
    await store.saveShared('peers:conn.peer.orig', population.encode());
    const detector = new PeerDetector(store, { silenceHorizon: 0, model: { ...model, step: STEP } });
    const out = { cpu: [] as number[], wall: [] as number[], server: [] as number[] };
    for (let s = 0; s < steps; s++) {
      const input = inputAt(s);
      const serverBefore = await serverCpu();
      const cpuBefore = cpuSeconds();
      const began = performance.now();
      const result = await detector.processStep(first + s * STEP, input);
      out.wall.push((performance.now() - began) / 1000);
      out.cpu.push(cpuSeconds() - cpuBefore);
      out.server.push((await serverCpu()) - serverBefore);
      if (result.scores.length !== hosts) throw new Error(`expected ${hosts} peer scores, got ${result.scores.length}`);
    }
    return out;
  };

  log(`peer throughput: ${hosts} hosts, memory store`);
  const memory = new MemoryModelStateStore();
  await memory.save(seed);
  const memoryTimes = await run(memory, async () => 0);

  log('peer throughput: model alone');
  const models = entities.map((_, h) => PeerModel.decode(mature[profileOf(h)] as Uint8Array, options));
  const modelCpu: number[] = [];
  for (let s = 0; s < steps; s++) {
    const input = inputAt(s);
    for (const b of input) cells += b.peers.size;
    const before = cpuSeconds();
    // As PeerDetector does: the hosts reaching each new peer are counted over the step first.
    const step = models.map((m, h) => ({ model: m, peers: (input[h] as PeerBucket).peers }));
    const common = commonPeers(first + s * STEP, step, options.commonHosts);
    for (const { model: m, peers } of step) m.update(first + s * STEP, peers, population, options.commonHosts > 0 ? common : undefined);
    modelCpu.push(cpuSeconds() - before);
  }

  log('peer throughput: Redis store (a private redis-server on 127.0.0.1)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-bench-peers-'));
  const redisServer = await startRedisServer({ dir, appendonly: false });
  const redis = new Redis(redisServer.url);
  let redisTimes = { cpu: [] as number[], wall: [] as number[], server: [] as number[] };
  let redisBytesPerHost = 0;
  try {
    const store = new RedisModelStateStore(redis, { prefix: 'bench:peers', shards: 64 });
    const before = usedMemory(await redis.info('memory'));
    for (let i = 0; i < seed.length; i += 5000) await store.save(seed.slice(i, i + 5000));
    redisBytesPerHost = (usedMemory(await redis.info('memory')) - before) / seed.length;
    redisTimes = await run(store, async () => redisCpuSeconds(await redis.info('cpu')));
  } finally {
    await redis.quit();
    await redisServer.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const redisCpu = median(redisTimes.cpu);
  const redisServer2 = median(redisTimes.server);
  return {
    hosts,
    step: STEP,
    peersPerHostBucket: round(cells / (hosts * steps)),
    modelOnlyCpuSeconds: round(median(modelCpu)),
    memoryStoreCpuSeconds: round(median(memoryTimes.cpu)),
    redisStoreCpuSeconds: round(redisCpu),
    redisServerCpuSeconds: round(redisServer2),
    memoryStoreSeconds: round(median(memoryTimes.wall)),
    redisStoreSeconds: round(median(redisTimes.wall)),
    microsecondsPerHost: round(((redisCpu + redisServer2) / hosts) * 1e6),
    stateBytes,
    redisBytesPerHost: Math.round(redisBytesPerHost),
  };
}
