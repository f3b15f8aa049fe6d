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

  async run(client: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return client.eval(this.source, keys.length, ...keys, ...args);
      }
      throw error;
    }
  }
}
