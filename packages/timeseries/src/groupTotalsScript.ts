import { LuaScript } from './luaScript';

/**
 * The values hashes of many entities of one shard over a run of chunks, in one call, as `DUMP`
 * payloads (groupTotals.ts sums them in Node).
 *
 * KEYS[1]: any key of the shard (routes the call to the shard's slot; every key read shares its
 * hash tag). ARGV: 1 data key prefix (`tag v:`), 2 key middle (`:interval:`), 3 first and 4 last
 * chunk number, then the entity keys.
 *
 * Returns, entity by entity and chunk by chunk, the payload of `DUMP <prefix><entity><middle><chunk>`
 * (empty when the key is missing). A dump is Redis copying a listpack's bytes; an HMGET of the
 * wanted fields costs ~10x more Redis time, every field becoming a Lua value.
 */
export const groupTotalsScript = new LuaScript(`
local kp, km = ARGV[1], ARGV[2]
local c0, c1 = tonumber(ARGV[3]), tonumber(ARGV[4])
local out = {}
for a = 5, #ARGV do
  local e = kp .. ARGV[a] .. km
  for c = c0, c1 do out[#out + 1] = redis.call('DUMP', e .. c) or '' end
end
return out
`);
