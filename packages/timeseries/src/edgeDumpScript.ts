import { LuaScript } from './luaScript';

/**
 * Dumps of edge chunks `top` does not keep in Node yet (edgeChunkCache.ts), read only if the edge
 * chunks still carry the stamps the ranking saw: then they have not changed since, and the dumps
 * belong with the ranking's upper bounds.
 *
 * KEYS[1]: the chunk stamps hash of the metric and interval (topUnion.ts). ARGV: 1 data key prefix (`tag v:`), 2 key middle
 * (`:interval:`), 3 the stamps seen (comma-separated, in edge order), 4 number of edge chunks n,
 * 5..4+n the edge chunk numbers, then (entity key, chunk) pairs.
 *
 * Returns `{'ok', dump, ...}` (one payload per pair, empty when the hash is missing), or `{'gone'}`
 * when the stamps changed (a chunk changed): rank again. With no edge chunks
 * (n = 0) it only reads the dumps; KEYS[1] is then any key of the shard (groupTotals.ts).
 */
export const edgeDumpScript = new LuaScript(`
local kp, km = ARGV[1], ARGV[2]
local n = tonumber(ARGV[4])
local fields = {}
for q = 1, n do fields[q] = ARGV[4 + q] end
if n > 0 then
  local got = redis.call('HMGET', KEYS[1], unpack(fields))
  for q = 1, n do got[q] = got[q] or '' end
  if table.concat(got, ',') ~= ARGV[3] then return {'gone'} end
end
local out = {'ok'}
for a = 5 + n, #ARGV, 2 do
  out[#out + 1] = redis.call('DUMP', kp .. ARGV[a] .. km .. ARGV[a + 1]) or ''
end
return out
`);
