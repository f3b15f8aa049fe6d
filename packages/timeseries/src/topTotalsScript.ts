import { EDGE_SUM_LUA } from './edgeSum';
import { LuaScript } from './luaScript';

/**
 * Per-chunk totals of some entities of one shard, read from the top indexes (see topTotals.ts).
 *
 * KEYS[1]: the top index of the first chunk (routes the call in a Cluster). ARGV: 1 metric kind,
 * 2 data key prefix, 3 data key middle, 4 field base, 5 chunk size, 6 top index key prefix, 7
 * first chunk, 8 last chunk, 9 number of edge chunks, then per edge chunk: chunk number, first and
 * last offset inside the range; then the entity keys (at most 1000).
 *
 * Returns, chunk by chunk from the first, each entity's total in the part of the chunk inside
 * the range: its index score for a whole chunk, the sum of its buckets in range for an edge
 * chunk (edgeSum.ts); 0 without data.
 */
export const topTotalsScript = new LuaScript(`
local kind, kp, km, fb, size, tprefix = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local firstChunk, lastChunk = tonumber(ARGV[7]), tonumber(ARGV[8])
${EDGE_SUM_LUA}
local edges = {}
local ne = tonumber(ARGV[9])
for q = 1, ne do
  local b = 9 + 3 * (q - 1)
  edges[tonumber(ARGV[b + 1])] = edgeChunk(ARGV[b + 1], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]))
end
local entities = {}
for a = 10 + 3 * ne, #ARGV do entities[#entities + 1] = ARGV[a] end
local out = {}
for c = firstChunk, lastChunk do
  local got = redis.call('ZMSCORE', tprefix .. c, unpack(entities))
  local cr = edges[c]
  for j = 1, #entities do
    local w = got[j] and tonumber(got[j]) or 0
    if cr and w > 0 then w = edgeSum(entities[j], cr, w) end
    out[#out + 1] = string.format('%.17g', w)
  end
end
return out
`);
