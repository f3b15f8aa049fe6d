import { evalTail, isNoScript, type LuaScript, type RedisClient } from './luaScript';

/** One call of a script: its keys and arguments. */
export interface ScriptCall {
  keys: readonly string[];
  args: readonly (string | number)[];
}

/**
 * Runs one script several times (typically once per shard) and answers the replies in call
 * order, binary (bulk strings as Buffers). On one Redis the calls go out as one pipeline: one
 * socket write and one read for all of them instead of one each, which on a busy machine cost
 * more Node CPU than the replies' parsing (a computed top-100 made ~60 calls). A Redis Cluster
 * spreads shards over nodes, so there each call is sent on its own (all at once). A call whose
 * script Redis lacks (NOSCRIPT) is run again on its own, which loads the script.
 */
export async function runScriptCalls(client: RedisClient, script: LuaScript, calls: readonly ScriptCall[]): Promise<unknown[]> {
  if (client.isCluster || calls.length < 2) return Promise.all(calls.map((c) => script.runBuffer(client, c.keys, c.args)));
  const pipeline = client.pipeline();
  for (const c of calls) pipeline.callBuffer('evalsha', [script.sha, ...evalTail(c.keys, c.args)]);
  const replies = await pipeline.exec();
  if (!replies) throw new Error('pipeline was discarded');
  return Promise.all(
    replies.map(async ([error, reply], i) => {
      if (!error) return reply;
      if (isNoScript(error)) {
        const c = calls[i] as ScriptCall;
        return script.runBuffer(client, c.keys, c.args);
      }
      throw error;
    }),
  );
}
