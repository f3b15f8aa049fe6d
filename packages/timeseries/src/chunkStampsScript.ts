import { LuaScript } from './luaScript';

/**
 * The stamps of a run of chunks of one shard, metric and interval (topUnion.ts): what lets
 * `groupTotals` use the chunks `top` parsed and kept in Node (edgeChunkCache.ts).
 *
 * KEYS[1]: the chunk stamps hash (`<top index prefix>cs`). ARGV: 1 first and 2 last chunk.
 *
 * Returns one stamp per chunk first..last, empty where a chunk has none.
 */
export const chunkStampsScript = new LuaScript(`
local c0, c1 = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = {}
for c = c0, c1, 1000 do
  local fields = {}
  for ch = c, math.min(c1, c + 999) do fields[#fields + 1] = ch end
  local got = redis.call('HMGET', KEYS[1], unpack(fields))
  for q = 1, #fields do out[#out + 1] = got[q] or '' end
end
return out
`);
