import type { StoreContext } from './context';
import type { DumpEntry } from './hashDump';
import { bucketWeight, type EdgeCut, type ValuesFields } from './topEdgeDump';

/**
 * Parsed edge chunks of `top`, kept in Node between rankings.
 *
 * A ranking whose range cuts a chunk needs, for each candidate, the part of its chunk total
 * outside the cut; it read the entity's values hash there as a `DUMP` and parsed it, hundreds of
 * times per ranking of nearly tied totals (the API's computed top-100). A ranking whose range is
 * moved by a minute cuts the same chunks again, so the parsed buckets are kept here — as prefix
 * sums of the buckets' weights — per shard and chunk under the chunk's stamp (topUnion.ts): a
 * stamp lives until a write, delete or trim of the chunk deletes it in the same atomic script, so
 * entities kept under the stamp the chunk carries now hold the chunk's data now. `groupTotals`
 * (sparklines) reads and fills the same cache. A chunk met under another stamp loses everything
 * kept for it. Beyond
 * `maxNumbers` prefix sums in all (8 bytes each), the least recently used chunks go first.
 */
export class EdgeChunkCache {
  private readonly chunks = new Map<string, { stamp: string; entities: Map<string, Float64Array> }>();
  private numbers = 0;

  constructor(readonly maxNumbers: number) {}

  /**
   * The entities kept for chunk `chunkKey` (see {@link edgeChunkKey}) if they were kept under
   * `stamp`; otherwise drops what was kept for it and gives an empty map to fill.
   */
  chunk(chunkKey: string, stamp: string): Map<string, Float64Array> {
    const kept = this.chunks.get(chunkKey);
    if (kept !== undefined) {
      this.chunks.delete(chunkKey);
      if (kept.stamp === stamp) {
        this.chunks.set(chunkKey, kept);
        return kept.entities;
      }
      this.numbers -= count(kept.entities);
    }
    const fresh = { stamp, entities: new Map<string, Float64Array>() };
    this.chunks.set(chunkKey, fresh);
    return fresh.entities;
  }

  /** Keeps an entity's prefix sums in a chunk map from {@link chunk}, within the size limit. */
  keep(entities: Map<string, Float64Array>, entityKey: string, prefix: Float64Array): void {
    this.numbers += prefix.length - (entities.get(entityKey)?.length ?? 0);
    entities.set(entityKey, prefix);
    for (const [key, kept] of this.chunks) {
      if (this.numbers <= this.maxNumbers || kept.entities === entities) break;
      this.chunks.delete(key);
      this.numbers -= count(kept.entities);
    }
    if (this.numbers > this.maxNumbers) {
      entities.delete(entityKey);
      this.numbers -= prefix.length;
    }
  }

  /** Prefix sums kept in all. */
  get size(): number {
    return this.numbers;
  }
}

function count(entities: Map<string, Float64Array>): number {
  let n = 0;
  for (const prefix of entities.values()) n += prefix.length;
  return n;
}

/**
 * Prefix sums kept per store: 1.6 M numbers, about 13 MB (26 000 entity-hours of minutes).
 * The top route's sparklines use at most a quarter of it (apps/server sparklines.ts).
 */
export const EDGE_CHUNK_CACHE_NUMBERS = 1_600_000;

const caches = new WeakMap<StoreContext, EdgeChunkCache>();

/** The store's edge chunk cache (one per store, made on first use). */
export function edgeChunkCache(ctx: StoreContext): EdgeChunkCache {
  let cache = caches.get(ctx);
  if (cache === undefined) caches.set(ctx, (cache = new EdgeChunkCache(EDGE_CHUNK_CACHE_NUMBERS)));
  return cache;
}

/** Cache key of a shard's chunk of one metric (its field base) and interval. */
export function edgeChunkKey(shard: number, interval: string, fields: ValuesFields, chunk: number): string {
  return `${shard}:${interval}:${fields.base}:${chunk}`;
}

/**
 * Prefix sums of a values hash's bucket weights for `fields`' metric: element k is the sum of
 * offsets 0..k-1 (size + 1 elements). Entries: (field, value, ...), as parseHashDump answers.
 */
export function prefixSums(entries: readonly DumpEntry[], fields: ValuesFields): Float64Array {
  const weights = new Float64Array(fields.size + 1);
  for (let k = 0; k + 1 < entries.length; k += 2) {
    const f = entries[k] as DumpEntry;
    const o = (typeof f === 'number' ? f : Number(f)) - fields.base;
    if (o >= 0 && o < fields.size) weights[o + 1] = (weights[o + 1] as number) + bucketWeight(fields.kind, entries[k + 1] as DumpEntry);
  }
  for (let o = 1; o <= fields.size; o++) weights[o] = (weights[o] as number) + (weights[o - 1] as number);
  return weights;
}

/** The chunk total outside the cut (offsets below o0 and above o1), from {@link prefixSums}. */
export function outsideFromPrefix(prefix: Float64Array, cut: EdgeCut): number {
  const size = prefix.length - 1;
  return (prefix[cut.o0] as number) + ((prefix[size] as number) - (prefix[cut.o1 + 1] as number));
}
