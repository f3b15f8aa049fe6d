/**
 * Cached sums of top indexes ("unions"): `top` over a range of several chunks has Redis sum the
 * chunks' indexes once (ZUNIONSTORE) and keeps the sum, so the next ranking over the same chunks
 * reads it instead of summing again (topQuery.ts). A union is exact while none of its chunk
 * indexes changes, and every script that changes a top index deletes the unions that include it
 * (the Lua below), in the same atomic script as the change.
 *
 * Per shard, metric and interval (`<base>` = the top index key without its `:<chunk>`):
 * - `<base>:us:<first>:<last>` zset entity -> sum of the indexes of chunks first..last, with a TTL
 *   (`us`: code from before the stamps kept `<base>:u:<first>:<last>`; that code's writes do not
 *   delete stamps, so it must not write to a store this code reads)
 * - `<base>:cs` hash chunk -> stamp, with the registry's TTL: a value minted (never handed out
 *   twice, seriesGeneration.ts) when a union including the chunk is built, or a ranking cuts the
 *   chunk, and it has none (topScript.ts). Every script that changes a chunk's index deletes the chunk's stamp (the Lua
 *   below), so a stamp present says the chunk's index and data have not changed since it was
 *   minted; `top` and `groupTotals` keep parsed chunks in Node under it (edgeChunkCache.ts).
 * - `<base>:u` zset union key -> its first chunk: the unions that exist (registry), with the TTL
 *   of the newest union, so it never outlives one it lists
 */

/** Key of the union of chunks `first..last`, given the index key prefix `<base>:` (see keyScheme.topIndex). */
export function topUnionKey(indexPrefix: string, first: number, last: number): string {
  return `${indexPrefix}us:${first}:${last}`;
}

/** Key of the chunk stamps of a metric and interval, given the index key prefix `<base>:` (see above). */
export function topChunkStampsKey(indexPrefix: string): string {
  return `${indexPrefix}cs`;
}

/**
 * Lua: `dropTopUnions(indexKey)` deletes every cached union that includes the chunk of the top
 * index `indexKey` (`<base>:<chunk>`) with its registry entry, and the chunk's stamp. Costs one
 * ZRANGEBYSCORE and one HDEL on usually missing keys when no union exists.
 */
export const DROP_TOP_UNIONS_LUA = `
local function dropTopUnions(indexKey)
  local base, chunk = string.match(indexKey, '^(.*):(%d+)$')
  if not base then return end
  local registry = base .. ':u'
  redis.call('HDEL', base .. ':cs', chunk)
  local c = tonumber(chunk)
  for _, u in ipairs(redis.call('ZRANGEBYSCORE', registry, '-inf', c)) do
    local last = tonumber(string.match(u, ':(%d+)$'))
    if last and last >= c then
      redis.call('UNLINK', u)
      redis.call('ZREM', registry, u)
    end
  end
end
`;
