import type { MetricDefinition } from './metricDefinition';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/**
 * A stable 64-bit fingerprint (16 hex digits) of what a definition means:
 * name, version, type, key, value, filter, intervals and weight; not the description
 * or unit, whose wording may change freely. Backfill selects definitions by
 * name and fingerprint, so rebuilding one metric never touches another.
 * Property order and interval order do not matter.
 */
export function fingerprint(def: MetricDefinition): string {
  const meaning = {
    name: def.name,
    version: def.version,
    type: def.type,
    key: def.key,
    value: def.value,
    filter: def.filter ?? null,
    intervals: [...def.intervals].sort(),
    // absent for unweighted metrics, so their fingerprints are those from before weights
    weight: def.weight,
  };
  return fnv1a64Hex(canonicalJson(meaning));
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** FNV-1a 64-bit hash of the UTF-8 bytes of `text`, as 16 hex digits. */
export function fnv1a64Hex(text: string): string {
  let hash = FNV_OFFSET;
  const bytes = new TextEncoder().encode(text);
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK;
  }
  return hash.toString(16).padStart(16, '0');
}
