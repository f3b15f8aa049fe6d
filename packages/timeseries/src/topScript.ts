import { LuaScript } from './luaScript';

/**
 * One step of `top` in one shard (see topQuery.ts).
 *
 * KEYS: the top indexes of the range's chunks (entity -> total in the chunk): first the `nFull`
 * chunks the range covers completely, then the partly covered edge chunks; last a scratch key of
 * the shard (deleted before returning). ARGV: nFull, start, stop (rank window read from every
 * index), metric kind, data key prefix (`tag v:` for count and series, `tag x:metric:` for
 * histograms), data key middle (`:interval:`), field base (metric number × chunk size, for the
 * values hash), scan limit, wanted entries, then per edge chunk: chunk number, first and last
 * offset inside the range.
 *
 * An entity's exact total over the range is its index scores of the full chunks plus, for each
 * edge chunk, the sum of its buckets inside the range read from its data.
 *
 * - Scan (first call, when the indexes hold at most `scan limit` entries together): ZUNIONSTORE
 *   of the full chunks' indexes into the scratch zset, plus each edge entity's exact edge sum, then
 *   the shard's best `wanted` by total (desc, then key): `{2, 0, entity, total, ...}`.
 * - Otherwise one round of Fagin's threshold algorithm: reads ranks start..stop of every index and
 *   computes the exact total of each entity met. Returns `{more, bound, entity, total, ...}`:
 *   `more` is 1 while some index has entries beyond `stop`; `bound` is the sum over indexes of the
 *   lowest score read, an upper limit for the total of any entity not met yet.
 */
export const topScript = new LuaScript(`
local nFull, start, stop = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local kind, kp, km, fb = ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
local scanLimit, want = tonumber(ARGV[8]), tonumber(ARGV[9])
local nLists = #KEYS - 1
local scratch = KEYS[#KEYS]

-- sum of an entity's buckets inside the range in edge index li
local function edge(e, li)
  local base = 9 + (li - nFull - 1) * 3
  local chunk, o0, o1 = ARGV[base + 1], tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3])
  local ck = kp .. e .. km .. chunk
  local v = 0
  if kind == 'c' or kind == 's' then
    local fields = {}
    for o = o0, o1 do fields[#fields + 1] = fb + o end
    local vals = redis.call('HMGET', ck, unpack(fields))
    for q = 1, #vals do
      if vals[q] then
        if kind == 'c' then
          v = v + tonumber(vals[q])
        else
          local _, commas = string.gsub(vals[q], ',', ',')
          v = v + commas + 1
        end
      end
    end
  else
    local h = redis.call('HGETALL', ck)
    for q = 1, #h, 2 do
      local f = h[q]
      local off = tonumber(string.sub(f, 1, string.find(f, ':', 1, true) - 1))
      if off >= o0 and off <= o1 then v = v + tonumber(h[q + 1]) end
    end
  end
  return v
end

if start == 0 then
  local total = 0
  for li = 1, nLists do total = total + redis.call('ZCARD', KEYS[li]) end
  if total <= scanLimit then
    -- full chunks: summed by Redis into the scratch zset, negated so that ascending order is
    -- total descending with ties by key; edge chunks: each entity's buckets inside the range
    if nFull > 0 then
      local args = {'ZUNIONSTORE', scratch, nFull}
      for li = 1, nFull do args[#args + 1] = KEYS[li] end
      args[#args + 1] = 'WEIGHTS'
      for li = 1, nFull do args[#args + 1] = -1 end
      redis.call(unpack(args))
    end
    for li = nFull + 1, nLists do
      for _, e in ipairs(redis.call('ZRANGEBYSCORE', KEYS[li], '(0', '+inf')) do
        local v = edge(e, li)
        if v ~= 0 then redis.call('ZINCRBY', scratch, string.format('%.17g', -v), e) end
      end
    end
    local best = redis.call('ZRANGEBYSCORE', scratch, '-inf', '(0', 'WITHSCORES', 'LIMIT', 0, want)
    redis.call('UNLINK', scratch)
    local out = {2, '0'}
    for q = 1, #best, 2 do
      out[#out + 1] = best[q]
      out[#out + 1] = string.format('%.17g', -tonumber(best[q + 1]))
    end
    return out
  end
end

local seen, order = {}, {}
local bound, more = 0, 0
for li = 1, nLists do
  local r = redis.call('ZREVRANGE', KEYS[li], start, stop, 'WITHSCORES')
  if #r / 2 == stop - start + 1 then
    bound = bound + tonumber(r[#r])
    more = 1
  end
  for q = 1, #r, 2 do
    local e = r[q]
    local known = seen[e]
    if not known then
      known = {}
      seen[e] = known
      order[#order + 1] = e
    end
    known[li] = tonumber(r[q + 1])
  end
end
local out = {more, string.format('%.17g', bound)}
for _, e in ipairs(order) do
  local known = seen[e]
  local v = 0
  for li = 1, nLists do
    local s = known[li]
    if s == nil then
      local z = redis.call('ZSCORE', KEYS[li], e)
      s = z and tonumber(z) or 0
    end
    if li <= nFull then
      v = v + s
    elseif s > 0 then
      v = v + edge(e, li)
    end
  end
  out[#out + 1] = e
  out[#out + 1] = string.format('%.17g', v)
end
return out
`);
