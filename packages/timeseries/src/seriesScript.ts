import { LuaScript } from './luaScript';

/**
 * Reads one count, gauge, series or hll metric of one entity over a run of chunks, in one call,
 * together with the entity's write generation (seriesGeneration.ts).
 *
 * KEYS: the shard's generation hash, the entity's generation hash (`g:<d>`), then the entity's
 * values hashes of consecutive chunks (one shard, so one slot). ARGV: the entity key, the chunk size, then the metric's field names for
 * offsets 0 .. chunk size - 1 (`metric number × chunk size + offset` as decimal text, as the
 * writer stores them: passed as text so the script converts no numbers), then per values hash
 * the first and last offset wanted inside its chunk.
 *
 * Returns first the generation pair `{entity's generation, all-entities generation}` (each
 * nothing when unset), read in the same atomic call as the data, then one reply per values hash:
 * nothing for a missing key; the key's `DUMP` payload when the hash is a listpack (read in Node by
 * hashDump.ts: Redis copies the listpack's bytes instead of building a reply per field, which was
 * most of a 2 880-bucket read's cost on both sides); otherwise — a hash grown into a hash table
 * (long series texts, or more fields than the listpack limit, e.g. many metrics under Redis's
 * default of 128) — a one-element array holding the wanted buckets' texts joined by `|` (empty
 * for a bucket without data; stored texts never contain `|`), read with HMGET, which is O(1) per
 * field in a hash table. Deciding inside the script means a hash table is never dumped only to be
 * read again.
 */
export const seriesScript = new LuaScript(`
local call = redis.call
local size = tonumber(ARGV[2])
local base = 2 + size
local out = {{call('HGET', KEYS[2], ARGV[1]), call('HGET', KEYS[1], '*')}}
for k = 3, #KEYS do
  local j = k - 2
  local enc = call('OBJECT', 'ENCODING', KEYS[k])
  if not enc then
    out[j + 1] = false
  elseif enc == 'listpack' then
    out[j + 1] = call('DUMP', KEYS[k])
  else
    local o0, o1 = tonumber(ARGV[base + 2 * j - 1]), tonumber(ARGV[base + 2 * j])
    local vals = call('HMGET', KEYS[k], unpack(ARGV, 3 + o0, 3 + o1))
    local parts = {}
    for q = 1, o1 - o0 + 1 do parts[q] = vals[q] or '' end
    out[j + 1] = {table.concat(parts, '|')}
  end
end
return out
`);
