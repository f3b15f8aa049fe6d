import { LuaScript } from './luaScript';

/**
 * Applies one shard's part of a batch atomically (Redis runs a script without interleaving).
 *
 * KEYS[1] is the shard's fence hash. ARGV: scope, expected token ('' = none stored yet), new
 * token, trim budget, shard tag, then operations, each `op keyIndex count ...`:
 * - `I k n (field incr)*n`   HINCRBY (count, histogram)
 * - `H k n (field value)*n`  HSET (gauge, set, hll bucket marks)
 * - `A k n (field text)*n`   append `,text` to a field (series)
 * - `P k n member*n`         PFADD (hll bucket)
 * - `Z k n (member incr)*n`  add to scores (top-N index): ZMSCORE, then one ZADD
 * - `S k n member*n`         SADD (chunk rosters, metric registry)
 * - `D k n (score member)*n` ZADD NX (trim directory)
 * - `L k n (score member)*n` ZADD LT (entity indexes hold negated times, so LT keeps the newest)
 * - `R k max`                ZREMRANGEBYSCORE k (max +inf (entities whose data has all expired)
 * - `T k cut interval`       trim: for every chunk listed in directory k below chunk `cut`, delete
 *                            the data keys of every entity of its roster for every metric of the
 *                            shard's registry, then the chunk's top indexes; at most about
 *                            `budget` keys per call, the rest on later writes
 *
 * With a scope, the script first compares the stored token with the expected one (compare and
 * set): if another writer moved it, nothing is written and `{0, stored}` is returned, so the
 * caller can re-filter its samples. The new token is stored last, so a script that Redis stops
 * (a command refused) never marks data it did not write. Returns `{1, deletedKeys}`.
 *
 * Every value was checked in JavaScript before, and data keys carry the metric type in their
 * name, so no command here can fail halfway for a reason the input controls.
 */
export const writeScript = new LuaScript(`
local scope, expected, token = ARGV[1], ARGV[2], ARGV[3]
if scope ~= '' then
  local cur = redis.call('HGET', KEYS[1], scope)
  if (cur or '') ~= expected then return {0, cur or ''} end
end
local budget = tonumber(ARGV[4])
local tag = ARGV[5]
local deleted = 0
local i = 6
local n = #ARGV
local function multi(cmd, key, pre, from, count, width)
  local j = 0
  while j < count do
    local m = math.min(count - j, 200)
    local a = {}
    for q = 1, #pre do a[#a + 1] = pre[q] end
    for q = 0, m * width - 1 do a[#a + 1] = ARGV[from + j * width + q] end
    redis.call(cmd, key, unpack(a))
    j = j + m
  end
end
while i <= n do
  local op = ARGV[i]
  local key = KEYS[tonumber(ARGV[i + 1])]
  if op == 'T' then
    local cut, iname = ARGV[i + 2], ARGV[i + 3]
    i = i + 4
    local metrics = nil
    while budget > 0 do
      local r = redis.call('ZRANGEBYSCORE', key, '-inf', '(' .. cut, 'LIMIT', 0, 1)
      if #r == 0 then break end
      local chunk = r[1]
      if not metrics then metrics = redis.call('SMEMBERS', tag .. 'M') end
      local per = math.max(1, #metrics)
      local ents = redis.call('SPOP', tag .. 'r:' .. iname .. ':' .. chunk, math.max(1, math.floor(budget / per)))
      if #ents == 0 then
        for _, km in ipairs(metrics) do
          deleted = deleted + redis.call('UNLINK', tag .. 't:' .. string.sub(km, 2) .. ':' .. iname .. ':' .. chunk)
        end
        redis.call('ZREM', key, chunk)
      else
        for _, e in ipairs(ents) do
          for _, km in ipairs(metrics) do
            local kind, metric = string.sub(km, 1, 1), string.sub(km, 2)
            local ck = tag .. kind .. ':' .. metric .. ':' .. e .. ':' .. iname .. ':' .. chunk
            if kind == 'h' then
              for _, o in ipairs(redis.call('HKEYS', ck)) do
                deleted = deleted + redis.call('UNLINK', tag .. 'hb:' .. metric .. ':' .. e .. ':' .. iname .. ':' .. chunk .. ':' .. o)
              end
            end
            deleted = deleted + redis.call('UNLINK', ck)
          end
          budget = budget - per
        end
      end
    end
  elseif op == 'R' then
    redis.call('ZREMRANGEBYSCORE', key, '(' .. ARGV[i + 2], '+inf')
    i = i + 3
  else
    local count = tonumber(ARGV[i + 2])
    local from = i + 3
    if op == 'I' then
      for j = 0, count - 1 do redis.call('HINCRBY', key, ARGV[from + 2 * j], ARGV[from + 2 * j + 1]) end
      i = from + 2 * count
    elseif op == 'H' then
      multi('HSET', key, {}, from, count, 2)
      i = from + 2 * count
    elseif op == 'A' then
      for j = 0, count - 1 do
        local f = ARGV[from + 2 * j]
        local cur = redis.call('HGET', key, f)
        if cur then redis.call('HSET', key, f, cur .. ',' .. ARGV[from + 2 * j + 1])
        else redis.call('HSET', key, f, ARGV[from + 2 * j + 1]) end
      end
      i = from + 2 * count
    elseif op == 'S' then
      multi('SADD', key, {}, from, count, 1)
      i = from + count
    elseif op == 'P' then
      multi('PFADD', key, {}, from, count, 1)
      i = from + count
    elseif op == 'Z' then
      local j = 0
      while j < count do
        local m = math.min(count - j, 200)
        local members = {}
        for q = 0, m - 1 do members[q + 1] = ARGV[from + 2 * (j + q)] end
        local cur = redis.call('ZMSCORE', key, unpack(members))
        local a = {}
        for q = 0, m - 1 do
          local c = cur[q + 1]
          a[#a + 1] = string.format('%.17g', tonumber(ARGV[from + 2 * (j + q) + 1]) + (c and tonumber(c) or 0))
          a[#a + 1] = members[q + 1]
        end
        redis.call('ZADD', key, unpack(a))
        j = j + m
      end
      i = from + 2 * count
    elseif op == 'D' then
      multi('ZADD', key, {'NX'}, from, count, 2)
      i = from + 2 * count
    elseif op == 'L' then
      multi('ZADD', key, {'LT'}, from, count, 2)
      i = from + 2 * count
    else
      return redis.error_reply('ipscope write script: unknown op ' .. tostring(op))
    end
  end
end
if scope ~= '' then redis.call('HSET', KEYS[1], scope, token) end
return {1, deleted}
`);
