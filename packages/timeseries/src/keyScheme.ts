/**
 * Every Redis key of the store, derived here and only here (the trim and delete scripts rebuild
 * keys from the same pieces, e.g. `tag + kind + ":" + metric + ":" + entityKey + ":" + interval +
 * ":" + chunk`; keyScheme.test.ts pins the layout).
 *
 * A series lives in one of `shards` shards chosen by a hash of its entity, and all keys of a shard
 * share the hash tag `{prefix:shard}`, so one Lua script can write a shard's part of a batch, its
 * indexes and its fence atomically, on one Redis or on a Redis Cluster.
 *
 * Per shard `{p:s}`:
 * - `{p:s}<kind>:<metric>:<entity>:<interval>:<chunk>` hash, field = bucket offset in the chunk
 *   (histogram `offset:value`, set `offset:member`); for hll the hash only marks which buckets exist
 * - `{p:s}hb:<metric>:<entity>:<interval>:<chunk>:<offset>` HyperLogLog of one hll bucket
 * - `{p:s}t:<metric>:<interval>:<chunk>` zset entity -> total in the chunk (top-N index; only
 *   metrics with `top`)
 * - `{p:s}r:<interval>:<chunk>` set of the entities with data of any metric in the chunk (trimming)
 * - `{p:s}d:<interval>` zset chunk -> chunk: chunks that have a roster, oldest first (trimming)
 * - `{p:s}M` set `<kind><metric>` of the metrics ever written in the shard (trimming, deleting)
 * - `{p:s}e:<metric>` zset entity -> -(last seen, whole seconds): entity listing per metric
 * - `{p:s}E` zset entity -> -(time at which its last data expires): listing over all metrics
 * - `{p:s}f` hash fence scope -> last applied token
 * Global (one slot `{p}`): `{p}newest` zset holding the newest data time; `{p}fence` hash scope ->
 * token of the last batch applied completely.
 */
export class KeyScheme {
  readonly prefix: string;
  readonly shards: number;

  constructor(prefix: string, shards: number) {
    this.prefix = prefix;
    this.shards = shards;
  }

  /** Shard of an entity key: FNV-1a (32 bit) of its text, modulo the shard count. */
  shardOf(entityKey: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < entityKey.length; i++) {
      h ^= entityKey.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % this.shards;
  }

  tag(shard: number): string {
    return `{${this.prefix}:${shard}}`;
  }

  chunk(shard: number, kind: string, metric: string, entityKey: string, interval: string, chunk: number): string {
    return `${this.tag(shard)}${kind}:${metric}:${entityKey}:${interval}:${chunk}`;
  }

  hllBucket(shard: number, metric: string, entityKey: string, interval: string, chunk: number, offset: number): string {
    return `${this.tag(shard)}hb:${metric}:${entityKey}:${interval}:${chunk}:${offset}`;
  }

  topIndex(shard: number, metric: string, interval: string, chunk: number): string {
    return `${this.tag(shard)}t:${metric}:${interval}:${chunk}`;
  }

  roster(shard: number, interval: string, chunk: number): string {
    return `${this.tag(shard)}r:${interval}:${chunk}`;
  }

  directory(shard: number, interval: string): string {
    return `${this.tag(shard)}d:${interval}`;
  }

  registry(shard: number): string {
    return `${this.tag(shard)}M`;
  }

  registryMember(kind: string, metric: string): string {
    return `${kind}${metric}`;
  }

  entities(shard: number, metric: string): string {
    return `${this.tag(shard)}e:${metric}`;
  }

  allEntities(shard: number): string {
    return `${this.tag(shard)}E`;
  }

  shardFence(shard: number): string {
    return `${this.tag(shard)}f`;
  }

  newest(): string {
    return `{${this.prefix}}newest`;
  }

  fence(): string {
    return `{${this.prefix}}fence`;
  }
}
