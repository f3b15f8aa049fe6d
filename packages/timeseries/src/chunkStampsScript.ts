import { LuaScript } from './luaScript';

/**
 * The stamps of a run of chunks in the kept unions of one shard, metric and interval (topUnion.ts):
 * what lets `groupTotals` use the chunks `top` parsed and kept in Node (edgeChunkCache.ts).
 *
 * KEYS[1]: the unions' registry (`<top index prefix>u`). ARGV: 1 first and 2 last chunk.
 *
 * Returns one stamp per chunk first..last, from the first existing union in the registry that
 * holds the chunk; empty where none does.
 */
export const chunkStampsScript = new LuaScript(`
local c0, c1 = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = {}
for c = c0, c1 do out[c - c0 + 1] = '' end
for _, u in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', c1)) do
  local a, z = string.match(u, ':(%d+):(%d+)$')
  a, z = tonumber(a), tonumber(z)
  if a and z and z >= c0 then
    local fields = {}
    for c = math.max(a, c0), math.min(z, c1) do
      if out[c - c0 + 1] == '' then fields[#fields + 1] = c end
    end
    if #fields > 0 and redis.call('EXISTS', u) == 1 then
      local got = redis.call('HMGET', u .. ':s', unpack(fields))
      for q = 1, #fields do
        if got[q] then out[fields[q] - c0 + 1] = got[q] end
      end
    end
  end
end
return out
`);
