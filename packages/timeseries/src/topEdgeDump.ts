import { parseHashDump, type DumpEntry } from './hashDump';

/** An edge chunk of a ranked range: its number and the first and last offset inside the range. */
export interface EdgeCut {
  chunk: number;
  o0: number;
  o1: number;
}

/** How a metric's buckets sit in a values hash: field `base + offset`, offsets 0..size-1. */
export interface ValuesFields {
  /** `c` count (values summed) or `s` series (samples counted: comma-separated texts). */
  kind: string;
  base: number;
  size: number;
}

/** What one stored bucket adds to a total: a count's value, a series' number of samples (comma-separated texts). */
export function bucketWeight(kind: string, value: DumpEntry): number {
  if (kind === 'c') return typeof value === 'number' ? value : Number(value);
  if (typeof value === 'number') return 1;
  let n = 1;
  for (let i = value.indexOf(','); i !== -1; i = value.indexOf(',', i + 1)) n++;
  return n;
}

/**
 * The part of an entity's chunk total outside the range's cut of the chunk: what `top` subtracts
 * from the chunk's whole total (its index score, inside the entity's upper bound) to get the
 * in-range total. Reads `fields`' buckets from the values hash's entries (field, value, ...).
 */
export function outsideTotal(entries: readonly DumpEntry[], fields: ValuesFields, cut: EdgeCut): number {
  let v = 0;
  for (let k = 0; k + 1 < entries.length; k += 2) {
    const f = entries[k] as DumpEntry;
    const o = (typeof f === 'number' ? f : Number(f)) - fields.base;
    if (o >= 0 && o < fields.size && (o < cut.o0 || o > cut.o1)) v += bucketWeight(fields.kind, entries[k + 1] as DumpEntry);
  }
  return v;
}

/**
 * {@link outsideTotal} from a values hash's `DUMP` payload (empty: no hash, so nothing outside);
 * null when the payload is not a listpack this code reads (a hash grown into a hash table): the
 * caller reads that hash's fields instead.
 */
export function outsideFromDump(dump: Buffer, fields: ValuesFields, cut: EdgeCut): number | null {
  if (dump.length === 0) return 0;
  const entries = parseHashDump(dump);
  return entries === null ? null : outsideTotal(entries, fields, cut);
}
