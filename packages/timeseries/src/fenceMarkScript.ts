import { LuaScript } from './luaScript';

/** Raises the completed-batch token of a scope, never lowers it. KEYS[1] = `{p}fence`; ARGV = scope, token. */
export const fenceMarkScript = new LuaScript(`
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur or tonumber(cur) < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0
`);
