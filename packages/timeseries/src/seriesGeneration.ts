/**
 * Write generations: what lets a reader tell, with one small read, that an entity's series have
 * not changed since an answer was computed (the API's series answer cache).
 *
 * Each shard keeps a hash `{p:s}g` (keyScheme.ts `generations`):
 * - field `#`: the shard's generation counter. It starts at the Redis server's clock in
 *   microseconds when the hash is created, then rises by one per script that changes data, so a
 *   value is never handed out twice — not even after the hash was deleted and created again.
 * - field `*`: the counter value of the last {@link deleteMetric} step in the shard, which changes
 *   data of many entities at once.
 * and 16 hashes `{p:s}g:<d>` (keyScheme.ts `entityGenerations`, `d` the entity key's last hex
 * digit; one hash per shard grew past the listpack limit into a hash table, ~4x the bytes):
 * - field `<entity key>`: the counter value of the last write or delete that changed the entity's
 *   data (set by the write script for every entity of the batch, once per batch and shard).
 *
 * A reader's stamp for an entity is the pair (entity field, `*` field). Trimming needs no bump: it
 * deletes only whole chunks that the retention window (which only moves forward) has already
 * left, i.e. data no read shows any more.
 */

/** Lua: `nextGeneration(key)` bumps a shard's counter and returns the new value as decimal text. */
export const NEXT_GENERATION_LUA = `
local function nextGeneration(gkey)
  local g = redis.call('HINCRBY', gkey, '#', 1)
  if g == 1 then
    local t = redis.call('TIME')
    g = tonumber(t[1]) * 1000000 + tonumber(t[2])
    redis.call('HSET', gkey, '#', string.format('%.0f', g))
  end
  return string.format('%.0f', g)
end
`;

/** The field of a shard's generation hash bumped by every {@link deleteMetric} step. */
export const ALL_ENTITIES_FIELD = '*';

/** Lua: `entityGenerations(tag, ek)` is the name of the hash holding entity `ek`'s generation (keyScheme.ts). */
export const ENTITY_GENERATIONS_LUA = `
local function entityGenerations(tag, ek)
  return tag .. 'g:' .. string.sub(ek, -1)
end
`;
