import { EDGE_SUM_LUA } from './edgeSum';
import { LuaScript } from './luaScript';
import { NEXT_GENERATION_LUA } from './seriesGeneration';

/**
 * One round of `top` in one shard (see topQuery.ts).
 *
 * KEYS: the lists to rank from, then a scratch key of the shard (the same for every round of one
 * query). A list is a sorted set entity -> total: a chunk's top index, or the union (sum) of the
 * indexes of chunks `uFrom..uTo` in KEYS[1] (topUnion.ts), which this script builds in the first
 * round when it is missing.
 *
 * ARGV: 1 start, 2 stop (rank window), 3 metric kind, 4 data key prefix (`tag v:` for count and
 * series, `tag x:metric:` for histograms), 5 data key middle (`:interval:`), 6 field base (metric
 * number × chunk size, for the values hash), 7 chunk size, 8 tau (entities whose upper bound is
 * below it cannot reach the top any more: not computed), 9 mode (`auto` in the first round, then
 * what it answered), 10 scan limit, 11 top index key prefix (`tag t:metric:interval:`), 12 uFrom
 * (-1: no union), 13 uTo, 14 union TTL in seconds (0: KEYS[1] is private to the query, not
 * registered), 15 the union must exist (1 after a first round found it non-empty), 16 number of
 * edge chunks, 17 dumps (1: answer edge chunks as dumps, see below), 18 the shard's generations
 * hash (seriesGeneration.ts: mints the union's chunk stamps), then per edge chunk: chunk number,
 * first and last offset inside the range, and 1 to answer its dumps or 0 when Node keeps that
 * chunk's data under its stamp (edgeChunkCache.ts; an empty string stands for the dump). A chunk
 * without a stamp (not in a registered union) is always answered as dumps.
 *
 * The sum of an entity's list scores is an upper bound of its range total (edge chunks count
 * whole); its exact total replaces, for each edge chunk, the chunk's whole total (its index
 * score) with the sum of its buckets in range (edgeSum.ts).
 *
 * - `walk` (chosen when there are several lists holding at most `scan limit` entries together):
 *   Redis sums the lists into `scratch:b`, and each round reads ranks start..stop of it.
 * - `rounds`: Fagin's threshold algorithm; each round reads ranks start..stop of every list and
 *   computes the exact total of each entity met.
 *
 * With dumps (count and series metrics, whose edge buckets live in the entity's values hash) the
 * script does not compute exact totals: per candidate it answers its upper bound and, per edge
 * chunk, the `DUMP` of the entity's values hash there (empty when missing), `{..., entity, bound,
 * dump1, dump2, ...}`; Node subtracts the buckets outside the range (topEdgeDump.ts). A dump is
 * Redis copying the listpack's bytes; an HMGET of the wanted fields cost ~10x more Redis time
 * (every field a Lua value), and these reads are most of a ranking with flat totals.
 *
 * Building a kept union gives its chunks that have no stamp a newly minted one, and so does a
 * ranking for its edge chunks (topUnion.ts); a stamp lives until a change of its chunk's index
 * deletes it, so it proves the chunk unchanged since it was minted.
 *
 * Returns `{more, bound, mode, unionSize, stamps, entity, total, ...}`: `more` is 1 while entries
 * remain beyond `stop`; `bound` is an upper limit for the total of any entity not returned yet;
 * `unionSize` the entries of the union (-1: none); `stamps` the edge chunks' stamps, comma-separated
 * in edge order (empty when nothing is kept: histograms, `topCacheSeconds` 0). Returns `{'gone'}`
 * when a union found in an earlier round was deleted meanwhile (a write changed one of its
 * chunks): rank again.
 */
