import { LuaScript } from './luaScript';
import { ENTITY_GENERATIONS_LUA, NEXT_GENERATION_LUA } from './seriesGeneration';
import { DROP_TOP_UNIONS_LUA } from './topUnion';

/**
 * Applies one shard's part of a batch atomically (Redis runs a script without interleaving).
 *
 * KEYS[1] is the shard's fence hash. ARGV: scope, expected token ('' = none stored yet), new
 * token, trim budget, shard tag, then operations, each `op keyIndex count ...`:
 * - `V k a c s (field incr)*a (field text)*c (field value)*s` update an entity's values or
 *                            labelled hash: the `a` fields add their increment to the number
 *                            stored, the `c` fields append `,text` to the text stored, the `s`
 *                            fields are set (hll marks and set members to `1`); one HMGET reads
 *                            the `a` and `c` fields, one HSET writes every field. Grouped by mode
 *                            rather than a mode per field, so that when none of the read fields
 *                            is stored yet (a quiet host's new bucket) the pairs go to HSET
 *                            straight from the arguments, with no table built in Lua
 * - `H k n (field value)*n`  HSET (metric registry)
 * - `P k n member*n`         PFADD (hll bucket)
 * - `Z k n (member incr)*n`  add to scores (top-N index): ZMSCORE, then one ZADD; deletes the
 *                            cached unions that include the index (topUnion.ts)
 * - `S k n member*n`         SADD (chunk rosters: IPv4 `r`, IPv6 `r6`)
 * - `D k n (score member)*n` ZADD NX (trim directory)
 * - `L k g (score n member*n)*g` ZADD LT of every member with its group's score (entity indexes
 *                            hold negated times, so LT keeps the newest; a batch's members share
 *                            few scores, so a score is sent once per group, not once per member);
 *                            on the shard's all-metrics index `E` (every entity of the batch) it
 *                            also gives those entities a new write generation in their `g:<d>`
 *                            hashes (seriesGeneration.ts)
 * - `R k max`                ZREMRANGEBYSCORE k (max +inf (entities whose data has all expired);
 *                            on `E` their write generations go too
 * - `T k cut interval chunk` trim: for every chunk listed in directory k below chunk `cut`,
 *                            delete what each entity of its roster holds there (values hash,
 *                            labelled hash, hll buckets of the metrics in the shard registry),
 *                            then the chunk's top indexes (and the unions that
 *                            include them); about `budget` keys per
 *                            call at most, the rest on later writes (IPv4 roster first, then IPv6)
 *
 * With a scope, the script first compares the stored token with the expected one (compare and
 * set): if another writer moved it, nothing is written and `{0, stored}` is returned, so the
 * caller can re-filter its samples. All reads and sums of `V` happen before the first write; a
 * sum that would pass 2^53 returns `{2, field}` with nothing written. The new token is stored
 * last, so a script that Redis stops (a command refused) never marks data it did not write.
 * Returns `{1, deletedKeys}`.
 */
