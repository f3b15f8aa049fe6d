/**
 * Every Redis key of the store, derived here and only here (the trim and delete scripts rebuild
 * keys from the same pieces, e.g. `tag + kind + ":" + metric + ":" + entityKey + ":" + interval +
 * ":" + chunk`; keyScheme.test.ts pins the layout).
 *
 * A series lives in one of `shards` shards chosen by a hash of its entity, and all keys of a shard
 * share the hash tag `{prefix:shard}`, so one Lua script can write a shard's part of a batch, its
 * indexes and its fence atomically, on one Redis or on a Redis Cluster.
 *
 * Per shard `{p:s}` (`s` the shard number in base 36):
 * - `{p:s}v:<entity>:<interval>:<chunk>` hash of every count, gauge and series metric of the
 *   entity in the chunk, and the marks of its hll buckets: field `id * chunk + offset` (an
 *   integer: compact in a listpack), where `id` is the metric's number in `{p}ids`
 * - `{p:s}l:<entity>:<interval>:<chunk>` hash of every histogram and set metric of the entity in
 *   the chunk: field `<id * chunk + offset>:<label>` (histogram: value count; set: member, `1`), so
 *   one HMGET and one HSET write all of them (layout 2; layout 1 had one hash per metric)
 * - `{p:s}hb:<metric>:<entity>:<interval>:<chunk>:<offset>` HyperLogLog of one hll bucket
 * - `{p:s}t:<metric>:<interval>:<chunk>` zset entity -> total in the chunk (top-N index; only
 *   metrics with `top`)
 * - `{p:s}t:<metric>:<interval>:us:<first>:<last>` zset entity -> sum of the top indexes of chunks
 *   first..last, cached by `top` with a TTL, with `...:us:<first>:<last>:s` its chunk stamps, and
 *   `{p:s}t:<metric>:<interval>:u` the registry (topUnion.ts)
 * - `{p:s}r:<interval>:<chunk>` set of the IPv4 entities with data of any metric in the chunk
 *   (trimming), as decimal integers: a compact intset; `{p:s}r6:<interval>:<chunk>` the same for
 *   IPv6 entities (their keys), apart so that one IPv6 host does not turn the IPv4 roster into a
 *   hash table
 * - `{p:s}d:<interval>` zset chunk -> chunk: chunks that have a roster, oldest first (trimming)
 * - `{p:s}M` hash metric -> `<kind><top 0|1><id>` of the metrics ever written in the shard
 *   (trimming)
 * - `{p:s}e:<metric>:<part>` zset entity -> -(last seen, whole seconds): entity listing per
 *   metric, in {@link ENTITY_INDEX_PARTS} parts by the entity key's last hex digit (layout 3; one
 *   zset per metric held ~600 entities, and a listpack zset is searched linearly for every member
 *   a write adds: ZADD on these indexes was a sixth of the write script's time)
 * - `{p:s}E` zset entity -> -(time at which its last data expires): listing over all metrics
 * - `{p:s}f` hash fence scope -> last applied token
 * - `{p:s}g` hash of write generations: `#` counter, `*` generation of the last deleteMetric step;
 *   `{p:s}g:<d>` hash entity -> generation of its last change, for the entities whose key ends in
 *   hex digit `d` (16 small hashes instead of one: each stays a compact listpack)
 *   (seriesGeneration.ts)
 * Global (one slot `{p}`): `{p}newest` zset holding the newest data time; `{p}fence` hash scope ->
 * token of the last batch applied completely; `{p}ids` hash `<type>:<metric>` -> metric number,
 * `#` the next number and `@layout` the stored layout version ({@link STORED_LAYOUT}).
 */
/**
 * Version of the key layout above, kept in `{p}ids` field `@layout` (metricIds.ts): a store refuses
 * keys of another layout instead of misreading them.
 */
export const STORED_LAYOUT = 3;

/** Parts of a shard's per-metric entity index (`e:<metric>:<part>`), chosen by the entity key's last hex digit. */
export const ENTITY_INDEX_PARTS = 4;

/** The part of the per-metric entity index that holds an entity. */
export function entityIndexPart(entityKey: string): number {
  return parseInt(entityKey.charAt(entityKey.length - 1), 16) % ENTITY_INDEX_PARTS;
}

