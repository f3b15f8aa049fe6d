import { LuaScript } from './luaScript';

/**
 * Totals of one count or series metric per group of buckets, for many entities of one shard, in
 * one call (groupTotals.ts).
 *
 * KEYS[1]: any key of the shard (routes the call to the shard's slot; every key read shares its
 * hash tag). ARGV: 1 metric kind (`c` count: values summed; `s` series: samples counted), 2 data
 * key prefix (`tag v:`), 3 key middle (`:interval:`), 4 field base (metric number × chunk size),
 * 5 chunk size, 6 first and 7 last bucket index (inclusive), 8 buckets per group (groups start at
 * multiples of it), then the entity keys.
 *
 * Reads, per entity and chunk, the wanted fields of its values hash with one HMGET and sums them
 * into their groups inside Redis, so the reply is one short text per entity: the group totals
 * joined by `,` (`%.17g`, which reads back as the same double).
 */
export const groupTotalsScript = new LuaScript(`
local kind, kp, km = ARGV[1], ARGV[2], ARGV[3]
local fb, size = tonumber(ARGV[4]), tonumber(ARGV[5])
local first, last, g = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local g0 = math.floor(first / g)
local n = math.floor(last / g) - g0 + 1
local plan = {}
for c = math.floor(first / size), math.floor(last / size) do
  local c0 = c * size
  local lo, hi = math.max(first, c0), math.min(last, c0 + size - 1)
  local fields, slots = {}, {}
  for idx = lo, hi do
    fields[#fields + 1] = fb + idx - c0
    slots[#fields] = math.floor(idx / g) - g0 + 1
  end
  plan[#plan + 1] = {suffix = km .. c, fields = fields, slots = slots}
end
local out = {}
for a = 9, #ARGV do
  local sums = {}
  for i = 1, n do sums[i] = 0 end
  local e = ARGV[a]
  for _, p in ipairs(plan) do
    local key = kp .. e .. p.suffix
    for j = 1, #p.fields, 1000 do
      local upto = math.min(#p.fields, j + 999)
      local vals = redis.call('HMGET', key, unpack(p.fields, j, upto))
      for q = 1, #vals do
        local x = vals[q]
        if x then
          local s = p.slots[j + q - 1]
          if kind == 'c' then
            sums[s] = sums[s] + tonumber(x)
          else
            local _, commas = string.gsub(x, ',', ',')
            sums[s] = sums[s] + commas + 1
          end
        end
      end
    end
  end
  for i = 1, n do sums[i] = string.format('%.17g', sums[i]) end
  out[#out + 1] = table.concat(sums, ',')
end
return out
`);
