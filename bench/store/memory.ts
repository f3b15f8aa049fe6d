import type { Redis } from 'ioredis';
import { DEFAULT_INTERVALS, type createStore, type MetricOptions, type Sample } from '@ipscope/timeseries';
import { runKairos } from './kairosRunner';
import { allKeys, encodings, memoryUsage, usedMemory } from './redisMemory';

export interface MemoryFigure {
  type: string;
  samples: number;
  /** Distinct (metric, entity, interval, bucket) stored. */
  buckets: number;
  /** Distinct (bucket, value) for histograms and sets, else = buckets. */
  entries: number;
  ipscope: {
    bytes: number;
    bytesPerBucket: number;
    dataBytesPerBucket: number;
    /** MEMORY USAGE of every key that is not data (indexes, rosters, registries, generations), per bucket. */
    indexBytesPerBucket: number;
    /** MEMORY USAGE per bucket by key kind (the letters after the hash tag, see keyScheme.ts). */
    byKind: Record<string, number>;
    keys: number;
    dataEncodings: Record<string, number>;
  };
  kairos: { bytes: number; bytesPerBucket: number; keys: number };
  /** kairos bytes / ipscope bytes. */
  ratio: number;
}

const DATA_KIND = /^\{[^}]*\}(?:v|l|x|m|hb):/;
const KIND = /^\{[^}]*\}([A-Za-z]*)/;

function countBuckets(samples: readonly Sample[], metrics: Record<string, MetricOptions>): { buckets: number; entries: number } {
  const buckets = new Set<string>();
  const entries = new Set<string>();
  for (const s of samples) {
    const m = metrics[s.metric] as MetricOptions;
    for (const name of m.intervals ?? Object.keys(DEFAULT_INTERVALS)) {
      const step = (DEFAULT_INTERVALS[name] as { step: number }).step;
      const b = `${s.metric}|${s.entity}|${name}|${Math.floor(s.ts / step)}`;
      buckets.add(b);
      if (m.type === 'histogram' || m.type === 'set') entries.add(`${b}|${s.value}`);
    }
  }
  return { buckets: buckets.size, entries: entries.size || buckets.size };
}

/**
 * Bytes per stored bucket, per type: the whole store's growth of Redis used_memory (data and
 * every index) divided by the buckets stored, and MEMORY USAGE of the data keys alone; kairos's
 * layout of the same samples (its used_memory growth) beside it.
 */
export async function measureMemory(
  redis: Redis,
  port: number,
  python: string,
  workDir: string,
  metrics: Record<string, MetricOptions>,
  samples: readonly Sample[],
  log: (line: string) => void,
  create: typeof createStore,
): Promise<MemoryFigure[]> {
  const byType = new Map<string, Sample[]>();
  for (const s of samples) {
    const type = (metrics[s.metric] as MetricOptions).type;
    let list = byType.get(type);
    if (!list) byType.set(type, (list = []));
    list.push(s);
  }
  const out: MemoryFigure[] = [];
  for (const [type, list] of byType) {
    const own: Record<string, MetricOptions> = {};
    for (const [name, m] of Object.entries(metrics)) if (m.type === type) own[name] = m;
    const { buckets, entries } = countBuckets(list, own);

    await redis.flushall();
    const before = await usedMemory(redis);
    const store = create(redis, { prefix: 'ips', metrics: own });
    for (let i = 0; i < list.length; i += 20_000) await store.bulkInsert(list.slice(i, i + 20_000));
    const bytes = (await usedMemory(redis)) - before;
    const keys = await allKeys(redis);
    const dataKeys = keys.filter((k) => DATA_KIND.test(k));
    const dataBytes = await memoryUsage(redis, dataKeys);
    const kinds = new Map<string, string[]>();
    for (const key of keys) {
      const kind = KIND.exec(key)?.[1] ?? '?';
      let list = kinds.get(kind);
      if (!list) kinds.set(kind, (list = []));
      list.push(key);
    }
    const byKind: Record<string, number> = {};
    for (const [kind, list] of [...kinds].sort()) byKind[kind] = round((await memoryUsage(redis, list)) / buckets);
    const indexBytes = await memoryUsage(redis, keys.filter((k) => !DATA_KIND.test(k)));
    const dataEncodings = await encodings(redis, dataKeys.filter((k) => !k.includes('}hb:')));

    await redis.flushall();
    const kBefore = await usedMemory(redis);
    runKairos(python, workDir, port, list, own, 20_000);
    const kBytes = (await usedMemory(redis)) - kBefore;
    const kKeys = await redis.dbsize();
    await redis.flushall();

    const figure: MemoryFigure = {
      type,
      samples: list.length,
      buckets,
      entries,
      ipscope: { bytes, bytesPerBucket: round(bytes / buckets), dataBytesPerBucket: round(dataBytes / buckets), indexBytesPerBucket: round(indexBytes / buckets), byKind, keys: keys.length, dataEncodings },
      kairos: { bytes: kBytes, bytesPerBucket: round(kBytes / buckets), keys: kKeys },
      ratio: round(kBytes / bytes),
    };
    log(`memory ${type}: ipscope ${figure.ipscope.bytesPerBucket} B/bucket (data ${figure.ipscope.dataBytesPerBucket}, indexes ${figure.ipscope.indexBytesPerBucket}, by kind ${JSON.stringify(byKind)}), kairos ${figure.kairos.bytesPerBucket} B/bucket`);
    out.push(figure);
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
