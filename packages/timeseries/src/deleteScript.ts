import { ENTITY_INDEX_LUA } from './keyScheme';
import { LuaScript } from './luaScript';
import { ENTITY_GENERATIONS_LUA, NEXT_GENERATION_LUA } from './seriesGeneration';
import { DROP_TOP_UNIONS_LUA } from './topUnion';

/**
 * Deletes the series of one entity (some or all metrics) in its shard, atomically, with their
 * index entries, and recomputes the entity's all-metrics expiry from the metrics it keeps.
 * Chunks are found through the shard's trim directories (never KEYS or SCAN).
 *
 * KEYS[1] = the shard's `E` index. ARGV: tag, entity key, number of metrics to delete, then per
 * metric `name kind id intervalCount (interval chunkSize)*`; then the number of configured metrics
 * and per metric `name intervalCount (step steps)*` for the expiry; then the number of intervals
 * whose values hashes and rosters go entirely (all of them when every metric is deleted, else 0)
 * and their names. Rosters hold IPv4 entities as decimal numbers. The entity gets a new write
 * generation (seriesGeneration.ts). A top index that loses the entity
 * takes its cached unions with it (topUnion.ts). Returns the number of fields and keys removed.
 */
export const deleteScript = new LuaScript(`
${DROP_TOP_UNIONS_LUA}
local tag, ek = ARGV[1], ARGV[2]
${NEXT_GENERATION_LUA}
${ENTITY_GENERATIONS_LUA}
${ENTITY_INDEX_LUA}
redis.call('HSET', entityGenerations(tag, ek), ek, nextGeneration(tag .. 'g'))
local rm = ek
if #ek == 8 then rm = tostring(tonumber(ek, 16)) end
local removed = 0
local i = 4
for _ = 1, tonumber(ARGV[3]) do
  local metric, kind, id, ni = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
  i = i + 4
  for q = 0, ni - 1 do
    local iname, size = ARGV[i + 2 * q], tonumber(ARGV[i + 2 * q + 1])
    for _, chunk in ipairs(redis.call('ZRANGE', tag .. 'd:' .. iname, 0, -1)) do
      if kind == 'x' or kind == 'm' then
        -- the labelled hash holds every histogram and set metric: only this one's fields go
        local lkey = tag .. 'l:' .. ek .. ':' .. iname .. ':' .. chunk
        local lo, gone = id * size, {}
        for _, f in ipairs(redis.call('HKEYS', lkey)) do
          local o = tonumber(string.match(f, '^(%d+):'))
          if o and o >= lo and o < lo + size then gone[#gone + 1] = f end
        end
        for j = 1, #gone, 4000 do
          redis.call('HDEL', lkey, unpack(gone, j, math.min(#gone, j + 3999)))
        end
        if #gone > 0 then removed = removed + 1 end
      else
        local vkey = tag .. 'v:' .. ek .. ':' .. iname .. ':' .. chunk
        local fields = {}
        for o = 0, size - 1 do fields[o + 1] = id * size + o end
        if kind == 'h' then
          local marks = redis.call('HMGET', vkey, unpack(fields))
          for o = 0, size - 1 do
            if marks[o + 1] then
              removed = removed + redis.call('UNLINK', tag .. 'hb:' .. metric .. ':' .. ek .. ':' .. iname .. ':' .. chunk .. ':' .. o)
            end
          end
        end
        removed = removed + redis.call('HDEL', vkey, unpack(fields))
      end
      local tkey = tag .. 't:' .. metric .. ':' .. iname .. ':' .. chunk
      if redis.call('ZREM', tkey, ek) == 1 then dropTopUnions(tkey) end
    end
  end
  i = i + 2 * ni
  redis.call('ZREM', entityIndex(tag, metric, ek), ek)
end
local best = nil
local nm = tonumber(ARGV[i])
i = i + 1
for _ = 1, nm do
  local metric, ni = ARGV[i], tonumber(ARGV[i + 1])
  local s = redis.call('ZSCORE', entityIndex(tag, metric, ek), ek)
  for q = 0, ni - 1 do
    if s then
      local step, steps = tonumber(ARGV[i + 2 + 2 * q]), tonumber(ARGV[i + 3 + 2 * q])
      local expiry = (math.floor(-tonumber(s) / step) + steps) * step
      if not best or expiry > best then best = expiry end
    end
  end
  i = i + 2 + 2 * ni
end
if best then redis.call('ZADD', KEYS[1], string.format('%.0f', -best), ek)
else redis.call('ZREM', KEYS[1], ek) end
local nr = tonumber(ARGV[i])
for q = 1, nr do
  local iname = ARGV[i + q]
  for _, chunk in ipairs(redis.call('ZRANGE', tag .. 'd:' .. iname, 0, -1)) do
    redis.call('UNLINK', tag .. 'v:' .. ek .. ':' .. iname .. ':' .. chunk, tag .. 'l:' .. ek .. ':' .. iname .. ':' .. chunk)
    redis.call('SREM', tag .. (#ek == 8 and 'r:' or 'r6:') .. iname .. ':' .. chunk, rm)
  end
end
return removed
`);
