import { backend, type StoreContext } from './context';
import { LuaScript } from './luaScript';

/**
 * Gives every metric (name and type) a small stable number, kept in Redis (`{p}ids`), so all
 * writers and readers agree. Count, gauge, series and hll metrics of an entity share one hash per
 * chunk whose fields are `number * chunk + offset`: an integer field is 2 to 4 bytes in a listpack.
 * A metric whose type changes gets a new number, so old data is never read as the new type.
 */
const registerScript = new LuaScript(`
local out = {}
for i, name in ipairs(ARGV) do
  local id = redis.call('HGET', KEYS[1], name)
  if not id then
    id = redis.call('HINCRBY', KEYS[1], '#', 1) - 1
    redis.call('HSET', KEYS[1], name, id)
  end
  out[i] = tonumber(id)
end
return out
`);

/** Numbers of the configured metrics, registered on first use and cached by the store. */
export async function metricIds(ctx: StoreContext): Promise<ReadonlyMap<string, number>> {
  if (!ctx.ids) {
    const metrics = [...ctx.config.metrics.values()];
    ctx.ids = backend('registering metric numbers', () => registerScript.run(ctx.client, [ctx.keys.ids()], metrics.map((m) => `${m.type}:${m.name}`))).then(
      (reply) => new Map(metrics.map((m, i) => [m.name, Number((reply as number[])[i])])),
      (error: unknown) => {
        ctx.ids = undefined;
        throw error;
      },
    );
  }
  return ctx.ids;
}