export const writeScript = new LuaScript(`
local scope, expected, token = ARGV[1], ARGV[2], ARGV[3]
if scope ~= '' then
  local cur = redis.call('HGET', KEYS[1], scope)
  if (cur or '') ~= expected then return {0, cur or ''} end
end
local budget = tonumber(ARGV[4])
${DROP_TOP_UNIONS_LUA}
local tag = ARGV[5]
${NEXT_GENERATION_LUA}
${ENTITY_GENERATIONS_LUA}
-- entity -> value pairs (or, without values, entities) grouped by the generation hash they live in
local function byGenerationHash(list, value)
  local groups, order = {}, {}
  for _, ek in ipairs(list) do
    local key = entityGenerations(tag, ek)
    local a = groups[key]
    if not a then
      a = {}
      groups[key] = a
      order[#order + 1] = key
    end
    a[#a + 1] = ek
    if value then a[#a + 1] = value end
  end
  return groups, order
end
local deleted = 0
local n = #ARGV
-- cmd key [flag] args..., straight from ARGV in slices of at most 4000 arguments
local function multi(cmd, key, flag, from, count, width)
  local last = from + count * width - 1
  local step = 4000 - 4000 % width
  for a = from, last, step do
    local b = math.min(last, a + step - 1)
    if flag then redis.call(cmd, key, flag, unpack(ARGV, a, b))
    else redis.call(cmd, key, unpack(ARGV, a, b)) end
  end
end
-- adds the increments of count (name incr) pairs from ARGV[from] to what key holds, 200 per
-- read (HMGET/ZMSCORE) and write (HSET/ZADD); a name not there yet takes its increment as it is,
-- a sum is formatted with fmt; a sorted set takes (score member), a hash (field value)
local function addPairs(key, from, count, readCmd, writeCmd, fmt, scoreFirst)
  local j = 0
  while j < count do
    local m = math.min(count - j, 200)
    local names = {}
    for q = 0, m - 1 do names[q + 1] = ARGV[from + 2 * (j + q)] end
    local cur = redis.call(readCmd, key, unpack(names))
    local a = {}
    for q = 0, m - 1 do
      local incr, c = ARGV[from + 2 * (j + q) + 1], cur[q + 1]
      if c then incr = string.format(fmt, tonumber(incr) + tonumber(c)) end
      if scoreFirst then
        a[#a + 1] = incr
        a[#a + 1] = names[q + 1]
      else
        a[#a + 1] = names[q + 1]
        a[#a + 1] = incr
      end
    end
    redis.call(writeCmd, key, unpack(a))
    j = j + m
  end
end
local function width(op)
  if op == 'P' or op == 'S' then return 1 else return 2 end
end
-- index after the V operation at i
local function valuesEnd(i)
  return i + 5 + 2 * (tonumber(ARGV[i + 2]) + tonumber(ARGV[i + 3]) + tonumber(ARGV[i + 4]))
end
-- index after the L operation at i
local function groupsEnd(i)
  local j = i + 3
  for _ = 1, tonumber(ARGV[i + 2]) do j = j + 2 + tonumber(ARGV[j + 1]) end
  return j
end

-- phase 1: read and compute every values-hash update
local writes = {}
local i = 6
while i <= n do
  local op = ARGV[i]
  if op == 'R' then i = i + 3
  elseif op == 'T' then i = i + 5
  elseif op == 'V' then
    local key = KEYS[tonumber(ARGV[i + 1])]
    local adds, apps, sets = tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3]), tonumber(ARGV[i + 4])
    local from, reads = i + 5, adds + apps
    -- a: every (field, value) pair to write, or nil when none of the read fields is stored yet:
    -- then the pairs are written as sent, straight from ARGV
    local a = nil
    local r = 0
    while r < reads do
      local m = math.min(reads - r, 200)
      local names = {}
      for q = 1, m do names[q] = ARGV[from + 2 * (r + q - 1)] end
      local got = redis.call('HMGET', key, unpack(names))
      for q = 1, m do
        local prev = got[q]
        if prev then
          if not a then
            a = {}
            for x = from, from + 2 * (r + q - 1) - 1 do a[x - from + 1] = ARGV[x] end
          end
          local j = r + q - 1
          local value = ARGV[from + 2 * j + 1]
          if j < adds then
            -- a new field takes the caller's decimal text as it is (no number formatting)
            local sum = tonumber(value) + tonumber(prev)
            if sum > 9007199254740991 then return {2, names[q]} end
            value = string.format('%.0f', sum)
          else
            value = prev .. ',' .. value
          end
          a[#a + 1] = names[q]
          a[#a + 1] = value
        elseif a then
          a[#a + 1] = names[q]
          a[#a + 1] = ARGV[from + 2 * (r + q - 1) + 1]
        end
      end
      r = r + m
    end
    if a then
      for x = from + 2 * reads, from + 2 * (reads + sets) - 1 do a[#a + 1] = ARGV[x] end
    end
    writes[#writes + 1] = {key, a, from, reads + sets}
    i = valuesEnd(i)
  elseif op == 'L' then
    i = groupsEnd(i)
  else
    i = i + 3 + width(op) * tonumber(ARGV[i + 2])
  end
end

-- phase 2: write
for _, w in ipairs(writes) do
  local key, a = w[1], w[2]
  if a then
    for j = 1, #a, 4000 do redis.call('HSET', key, unpack(a, j, math.min(#a, j + 3999))) end
  else
    multi('HSET', key, nil, w[3], w[4], 2)
  end
end
i = 6
while i <= n do
  local op = ARGV[i]
  local key = KEYS[tonumber(ARGV[i + 1])]
  if op == 'T' then
    local cut, iname, size = ARGV[i + 2], ARGV[i + 3], tonumber(ARGV[i + 4])
    i = i + 5
    local hlls, tops = nil, nil
    while budget > 0 do
      local r = redis.call('ZRANGEBYSCORE', key, '-inf', '(' .. cut, 'LIMIT', 0, 1)
      if #r == 0 then break end
      local chunk = r[1]
      if not hlls then
        hlls, tops = {}, {}
        local reg = redis.call('HGETALL', tag .. 'M')
        for q = 1, #reg, 2 do
          local name, code = reg[q], reg[q + 1]
          local kind = string.sub(code, 1, 1)
          if kind == 'h' then hlls[#hlls + 1] = {name, tonumber(string.sub(code, 3))} end
          if string.sub(code, 2, 2) == '1' then tops[#tops + 1] = name end
        end
      end
      local per = 2 + #hlls
      local take = math.max(1, math.floor(budget / per))
      local ents = redis.call('SPOP', tag .. 'r:' .. iname .. ':' .. chunk, take)
      if #ents == 0 then ents = redis.call('SPOP', tag .. 'r6:' .. iname .. ':' .. chunk, take) end
      if #ents == 0 then
        for _, name in ipairs(tops) do
          local tkey = tag .. 't:' .. name .. ':' .. iname .. ':' .. chunk
          deleted = deleted + redis.call('UNLINK', tkey)
          dropTopUnions(tkey)
        end
        redis.call('ZREM', key, chunk)
      else
        for _, member in ipairs(ents) do
          local e = member
          if #e < 32 then e = string.format('%08x', tonumber(e)) end
          local vkey = tag .. 'v:' .. e .. ':' .. iname .. ':' .. chunk
          for _, h in ipairs(hlls) do
            local fields = {}
            for o = 0, size - 1 do fields[o + 1] = h[2] * size + o end
            local marks = redis.call('HMGET', vkey, unpack(fields))
            for o = 0, size - 1 do
              if marks[o + 1] then
                deleted = deleted + redis.call('UNLINK', tag .. 'hb:' .. h[1] .. ':' .. e .. ':' .. iname .. ':' .. chunk .. ':' .. o)
              end
            end
          end
          deleted = deleted + redis.call('UNLINK', vkey, tag .. 'l:' .. e .. ':' .. iname .. ':' .. chunk)
          budget = budget - per
        end
      end
    end
  elseif op == 'R' then
    if key == tag .. 'E' then
      local groups, order = byGenerationHash(redis.call('ZRANGEBYSCORE', key, '(' .. ARGV[i + 2], '+inf'), nil)
      for _, gkey in ipairs(order) do
        local gone = groups[gkey]
        for j = 1, #gone, 4000 do redis.call('HDEL', gkey, unpack(gone, j, math.min(#gone, j + 3999))) end
      end
    end
    redis.call('ZREMRANGEBYSCORE', key, '(' .. ARGV[i + 2], '+inf')
    i = i + 3
  else
    local count = tonumber(ARGV[i + 2])
    local from = i + 3
    if op == 'H' then
      multi('HSET', key, nil, from, count, 2)
    elseif op == 'S' then
      multi('SADD', key, nil, from, count, 1)
    elseif op == 'P' then
      multi('PFADD', key, nil, from, count, 1)
    elseif op == 'Z' then
      addPairs(key, from, count, 'ZMSCORE', 'ZADD', '%.17g', true)
      dropTopUnions(key)
    elseif op == 'D' then
      multi('ZADD', key, 'NX', from, count, 2)
    elseif op == 'L' then
      local all = key == tag .. 'E'
      local a, ents = {}, {}
      local j = from
      for _ = 1, count do
        local score, c = ARGV[j], tonumber(ARGV[j + 1])
        for q = j + 2, j + 1 + c do
          a[#a + 1] = score
          a[#a + 1] = ARGV[q]
          if all then ents[#ents + 1] = ARGV[q] end
        end
        j = j + 2 + c
      end
      for q = 1, #a, 4000 do redis.call('ZADD', key, 'LT', unpack(a, q, math.min(#a, q + 3999))) end
      if all then
        local g = nextGeneration(tag .. 'g')
        local groups, order = byGenerationHash(ents, g)
        for _, gkey in ipairs(order) do
          local a = groups[gkey]
          for j = 1, #a, 4000 do redis.call('HSET', gkey, unpack(a, j, math.min(#a, j + 3999))) end
        end
      end
    end
    if op == 'V' then i = valuesEnd(i)
    elseif op == 'L' then i = groupsEnd(i)
    elseif op == 'H' or op == 'S' or op == 'P' or op == 'Z' or op == 'D' then i = from + width(op) * count
    else return redis.error_reply('ipscope write script: unknown op ' .. tostring(op)) end
  end
end
if scope ~= '' then redis.call('HSET', KEYS[1], scope, token) end
return {1, deleted}
`);
