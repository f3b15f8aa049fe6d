import { bucketIndex, chunkOf, cutoffTs, expiryTs } from './bucket';
import { InvalidSampleError } from './errors';
import type { KeyScheme } from './keyScheme';
import type { ResolvedConfig, ResolvedInterval } from './options';
import type { CheckedSample } from './sample';

/**
 * The pre-aggregated part of a batch that falls into one shard, serialised for the write script
 * (writeScript.ts): many samples of the same metric, entity and bucket become one field update,
 * all updates of one hash one group, and the indexes are updated once per entity.
 */
export interface ShardWrite {
  shard: number;
  /** KEYS of the script; KEYS[1] is the shard's fence hash (it also routes the call in a Cluster). */
  keys: string[];
  /** Operations, after the fixed header the caller prepends. */
  ops: string[];
  /** Samples aggregated into this write. */
  samples: number;
  /** Samples older than the retention of every interval of their metric (not written). */
  dropped: number;
}

type HashOp = 'I' | 'H' | 'A';

interface HashUpdate {
  op: HashOp;
  fields: Map<string, number | string | string[]>;
}

/**
 * Accumulates the samples of one shard. `newest` is the store's newest data time including this
 * batch: samples a retention window has already left are dropped here, and trimming of older
 * chunks is requested for every interval.
 */
export class ShardWriteBuilder {
  private readonly hashes = new Map<string, HashUpdate>();
  private readonly hlls = new Map<string, Set<string>>();
  private readonly rosters = new Map<string, Map<string, number>>();
  private readonly directories = new Map<string, Map<string, number>>();
  private readonly lastSeen = new Map<string, Map<string, number>>();
  private readonly expiries = new Map<string, number>();
  private readonly cutoffs: Map<string, number>;
  private samples = 0;
  private dropped = 0;

  constructor(
    private readonly shard: number,
    private readonly config: ResolvedConfig,
    private readonly keys: KeyScheme,
    private readonly newest: number,
  ) {
    this.cutoffs = new Map([...config.intervals.values()].map((i) => [i.name, cutoffTs(i, newest)]));
  }

  add(sample: CheckedSample, index: number): void {
    const { metric, entityKey: ek, ts, value } = sample;
    let accepted = false;
    let expiry = 0;
    for (const interval of metric.intervals) {
      if (ts < (this.cutoffs.get(interval.name) ?? 0)) continue;
      accepted = true;
      expiry = Math.max(expiry, expiryTs(interval, ts));
      const idx = bucketIndex(ts, interval);
      const chunk = chunkOf(idx, interval);
      const offset = idx - chunk * interval.chunk;
      const hashKey = this.keys.chunk(this.shard, metric.kind, metric.name, ek, interval.name, chunk);
      let rosterIncrement = 0;
      switch (metric.type) {
        case 'count': {
          const fields = this.hash(hashKey, 'I').fields;
          const sum = ((fields.get(String(offset)) as number | undefined) ?? 0) + (value as number);
          if (!Number.isSafeInteger(sum)) throw new InvalidSampleError(index, 'value', 'makes one bucket of this batch exceed 2^53; split the batch');
          fields.set(String(offset), sum);
          rosterIncrement = value as number;
          break;
        }
        case 'histogram': {
          const fields = this.hash(hashKey, 'I').fields;
          const field = `${offset}:${String(value)}`;
          fields.set(field, ((fields.get(field) as number | undefined) ?? 0) + 1);
          rosterIncrement = 1;
          break;
        }
        case 'series': {
          const fields = this.hash(hashKey, 'A').fields;
          const list = fields.get(String(offset)) as string[] | undefined;
          if (list) list.push(String(value));
          else fields.set(String(offset), [String(value)]);
          rosterIncrement = 1;
          break;
        }
        case 'gauge':
          this.hash(hashKey, 'H').fields.set(String(offset), String(value));
          break;
        case 'set':
          this.hash(hashKey, 'H').fields.set(`${offset}:${value as string}`, '1');
          break;
        case 'hll': {
          this.hash(hashKey, 'H').fields.set(String(offset), '1');
          const bucketKey = this.keys.hllBucket(this.shard, metric.name, ek, interval.name, chunk, offset);
          let members = this.hlls.get(bucketKey);
          if (!members) this.hlls.set(bucketKey, (members = new Set()));
          members.add(value as string);
          break;
        }
      }
      const rosterKey = this.keys.roster(this.shard, metric.name, interval.name, chunk);
      let roster = this.rosters.get(rosterKey);
      if (!roster) {
        this.rosters.set(rosterKey, (roster = new Map()));
        this.directory(interval).set(this.keys.directoryMember(metric.kind, metric.name, chunk), chunk);
      }
      roster.set(ek, (roster.get(ek) ?? 0) + rosterIncrement);
    }
    if (!accepted) {
      this.dropped++;
      return;
    }
    this.samples++;
    const indexKey = this.keys.entities(this.shard, metric.name);
    let seen = this.lastSeen.get(indexKey);
    if (!seen) this.lastSeen.set(indexKey, (seen = new Map()));
    const whole = Math.floor(ts);
    if ((seen.get(ek) ?? -1) < whole) seen.set(ek, whole);
    if ((this.expiries.get(ek) ?? 0) < expiry) this.expiries.set(ek, expiry);
  }

