import { LuaScript } from './luaScript';

/**
 * One round of `top` in one shard (see topQuery.ts).
 *
 * KEYS: the top indexes of the range's chunks (entity -> total in the chunk): first the `nFull`
 * chunks the range covers completely, then the partly covered edge chunks; last a scratch key of
 * the shard, the same for every round of one query. ARGV: nFull, start, stop (rank window),
 * metric kind, data key prefix (`tag v:` for count and series, `tag x:metric:` for histograms),
 * data key middle (`:interval:`), field base (metric number × chunk size, for the values hash),
 * scan limit, wanted entries, mode (`auto` in the first round, then what it answered), then per
 * edge chunk: chunk number, first and last offset inside the range.
 *
 * An entity's exact total over the range is its index scores of the full chunks plus, for each
 * edge chunk, the sum of its buckets inside the range read from its data.
 *
 * - `walk` (chosen when the indexes hold at most `scan limit` entries together): Redis sums all
 *   the range's indexes into `scratch:b` with one ZUNIONSTORE (an upper bound of each range total:
 *   exact for the full chunks, whole totals for the edge chunks); each round reads ranks
 *   start..stop of `scratch:b` and makes those entities' totals exact by replacing each edge
 *   chunk's whole total with the sum of its buckets in range (integers below 2^53: exact in a
 *   double). One union instead of two (full chunks, then those plus the edges) halves Redis's
 *   work for a long range.
 * - `rounds`: Fagin's threshold algorithm; each round reads ranks start..stop of every index and
 *   computes the exact total of each entity met.
 *
 * Returns `{more, bound, mode, entity, total, ...}`: `more` is 1 while entries remain beyond
 * `stop`; `bound` is an upper limit for the total of any entity not returned yet.
 */
export const topScript = new LuaScript(`
local nFull, start, stop = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local kind, kp, km, fb = ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
local scanLimit, want, mode = tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10]
local nLists = #KEYS - 1
local scratch = KEYS[#KEYS]

-- sum of an entity's buckets inside the range in edge index li
local function edge(e, li)
  local base = 10 + (li - nFull - 1) * 3
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

local b = scratch .. ':b'
if mode == 'auto' then
  local total = 0
  for li = 1, nLists do total = total + redis.call('ZCARD', KEYS[li]) end
  if total <= scanLimit then
    -- b = the sum of every index of the range: exact totals of the full chunks plus the edge
    -- chunks' whole totals, an upper bound of each entity's range total. It stays for the next
    -- rounds (a minute at most).
    mode = 'walk'
    local union = {'ZUNIONSTORE', b, nLists}
    for li = 1, nLists do union[#union + 1] = KEYS[li] end
    redis.call(unpack(union))
    redis.call('EXPIRE', b, 60)
  else
    mode = 'rounds'
  end
end
if mode == 'walk' then
  if start > 0 and redis.call('EXISTS', b) == 0 then
    return redis.error_reply('ipscope top: scratch index expired during the query; retry')
  end
  local r = redis.call('ZREVRANGE', b, start, stop, 'WITHSCORES')
  local nxt = redis.call('ZREVRANGE', b, stop + 1, stop + 1, 'WITHSCORES')
  local out = {#nxt > 0 and 1 or 0, #nxt > 0 and nxt[2] or '0', 'walk'}
  for q = 1, #r, 2 do
    local e = r[q]
    -- exact total: the bound with each edge chunk's whole total replaced by its part in range
    local v = tonumber(r[q + 1])
    for li = nFull + 1, nLists do
      local z = redis.call('ZSCORE', KEYS[li], e)
      if z and tonumber(z) > 0 then v = v - tonumber(z) + edge(e, li) end
    end
    out[#out + 1] = e
    out[#out + 1] = string.format('%.17g', v)
  end
  return out
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
local out = {more, string.format('%.17g', bound), 'rounds'}
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
