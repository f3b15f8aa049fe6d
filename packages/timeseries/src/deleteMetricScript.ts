import { ENTITY_INDEX_LUA } from './keyScheme';
import { LuaScript } from './luaScript';
import { ALL_ENTITIES_FIELD, NEXT_GENERATION_LUA } from './seriesGeneration';
import { DROP_TOP_UNIONS_LUA } from './topUnion';

/**
 * One bounded step of {@link deleteMetric}: removes one metric's buckets `lo..hi` (offsets in the
 * chunk) for a list of entities in some chunks of one interval of one shard, atomically, with the
 * metric's top index entries, and — when the step is allowed to — the metric's entity index entry
 * of an entity whose newest data was in the deleted span, then that entity's all-metrics expiry.
 * Other metrics are never touched: in the shared values hash only this metric's fields
 * (`id * size + offset`) go, in the shared labelled hash only its `<id * size + offset>:<label>`
 * fields; hll keys are the metric's own.
 *
 * KEYS[1] = the shard's `E` index. ARGV:
 * 1 tag, 2 metric, 3 kind letter, 4 metric id, 5 chunk size (buckets), 6 top (0/1), 7 interval,
 * 8 entity index mode (0 leave, 1 adjust), 9 span start ('' = unbounded), 10 span end ('' =
 * unbounded), 11 seen unit, 12 number of intervals of the metric, then per interval `name chunkSize
 * resolution firstDeletedIndex` (to find an entity's newest data left before the span), then the
 * number of configured metrics and per metric `name intervalCount (step steps)*` (to recompute
 * the all-metrics expiry), then the number of groups and per group
 * `chunk lo hi whole last n member*n`: `whole` = every bucket of the chunk goes; `last` = the last
 * group of a whole chunk (its top index key is then unlinked, catching entries of entities that
 * left the roster). Members are roster members: IPv4 as decimal numbers, IPv6 as 32 hex digits.
 * A top index changed here takes its cached unions with it (topUnion.ts).
 *
 * Every step gives the shard a new all-entities write generation (seriesGeneration.ts).
 *
 * Returns `{removed, entities}`: fields and keys removed, and entity-chunk pairs visited.
 */