  get isEmpty(): boolean {
    return this.samples === 0;
  }

  /** Serialises the operations (see writeScript.ts for their meaning). */
  build(): ShardWrite {
    const keys: string[] = [this.keys.shardFence(this.shard)];
    const keyIndex = new Map<string, number>();
    const k = (key: string): string => {
      let i = keyIndex.get(key);
      if (i === undefined) {
        keys.push(key);
        i = keys.length;
        keyIndex.set(key, i);
      }
      return String(i);
    };
    const ops: string[] = [];
    for (const [key, update] of this.hashes) {
      ops.push(update.op, k(key), String(update.fields.size));
      for (const [field, v] of update.fields) ops.push(field, Array.isArray(v) ? v.join(',') : String(v));
    }
    for (const [key, members] of this.hlls) {
      ops.push('P', k(key), String(members.size), ...members);
    }
    for (const [key, roster] of this.rosters) {
      ops.push('Z', k(key), String(roster.size));
      for (const [ek, inc] of roster) ops.push(ek, String(inc));
    }
    for (const [key, members] of this.directories) {
      ops.push('D', k(key), String(members.size));
      for (const [member, score] of members) ops.push(String(score), member);
    }
    for (const [key, seen] of this.lastSeen) {
      ops.push('L', k(key), String(seen.size));
      for (const [ek, ts] of seen) ops.push(String(-ts), ek);
    }
    if (this.expiries.size > 0) {
      ops.push('L', k(this.keys.allEntities(this.shard)), String(this.expiries.size));
      for (const [ek, expiry] of this.expiries) ops.push(String(-expiry), ek);
    }
    for (const metric of this.config.metrics.values()) {
      // Entities whose newest data every interval of the metric has dropped: -lastSeen > -cutoff.
      const cutoff = Math.min(...metric.intervals.map((i) => this.cutoffs.get(i.name) ?? 0));
      ops.push('R', k(this.keys.entities(this.shard, metric.name)), String(-cutoff));
    }
    ops.push('R', k(this.keys.allEntities(this.shard)), String(-this.newest - 1));
    for (const interval of this.config.intervals.values()) {
      const cut = chunkOf((this.cutoffs.get(interval.name) ?? 0) / interval.resolution, interval);
      ops.push('T', k(this.keys.directory(this.shard, interval.name)), String(cut), interval.name);
    }
    return { shard: this.shard, keys, ops, samples: this.samples, dropped: this.dropped };
  }

  private hash(key: string, op: HashOp): HashUpdate {
    let h = this.hashes.get(key);
    if (!h) this.hashes.set(key, (h = { op, fields: new Map() }));
    return h;
  }

  private directory(interval: ResolvedInterval): Map<string, number> {
    const key = this.keys.directory(this.shard, interval.name);
    let d = this.directories.get(key);
    if (!d) this.directories.set(key, (d = new Map()));
    return d;
  }
}
