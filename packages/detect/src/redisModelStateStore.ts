import type { Cluster, Redis } from 'ioredis';
import { seriesHash } from './detector';
import { DetectError, InvalidOptionError } from './errors';
import type { ModelStateStore, StoredState } from './modelStateStore';

/** Options of {@link RedisModelStateStore}. */
export interface RedisModelStateStoreOptions {
  /** Key prefix. Default `ipscope:detect`. */
  prefix: string;
  /**
   * Number of shard hashes the series are spread over by id hash. Each shard is one
   * hash of states plus one sorted set of last-seen times, sharing a `{…}` hash tag so
   * a shard lives in one Redis Cluster slot while the shards spread over the cluster.
   * Default 64. Must not change for existing data.
   */
  shards: number;
}

export const defaultRedisModelStateStoreOptions: RedisModelStateStoreOptions = {
  prefix: 'ipscope:detect',
  shards: 64,
};

/** Redis failed while loading or saving model state; retrying later may succeed. */
export class ModelStateStoreError extends DetectError {
  constructor(message: string, cause: unknown) {
    super('state_store', message, { retriable: true, cause });
  }
}

/**
 * Keeps compact per-series model state in Redis, so a restarted or additional
 * detector continues where the last one left off.
 *
 * Keys, for shard `s` of `prefix`:
 * - `prefix:{s<s>}:state` — hash: series id → state bytes (≈ 350 bytes a series);
 * - `prefix:{s<s>}:seen` — sorted set: series id → last real observation (epoch s);
 * - `prefix:{shared}:<name>` — small shared states (newcomer population per metric),
 *   their names in the set `prefix:{shared}:.names`.
 *
 * A step is loaded with one HMGET per shard and saved with one MULTI (HSET + ZADD)
 * per shard, all sent without waiting in between (ioredis pipelines them on the
 * connection). Each shard's write is atomic; a crash between shards is harmless
 * because the detector skips series whose state already contains the step.
 * Works with a single `Redis` client or an ioredis `Cluster`.
 */
export class RedisModelStateStore implements ModelStateStore {
  private readonly redis: Redis | Cluster;
  readonly options: RedisModelStateStoreOptions;

  constructor(redis: Redis | Cluster, options: Partial<RedisModelStateStoreOptions> = {}) {
    const merged = { ...defaultRedisModelStateStoreOptions, ...options };
    if (!Number.isInteger(merged.shards) || merged.shards < 1 || merged.shards > 16_384) {
      throw new InvalidOptionError('shards', `must be an integer in [1, 16384], e.g. 64 (got ${merged.shards})`);
    }
    if (merged.prefix === '' || /[{}]/.test(merged.prefix)) {
      throw new InvalidOptionError('prefix', `must be non-empty without braces, e.g. "ipscope:detect" (got ${JSON.stringify(merged.prefix)})`);
    }
    this.redis = redis;
    this.options = merged;
  }

  private shardOf(id: string): number {
    return seriesHash(id) % this.options.shards;
  }

  private stateKey(shard: number): string {
    return `${this.options.prefix}:{s${shard}}:state`;
  }

  private seenKey(shard: number): string {
    return `${this.options.prefix}:{s${shard}}:seen`;
  }

  private sharedKey(name: string): string {
    return `${this.options.prefix}:{shared}:${name}`;
  }

  private group<T>(items: readonly T[], idOf: (item: T) => string): Map<number, { item: T; index: number }[]> {
    const groups = new Map<number, { item: T; index: number }[]>();
    items.forEach((item, index) => {
      const shard = this.shardOf(idOf(item));
      let list = groups.get(shard);
      if (list === undefined) groups.set(shard, (list = []));
      list.push({ item, index });
    });
    return groups;
  }

  private async guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new ModelStateStoreError(`Redis failed while ${what}: ${(error as Error).message}`, error);
    }
  }

  async load(ids: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    const out: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(ids.length).fill(undefined);
    if (ids.length === 0) return out;
    const groups = this.group(ids, (id) => id);
    await this.guard('loading model state', () =>
      Promise.all(
        [...groups].map(async ([shard, members]) => {
          const values = await this.redis.hmgetBuffer(this.stateKey(shard), ...members.map((m) => m.item));
          members.forEach((member, i) => {
            const value = values[i];
            if (value !== null && value !== undefined) out[member.index] = new Uint8Array(value.buffer, value.byteOffset, value.length);
          });
        }),
      ),
    );
    return out;
  }

  async save(entries: readonly StoredState[]): Promise<void> {
    if (entries.length === 0) return;
    const groups = this.group(entries, (entry) => entry.id);
    await this.guard('saving model state', () =>
      Promise.all(
        [...groups].map(async ([shard, members]) => {
          const fields: (string | Buffer)[] = [];
          const seen: (string | number)[] = [];
          for (const { item } of members) {
            fields.push(item.id, Buffer.from(item.state.buffer, item.state.byteOffset, item.state.length));
            if (item.lastSeen !== undefined) seen.push(item.lastSeen, item.id);
          }
          const multi = this.redis.multi().hset(this.stateKey(shard), ...fields);
          if (seen.length > 0) multi.zadd(this.seenKey(shard), ...seen);
          const results = await multi.exec();
          const failed = results?.find(([error]) => error !== null);
          if (results === null || failed !== undefined) throw failed?.[0] ?? new Error('transaction aborted');
        }),
      ),
    );
  }

  async listActive(since: number): Promise<string[]> {
    const lists = await this.guard('listing active series', () =>
      Promise.all(Array.from({ length: this.options.shards }, (_, shard) => this.redis.zrangebyscore(this.seenKey(shard), since, '+inf'))),
    );
    return lists.flat();
  }

  async loadShared(name: string): Promise<Uint8Array | undefined> {
    const value = await this.guard('loading shared state', () => this.redis.getBuffer(this.sharedKey(name)));
    return value === null ? undefined : new Uint8Array(value.buffer, value.byteOffset, value.length);
  }

  async saveShared(name: string, state: Uint8Array): Promise<void> {
    await this.guard('saving shared state', () =>
      this.redis
        .multi()
        .set(this.sharedKey(name), Buffer.from(state.buffer, state.byteOffset, state.length))
        .sadd(this.sharedKey('.names'), name)
        .exec(),
    );
  }

  /**
   * Forgets series last seen before `before` (epoch s): their state and last-seen
   * entry. Returns how many were removed. Run it now and then (e.g. hourly) with the
   * retention you want for dormant series.
   */
  async prune(before: number): Promise<number> {
    const removed = await this.guard('pruning old series', () =>
      Promise.all(
        Array.from({ length: this.options.shards }, async (_, shard) => {
          const ids = await this.redis.zrangebyscore(this.seenKey(shard), '-inf', `(${before}`);
          if (ids.length === 0) return 0;
          await this.redis.multi().hdel(this.stateKey(shard), ...ids).zrem(this.seenKey(shard), ...ids).exec();
          return ids.length;
        }),
      ),
    );
    return removed.reduce((a, b) => a + b, 0);
  }

  /** Removes every key of this store's prefix (tests and tear-down). */
  async clear(): Promise<void> {
    const keys: string[] = [];
    for (let shard = 0; shard < this.options.shards; shard++) keys.push(this.stateKey(shard), this.seenKey(shard));
    await this.guard('clearing the store', () => Promise.all(keys.map((key) => this.redis.del(key))));
    const names = await this.guard('clearing the store', () => this.redis.smembers(this.sharedKey('.names')));
    await this.guard('clearing the store', () => this.redis.del(...names.map((name) => this.sharedKey(name)), this.sharedKey('.names')));
  }
}
