/**
 * Lua shared by the top scripts: an entity's total over the part of a chunk inside a range (an
 * edge chunk, which the range covers partly), read from its data. Count and series metrics read
 * the values hash fields of the smaller side — the buckets in range, or, when the range covers
 * most of the chunk, those outside, subtracted from the chunk's whole total (its top index
 * score); histograms read the entity's labelled hash (keyScheme.ts), fields of their number only.
 *
 * Expects these locals before it: `kind` (metric kind letter), `kp` and `km` (data key prefix
 * and middle: the key is `kp .. entity .. km .. chunk`), `fb` (field base: metric number × chunk
 * size), `size` (buckets per chunk), `tprefix` (top index key prefix).
 * - `edgeChunk(chunk, o0, o1)`: describes the edge chunk `chunk` cut to offsets o0..o1 (field
 *   names built once)
 * - `edgeSum(e, cr, w)`: entity e's total inside the range in edge chunk cr, w being its whole
 *   total in the chunk
 */
export const EDGE_SUM_LUA = `
local function edgeChunk(chunk, o0, o1)
  local cr = {index = tprefix .. chunk, chunk = chunk, o0 = o0, o1 = o1, outside = (o1 - o0 + 1) * 2 > size}
  if kind == 'c' or kind == 's' then
    local fields = {}
    for o = 0, size - 1 do
      if (o >= o0 and o <= o1) ~= cr.outside then fields[#fields + 1] = fb + o end
    end
    cr.fields = fields
  end
  return cr
end

local function edgeSum(e, cr, w)
  local ck = kp .. e .. km .. cr.chunk
  if kind == 'c' or kind == 's' then
    if #cr.fields == 0 then return cr.outside and w or 0 end
    local vals = redis.call('HMGET', ck, unpack(cr.fields))
    local v = 0
    for q = 1, #vals do
      local x = vals[q]
      if x then
        if kind == 'c' then
          v = v + tonumber(x)
        else
          local _, commas = string.gsub(x, ',', ',')
          v = v + commas + 1
        end
      end
    end
    if cr.outside then return w - v end
    return v
  end
  -- the labelled hash holds every histogram and set metric: fields <fb + offset>:<label>
  local h = redis.call('HGETALL', ck)
  local v = 0
  for q = 1, #h, 2 do
    local f = h[q]
    local off = tonumber(string.sub(f, 1, string.find(f, ':', 1, true) - 1)) - fb
    if off >= cr.o0 and off <= cr.o1 then v = v + tonumber(h[q + 1]) end
  end
  return v
end
`;