export const topScript = new LuaScript(`
local start, stop = tonumber(ARGV[1]), tonumber(ARGV[2])
local kind, kp, km, fb = ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local size, tau, mode, scanLimit = tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9], tonumber(ARGV[10])
local tprefix = ARGV[11]
local uFrom, uTo, ttl, mustExist = tonumber(ARGV[12]), tonumber(ARGV[13]), tonumber(ARGV[14]), ARGV[15] == '1'
local nLists = #KEYS - 1
local scratch = KEYS[#KEYS]
local gkey = ARGV[18]
local stampsKey = ARGV[11] .. 'cs'
${EDGE_SUM_LUA}
${NEXT_GENERATION_LUA}

-- gives chunks from..to of a new union a stamp where they have none (topUnion.ts): one newly
-- minted value for all of them; a chunk keeps its stamp until a change of its index deletes it
local function stampChunks(from, to)
  local fresh = nil
  for c = from, to, 1000 do
    local hi = math.min(to, c + 999)
    local fields = {}
    for ch = c, hi do fields[#fields + 1] = ch end
    local got = redis.call('HMGET', stampsKey, unpack(fields))
    local args = {'HSET', stampsKey}
    for q = 1, #fields do
      -- a chunk without an index holds no data of the metric: nothing to keep, and deleting the
      -- metric (which visits the chunks with data) would never remove its stamp
      if not got[q] and redis.call('EXISTS', tprefix .. fields[q]) == 1 then
        if not fresh then fresh = nextGeneration(gkey) end
        args[#args + 1] = fields[q]
        args[#args + 1] = fresh
      end
    end
    if #args > 2 then redis.call(unpack(args)) end
  end
  redis.call('EXPIRE', stampsKey, ttl)
end

local unionSize = -1
if uFrom >= 0 then
  local u = KEYS[1]
  if redis.call('EXISTS', u) == 0 then
    if start > 0 then
      if mustExist then return {'gone'} end
    else
      local registry = tprefix .. 'u'
      -- A kept union of an overlapping span (a range moved by an hour) becomes this one by
      -- subtracting the chunks it has in excess and adding the missing ones, when those are
      -- fewer than half the span's chunks: one pass over its entries instead of over every
      -- chunk's. Sums of whole numbers: exact; entries left at 0 are dropped (they rank nowhere).
      local base, baseFrom, baseTo, fewest = nil, 0, 0, (uTo - uFrom + 1) / 2
      if ttl > 0 then
        for _, old in ipairs(redis.call('ZRANGE', registry, 0, -1)) do
          local a, z = string.match(old, ':(%d+):(%d+)$')
          a, z = tonumber(a), tonumber(z)
          if a and z and math.max(a, uFrom) <= math.min(z, uTo) then
            local changed = math.abs(a - uFrom) + math.abs(z - uTo)
            if changed < fewest and redis.call('EXISTS', old) == 1 then base, baseFrom, baseTo, fewest = old, a, z, changed end
          end
        end
      end
      if base then
        local args, weights = {'ZUNIONSTORE', u, 0, base}, {'WEIGHTS', 1}
        for ch = math.min(baseFrom, uFrom), math.max(baseTo, uTo) do
          local inBase, inNew = ch >= baseFrom and ch <= baseTo, ch >= uFrom and ch <= uTo
          if inBase ~= inNew then
            args[#args + 1] = tprefix .. ch
            weights[#weights + 1] = inNew and 1 or -1
          end
        end
        args[3] = #args - 3
        for _, w in ipairs(weights) do args[#args + 1] = w end
        redis.call(unpack(args))
        redis.call('ZREMRANGEBYSCORE', u, '-inf', 0)
      end
      -- else: 1000 indexes per ZUNIONSTORE (Lua's unpack has a limit), adding to what is summed so far
      local c = uFrom
      if base then c = uTo + 1 end
      while c <= uTo do
        local hi = math.min(uTo, c + 999)
        local args = {'ZUNIONSTORE', u, 0}
        if c > uFrom then args[#args + 1] = u end
        for ch = c, hi do args[#args + 1] = tprefix .. ch end
        args[3] = #args - 3
        redis.call(unpack(args))
        c = hi + 1
      end
      if redis.call('EXISTS', u) == 1 then
        if ttl > 0 then
          for _, old in ipairs(redis.call('ZRANGE', registry, 0, -1)) do
            if redis.call('EXISTS', old) == 0 then redis.call('ZREM', registry, old) end
          end
          redis.call('ZADD', registry, uFrom, u)
          stampChunks(uFrom, uTo)
          redis.call('EXPIRE', u, ttl)
          redis.call('EXPIRE', registry, ttl)
        else
          redis.call('EXPIRE', u, 60)
        end
      end
    end
  end
  unionSize = redis.call('ZCARD', u)
end

local dumps = ARGV[17] == '1'
local corr = {}
for q = 1, tonumber(ARGV[16]) do
  local b = 18 + 4 * (q - 1)
  corr[q] = edgeChunk(ARGV[b + 1], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]))
  corr[q].dump = ARGV[b + 4] == '1'
end

-- the edge chunks' stamps (topUnion.ts); a chunk without one gets one minted now: what this call
-- and later ones read of it fits that stamp until a change of the chunk deletes it
local stamps = ''
if dumps and ttl > 0 and #corr > 0 then
  local fields = {}
  for q = 1, #corr do fields[q] = corr[q].chunk end
  local got = redis.call('HMGET', stampsKey, unpack(fields))
  local fresh = nil
  for q = 1, #corr do
    if not got[q] then
      if redis.call('EXISTS', corr[q].index) == 1 then
        if not fresh then fresh = nextGeneration(gkey) end
        got[q] = fresh
        redis.call('HSET', stampsKey, corr[q].chunk, fresh)
      else
        -- no index, no data of the metric in the chunk: nothing to keep, answer its (empty) dumps
        got[q] = ''
        corr[q].dump = true
      end
    end
  end
  if fresh then redis.call('EXPIRE', stampsKey, ttl) end
  stamps = table.concat(got, ',')
else
  for q = 1, #corr do corr[q].dump = true end
end

-- ZMSCORE of many members, 1000 per call; a missing member scores 0
local function scores(key, members)
  local out = {}
  for j = 1, #members, 1000 do
    local got = redis.call('ZMSCORE', key, unpack(members, j, math.min(#members, j + 999)))
    for q = 1, #got do out[j + q - 1] = got[q] and tonumber(got[q]) or 0 end
  end
  return out
end

-- appends (entity, exact range total) to out for each entity whose upper bound ub[i] can still
-- reach the top (at least tau); listScores[li] holds the entities' scores in list li, if known
local function finish(out, entities, ub, listScores)
  local cand, cub, at = {}, {}, {}
  for i = 1, #entities do
    if ub[i] >= tau then
      cand[#cand + 1] = entities[i]
      cub[#cand] = ub[i]
      at[#cand] = i
    end
  end
  if #cand == 0 then return end
  if dumps then
    for j = 1, #cand do
      out[#out + 1] = cand[j]
      out[#out + 1] = string.format('%.17g', cub[j])
      for q = 1, #corr do
        out[#out + 1] = corr[q].dump and redis.call('DUMP', kp .. cand[j] .. km .. corr[q].chunk) or ''
      end
    end
    return
  end
  for q = 1, #corr do
    local cr = corr[q]
    local w = nil
    for li = 1, nLists do
      if KEYS[li] == cr.index and listScores[li] then
        w = {}
        for j = 1, #cand do w[j] = listScores[li][at[j]] end
      end
    end
    if not w then w = scores(cr.index, cand) end
    for j = 1, #cand do
      if w[j] > 0 then cub[j] = cub[j] - w[j] + edgeSum(cand[j], cr) end
    end
  end
  for j = 1, #cand do
    out[#out + 1] = cand[j]
    out[#out + 1] = string.format('%.17g', cub[j])
  end
end

local b = scratch .. ':b'
if mode == 'auto' then
  local total = 0
  for li = 1, nLists do total = total + redis.call('ZCARD', KEYS[li]) end
  if nLists > 1 and total <= scanLimit then
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
  local out = {#nxt > 0 and 1 or 0, #nxt > 0 and nxt[2] or '0', 'walk', unionSize, stamps}
  local entities, ub = {}, {}
  for q = 1, #r, 2 do
    entities[#entities + 1] = r[q]
    ub[#entities] = tonumber(r[q + 1])
  end
  finish(out, entities, ub, {})
  return out
end

local index, order = {}, {}
local known = {}
for li = 1, nLists do known[li] = {} end
local bound, more = 0, 0
for li = 1, nLists do
  local r = redis.call('ZREVRANGE', KEYS[li], start, stop, 'WITHSCORES')
  if #r / 2 == stop - start + 1 then
    bound = bound + tonumber(r[#r])
    more = 1
  end
  for q = 1, #r, 2 do
    local e = r[q]
    local i = index[e]
    if not i then
      order[#order + 1] = e
      i = #order
      index[e] = i
    end
    known[li][i] = tonumber(r[q + 1])
  end
end
local ub = {}
for i = 1, #order do ub[i] = 0 end
for li = 1, nLists do
  local missing, where = {}, {}
  for i = 1, #order do
    if known[li][i] == nil then
      missing[#missing + 1] = order[i]
      where[#missing] = i
    end
  end
  if #missing > 0 then
    local got = scores(KEYS[li], missing)
    for j = 1, #missing do known[li][where[j]] = got[j] end
  end
  for i = 1, #order do ub[i] = ub[i] + known[li][i] end
end
local out = {more, string.format('%.17g', bound), 'rounds', unionSize, stamps}
finish(out, order, ub, known)
return out
`);
