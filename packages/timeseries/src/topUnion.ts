/**
 * Cached sums of top indexes ("unions"): `top` over a range of several chunks has Redis sum the
 * chunks' indexes once (ZUNIONSTORE) and keeps the sum, so the next ranking over the same chunks
 * reads it instead of summing again (topQuery.ts). A union is exact while none of its chunk
 * indexes changes, and every script that changes a top index deletes the unions that include it
 * (the Lua below), in the same atomic script as the change.
 *
 * Per shard, metric and interval (`<base>` = the top index key without its `:<chunk>`):
 * - `<base>:us:<first>:<last>` zset entity -> sum of the indexes of chunks first..last, with a TTL
 *   (`us`: unions with stamps; code before the stamps kept `<base>:u:<first>:<last>` without them,
 *   and a store running both never reads the other's unions as stamped)
 * - `<base>:us:<first>:<last>:s` hash chunk -> stamp, with the union's TTL: for each chunk of the
 *   union, a value minted when that chunk first entered this union or the kept union it was
 *   derived from (topScript.ts). While the union exists, a chunk's stamp says its index and data
 *   have not changed since the stamp was minted; `top` keeps parsed edge chunks in Node under it
 *   (edgeChunkCache.ts). Deleted with the union.
 * - `<base>:u` zset union key -> its first chunk: the unions that exist (registry), with the TTL
 *   of the newest union, so it never outlives one it lists
 */

/** Key of the union of chunks `first..last`, given the index key prefix `<base>:` (see keyScheme.topIndex). */
export function topUnionKey(indexPrefix: string, first: number, last: number): string {
  return `${indexPrefix}us:${first}:${last}`;
}

/** Key of the chunk stamps of the union `unionKey` (see above). */
export function topUnionStampsKey(unionKey: string): string {
  return `${unionKey}:s`;
}

/**
 * Lua: `dropTopUnions(indexKey)` deletes every cached union that includes the chunk of the top
 * index `indexKey` (`<base>:<chunk>`), with its chunk stamps and registry entry. Costs one ZRANGEBYSCORE on a
 * usually missing key when no union exists.
 */
export const DROP_TOP_UNIONS_LUA = `
local function dropTopUnions(indexKey)
  local base, chunk = string.match(indexKey, '^(.*):(%d+)$')
  if not base then return end
  local registry = base .. ':u'
  local c = tonumber(chunk)
  for _, u in ipairs(redis.call('ZRANGEBYSCORE', registry, '-inf', c)) do
    local last = tonumber(string.match(u, ':(%d+)$'))
    if last and last >= c then
      redis.call('UNLINK', u, u .. ':s')
      redis.call('ZREM', registry, u)
    end
  end
end
`;