/** Lua: `entityIndex(tag, metric, ek)` is the name of the per-metric entity index part holding entity `ek`. */
export const ENTITY_INDEX_LUA = `
local function entityIndex(tag, metric, ek)
  return tag .. 'e:' .. metric .. ':' .. (tonumber(string.sub(ek, -1), 16) % ${ENTITY_INDEX_PARTS})
end
`;

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

  /**
   * Hash tag of a shard: `{prefix:shard}`, the shard number in base 36 (layout 3), so that with the
   * default prefix a values hash key of an IPv4 entity stays within 30 characters, which Redis
   * allocates in 32 bytes instead of 48 (`{ips:15}v:0a010613:months:20786` was 31).
   */
  tag(shard: number): string {
    return `{${this.prefix}:${shard.toString(36)}}`;
  }

  values(shard: number, entityKey: string, interval: string, chunk: number): string {
    return `${this.tag(shard)}v:${entityKey}:${interval}:${chunk}`;
  }

  /** Hash of every histogram and set metric of an entity in one chunk. */
  labelled(shard: number, entityKey: string, interval: string, chunk: number): string {
    return `${this.tag(shard)}l:${entityKey}:${interval}:${chunk}`;
  }

  hllBucket(shard: number, metric: string, entityKey: string, interval: string, chunk: number, offset: number): string {
    return `${this.tag(shard)}hb:${metric}:${entityKey}:${interval}:${chunk}:${offset}`;
  }

  topIndex(shard: number, metric: string, interval: string, chunk: number): string {
    return `${this.topIndexPrefix(shard, metric, interval)}${chunk}`;
  }

  /** The top index keys of a metric and interval without their chunk number (topUnion.ts builds on it). */
  topIndexPrefix(shard: number, metric: string, interval: string): string {
    return `${this.tag(shard)}t:${metric}:${interval}:`;
  }

  /** The IPv4 roster of a chunk. */
  roster(shard: number, interval: string, chunk: number): string {
    return `${this.tag(shard)}r:${interval}:${chunk}`;
  }

  /** The IPv6 roster of a chunk. */
  roster6(shard: number, interval: string, chunk: number): string {
    return `${this.tag(shard)}r6:${interval}:${chunk}`;
  }

  /** The roster of a chunk that holds an entity: IPv4 or IPv6. */
  rosterOf(shard: number, interval: string, chunk: number, entityKey: string): string {
    return entityKey.length === 8 ? this.roster(shard, interval, chunk) : this.roster6(shard, interval, chunk);
  }

  directory(shard: number, interval: string): string {
    return `${this.tag(shard)}d:${interval}`;
  }

  /** An entity in a chunk roster: IPv4 as its decimal number (intset-friendly), IPv6 as its key. */
  rosterMember(entityKey: string): string {
    return entityKey.length === 8 ? String(parseInt(entityKey, 16)) : entityKey;
  }

  registry(shard: number): string {
    return `${this.tag(shard)}M`;
  }

  /** Value of a metric in the shard registry: kind letter, top flag, metric number. */
  registryEntry(kind: string, top: boolean, id: number): string {
    return `${kind}${top ? 1 : 0}${id}`;
  }

  /** The part of a metric's entity index that holds an entity. */
  entities(shard: number, metric: string, entityKey: string): string {
    return this.entityIndexPart(shard, metric, entityIndexPart(entityKey));
  }

  /** One part of a metric's entity index (0 to {@link ENTITY_INDEX_PARTS} - 1). */
  entityIndexPart(shard: number, metric: string, part: number): string {
    return `${this.tag(shard)}e:${metric}:${part}`;
  }

  /** Every part of a metric's entity index in a shard. */
  entityIndexParts(shard: number, metric: string): string[] {
    return Array.from({ length: ENTITY_INDEX_PARTS }, (_, part) => this.entityIndexPart(shard, metric, part));
  }

  allEntities(shard: number): string {
    return `${this.tag(shard)}E`;
  }

  shardFence(shard: number): string {
    return `${this.tag(shard)}f`;
  }

  generations(shard: number): string {
    return `${this.tag(shard)}g`;
  }

  /** The hash holding an entity's write generation: one of 16 per shard, by the key's last hex digit. */
  entityGenerations(shard: number, entityKey: string): string {
    return `${this.tag(shard)}g:${entityKey.charAt(entityKey.length - 1)}`;
  }

  newest(): string {
    return `{${this.prefix}}newest`;
  }

  fence(): string {
    return `{${this.prefix}}fence`;
  }

  ids(): string {
    return `{${this.prefix}}ids`;
  }
}
