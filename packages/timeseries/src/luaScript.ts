import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** What the store talks to: one Redis or a Redis Cluster (ioredis). */
export type RedisClient = Redis | Cluster;

/** A Lua script run by EVALSHA, falling back to EVAL (which caches it) on the node that lacks it. */
export class LuaScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /**
   * Runs the script with its keys and arguments. They go to ioredis as one array (it flattens
   * arrays), never spread into the call: a big batch's shard script has hundreds of thousands of
   * arguments, past what a spread call fits on the stack ("Maximum call stack size exceeded").
   */
  async run(client: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const all = [...keys];
    for (const a of args) all.push(typeof a === 'string' ? a : String(a));
    try {
      return await client.evalsha(this.sha, keys.length, all);
    } catch (error) {
      if (isNoScript(error)) return client.eval(this.source, keys.length, all);
      throw error;
    }
  }

  /** {@link run} with binary replies (bulk strings as Buffers), for scripts that answer DUMP payloads. */
  async runBuffer(client: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    const tail = evalTail(keys, args);
    try {
      return await client.callBuffer('evalsha', [this.sha, ...tail]);
    } catch (error) {
      if (isNoScript(error)) return client.callBuffer('eval', [this.source, ...tail]);
      throw error;
    }
  }
}

/** `numkeys key... arg...` of an EVAL or EVALSHA, built without spreading a long argument list. */
export function evalTail(keys: readonly string[], args: readonly (string | number)[]): (string | number)[] {
  const tail: (string | number)[] = [keys.length, ...keys];
  for (const a of args) tail.push(a);
  return tail;
}

/** True for Redis's answer to EVALSHA of a script it has not loaded. */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