export const deleteMetricScript = new LuaScript(`
${DROP_TOP_UNIONS_LUA}
local tag, metric, kind = ARGV[1], ARGV[2], ARGV[3]
${NEXT_GENERATION_LUA}
${ENTITY_INDEX_LUA}
redis.call('HSET', tag .. 'g', '${ALL_ENTITIES_FIELD}', nextGeneration(tag .. 'g'))
local id, size, top = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6] == '1'
local iname, adjust = ARGV[7], ARGV[8] == '1'
local spanFrom, spanTo, unit = ARGV[9], ARGV[10], tonumber(ARGV[11])
-- the metric's field names in a values hash of this interval, as text once per step
local fieldName = {}
for o = 0, size - 1 do fieldName[o] = string.format('%d', id * size + o) end
local removed, visited = 0, 0
local i = 12
local searched = {}
for q = 1, tonumber(ARGV[i]) do
  searched[q] = {ARGV[i + 4 * q - 3], tonumber(ARGV[i + 4 * q - 2]), tonumber(ARGV[i + 4 * q - 1]), tonumber(ARGV[i + 4 * q])}
end
i = i + 1 + 4 * #searched
local nm = tonumber(ARGV[i])
local expiryMetrics = {}
i = i + 1
for q = 1, nm do
  local name, ni = ARGV[i], tonumber(ARGV[i + 1])
  local steps = {}
  for s = 0, ni - 1 do steps[#steps + 1] = {tonumber(ARGV[i + 2 + 2 * s]), tonumber(ARGV[i + 3 + 2 * s])} end
  expiryMetrics[q] = {name, steps}
  i = i + 2 + 2 * ni
end

-- start of the newest bucket of the metric the entity has before the deleted span, or nil:
-- walks each interval's directory back from the span's start (bounded by retention)
local function newestBefore(ek)
  local best = nil
  for _, it in ipairs(searched) do
    local name, isize, res, fromIdx = it[1], it[2], it[3], it[4]
    local first = math.floor(fromIdx / isize)
    for _, ctext in ipairs(redis.call('ZREVRANGEBYSCORE', tag .. 'd:' .. name, first, '-inf')) do
      local c = tonumber(ctext)
      local top = isize - 1
      if c == first then top = fromIdx - c * isize - 1 end
      local found = -1
      if top >= 0 then
        if kind == 'x' or kind == 'm' then
          for _, f in ipairs(redis.call('HKEYS', tag .. 'l:' .. ek .. ':' .. name .. ':' .. ctext)) do
            local o = tonumber(string.match(f, '^(%d+):'))
            if o then o = o - id * isize end
            if o and o >= 0 and o <= top and o > found then found = o end
          end
        else
          local fields = {}
          for o = 0, top do fields[o + 1] = id * isize + o end
          local got = redis.call('HMGET', tag .. 'v:' .. ek .. ':' .. name .. ':' .. ctext, unpack(fields))
          for o = top, 0, -1 do
            if got[o + 1] then found = o break end
          end
        end
      end
      if found >= 0 then
        local start = (c * isize + found) * res
        if not best or start > best then best = start end
        break
      end
    end
  end
  return best
end

local function hdel(key, fields)
  local n = 0
  local j = 1
  while j <= #fields do
    local m = math.min(#fields - j + 1, 400)
    n = n + redis.call('HDEL', key, unpack(fields, j, j + m - 1))
    j = j + m
  end
  return n
end

-- the entity's newest data of the metric was in the deleted span: none is left after it
local function reindex(ek)
  local s = redis.call('ZSCORE', entityIndex(tag, metric, ek), ek)
  if not s then return end
  local last = -tonumber(s)
  if spanFrom ~= '' and last < tonumber(spanFrom) then return end
  if spanTo ~= '' and last > tonumber(spanTo) then return end
  local before = nil
  if spanFrom ~= '' then before = newestBefore(ek) end
  if before then
    redis.call('ZADD', entityIndex(tag, metric, ek), string.format('%.0f', -(math.floor(before / unit) * unit)), ek)
  else
    redis.call('ZREM', entityIndex(tag, metric, ek), ek)
  end
  local best = nil
  for _, m in ipairs(expiryMetrics) do
    local ms = redis.call('ZSCORE', entityIndex(tag, m[1], ek), ek)
    if ms then
      for _, st in ipairs(m[2]) do
        local expiry = (math.floor(-tonumber(ms) / st[1]) + st[2]) * st[1]
        if not best or expiry > best then best = expiry end
      end
    end
  end
  if best then redis.call('ZADD', KEYS[1], string.format('%.0f', -best), ek)
  else redis.call('ZREM', KEYS[1], ek) end
end

local ng = tonumber(ARGV[i])
i = i + 1
for _ = 1, ng do
  local chunk, lo, hi = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local whole, last, n = ARGV[i + 3] == '1', ARGV[i + 4] == '1', tonumber(ARGV[i + 5])
  local tkey = tag .. 't:' .. metric .. ':' .. iname .. ':' .. chunk
  for e = i + 6, i + 5 + n do
    local ek = ARGV[e]
    if #ek < 32 then ek = string.format('%08x', tonumber(ek)) end
    visited = visited + 1
    local total = 0
    local left = true
    if kind == 'x' or kind == 'm' then
      -- the labelled hash holds every histogram and set metric: only this one's fields go
      local key = tag .. 'l:' .. ek .. ':' .. iname .. ':' .. chunk
      local all = redis.call('HGETALL', key)
      local gone = {}
      local kept = 0
      local fb = id * size
      for f = 1, #all, 2 do
        local o = tonumber(string.match(all[f], '^(%d+):'))
        if o then o = o - fb end
        if o and o >= 0 and o < size then
          if whole or (o >= lo and o <= hi) then
            gone[#gone + 1] = all[f]
            if kind == 'x' then total = total + tonumber(all[f + 1]) end
          else
            kept = kept + 1
          end
        end
      end
      if #gone > 0 then removed = removed + hdel(key, gone) end
      left = kept > 0
    else
      local vkey = tag .. 'v:' .. ek .. ':' .. iname .. ':' .. chunk
      local fields = {}
      for o = lo, hi do fields[#fields + 1] = fieldName[o] end
      if whole and kind ~= 'h' then
        -- nothing to add up (the top entry goes whole) and no hll keys: delete the fields blind
        removed = removed + hdel(vkey, fields)
        fields = {}
      end
      local got = #fields > 0 and redis.call('HMGET', vkey, unpack(fields)) or {}
      local gone = {}
      for q = 1, #fields do
        local v = got[q]
        if v then
          gone[#gone + 1] = fields[q]
          if kind == 'c' then total = total + tonumber(v)
          elseif kind == 's' then
            local _, commas = string.gsub(v, ',', '')
            total = total + commas + 1
          elseif kind == 'h' then
            removed = removed + redis.call('UNLINK', tag .. 'hb:' .. metric .. ':' .. ek .. ':' .. iname .. ':' .. chunk .. ':' .. (lo + q - 1))
          end
        end
      end
      if #gone > 0 then removed = removed + hdel(vkey, gone) end
      if whole then left = false
      elseif top then
        local rest = {}
        for o = 0, size - 1 do
          if o < lo or o > hi then rest[#rest + 1] = fieldName[o] end
        end
        left = false
        if #rest > 0 then
          for _, v in ipairs(redis.call('HMGET', vkey, unpack(rest))) do
            if v then left = true break end
          end
        end
      end
    end
    if top then
      if not left then
        if redis.call('ZREM', tkey, ek) == 1 then dropTopUnions(tkey) end
      elseif total > 0 then
        redis.call('ZINCRBY', tkey, -total, ek)
        dropTopUnions(tkey)
      end
    end
    if adjust then reindex(ek) end
  end
  if whole and last and top then
    removed = removed + redis.call('UNLINK', tkey)
    dropTopUnions(tkey)
  end
  i = i + 6 + n
end
return {removed, visited}
`);
