import { backend, type StoreContext } from './context';
import { StoredLayoutError } from './errors';
import { STORED_LAYOUT } from './keyScheme';
import { LuaScript } from './luaScript';

/**
 * Gives every metric (name and type) a small stable number, kept in Redis (`{p}ids`), so all
 * writers and readers agree. Count, gauge, series and hll metrics of an entity share one hash per
 * chunk whose fields are `number * chunk + offset`: an integer field is 2 to 4 bytes in a listpack.
 * A metric whose type changes gets a new number, so old data is never read as the new type.
 *
 * The same hash holds the stored layout version (`@layout`): an empty store takes ARGV[1], a store
 * without the field but with registered metrics was written by layout 1, and any other version
 * than ARGV[1] returns `{-1, stored}` with nothing registered.
 */
const registerScript = new LuaScript(`
local layout = redis.call('HGET', KEYS[1], '@layout')
if not layout then
  if redis.call('EXISTS', KEYS[1]) == 1 then return {-1, 1} end
  redis.call('HSET', KEYS[1], '@layout', ARGV[1])
elseif layout ~= ARGV[1] then
  return {-1, tonumber(layout) or 0}
end
local out = {}
for i = 2, #ARGV do
  local name = ARGV[i]
  local id = redis.call('HGET', KEYS[1], name)
  if not id then
    id = redis.call('HINCRBY', KEYS[1], '#', 1) - 1
    redis.call('HSET', KEYS[1], name, id)
  end
  out[i - 1] = tonumber(id)
end
return out
`);

/** Numbers of the configured metrics, registered on first use and cached by the store. */
export async function metricIds(ctx: StoreContext): Promise<ReadonlyMap<string, number>> {
  if (!ctx.ids) {
    const metrics = [...ctx.config.metrics.values()];
    const args = [String(STORED_LAYOUT), ...metrics.map((m) => `${m.type}:${m.name}`)];
    ctx.ids = backend('registering metric numbers', () => registerScript.run(ctx.client, [ctx.keys.ids()], args)).then(
      (reply) => {
        const ids = reply as number[];
        if (ids[0] === -1) throw new StoredLayoutError(ctx.keys.prefix, Number(ids[1]), STORED_LAYOUT);
        return new Map(metrics.map((m, i) => [m.name, Number(ids[i])]));
      },
    ).catch((error: unknown) => {
      ctx.ids = undefined;
      throw error;
    });
  }
  return ctx.ids;
}
