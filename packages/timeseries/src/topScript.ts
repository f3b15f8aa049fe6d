import { LuaScript } from './luaScript';

/**
 * One round of the threshold algorithm behind `top`, in one shard (see topQuery.ts).
 *
 * KEYS: the top indexes of the range's chunks (entity -> total in the chunk): first the `nFull`
 * chunks the range covers completely, then the partly covered edge chunks. ARGV: nFull, start,
 * stop (rank window read from every index), metric kind, data key prefix (`tag v:` for count and
 * series, `tag x:metric:` for histograms), data key middle (`:interval:`), field base (metric
 * number × chunk size, for the values hash), then per edge chunk: chunk number, first and last
 * offset inside the range.
 *
 * Reads ranks start..stop of every roster, and for each entity met computes its exact total over
 * the range: roster scores of the full chunks plus, for edge chunks, the sum of the buckets inside
 * the range read from the entity's chunk hash. Returns `{more, bound, entity, total, ...}`: `more`
 * is 1 while some roster has entries beyond `stop`; `bound` is the sum over rosters of the lowest
 * score read, an upper limit for the total of any entity not met yet.
 */
export const topScript = new LuaScript(`
local nFull, start, stop = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local kind, kp, km, fb = ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
local seen, order = {}, {}
local bound, more = 0, 0
for li = 1, #KEYS do
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
  for li = 1, #KEYS do
    local s = known[li]
    if s == nil then
      local z = redis.call('ZSCORE', KEYS[li], e)
      s = z and tonumber(z) or 0
    end
    if li <= nFull then
      v = v + s
    elseif s > 0 then
      local base = 7 + (li - nFull - 1) * 3
      local chunk, o0, o1 = ARGV[base + 1], tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3])
      local ck = kp .. e .. km .. chunk
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
    end
  end
  out[#out + 1] = e
  out[#out + 1] = string.format('%.17g', v)
end
return out
`);
