/**
 * Lua shared by the top scripts: a histogram's total (samples) over the part of a chunk inside a
 * range (an edge chunk, which the range covers partly), read from the entity's labelled hash
 * (keyScheme.ts), fields of the metric's number only. Count and series metrics do not use it:
 * their edge chunks come back as dumps of the values hashes, summed in Node (topEdgeDump.ts).
 *
 * Expects these locals before it: `kp` and `km` (data key prefix and middle: the key is
 * `kp .. entity .. km .. chunk`), `fb` (field base: metric number × chunk size), `tprefix` (top
 * index key prefix).
 * - `edgeChunk(chunk, o0, o1)`: describes the edge chunk `chunk` cut to offsets o0..o1
 * - `edgeSum(e, cr)`: entity e's total inside the range in edge chunk cr
 */
export const EDGE_SUM_LUA = `
local function edgeChunk(chunk, o0, o1)
  return {index = tprefix .. chunk, chunk = chunk, o0 = o0, o1 = o1}
end

local function edgeSum(e, cr)
  -- the labelled hash holds every histogram and set metric: fields <fb + offset>:<label>
  local h = redis.call('HGETALL', kp .. e .. km .. cr.chunk)
  local v = 0
  for q = 1, #h, 2 do
    local f = h[q]
    local off = tonumber(string.sub(f, 1, string.find(f, ':', 1, true) - 1)) - fb
    if off >= cr.o0 and off <= cr.o1 then v = v + tonumber(h[q + 1]) end
  end
  return v
end
`;
