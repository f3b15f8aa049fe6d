import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { startRedisServer, type RunningRedis } from '@ipscope/testkit';
import { dropPrefix, uniquePrefix } from './redisFixture';

/** A real redis-server of its own for one test file (fast key listing, ACL and statistics checks). */
export interface PrivateRedis {
  server: RunningRedis;
  client: Redis;
  stop(): Promise<void>;
}

/** Redis's own defaults for the encodings ipscope's Redis changes (IPSCOPE_REDIS_CONFIG). */
export const REDIS_DEFAULT_ENCODINGS: Readonly<Record<string, string>> = {
  'hash-max-listpack-entries': '128',
  'zset-max-listpack-entries': '128',
  'set-max-intset-entries': '512',
};

/** Starts a private redis-server; `config` overrides ipscope's settings (e.g. Redis defaults). */
export async function startPrivateRedis(label: string, config?: Record<string, string>): Promise<PrivateRedis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ipscope-ts-${label}-`));
  const server = await startRedisServer({ dir, appendonly: false, config });
  const client = new Redis(server.url, { maxRetriesPerRequest: 2 });
  return {
    server,
    client,
    stop: async () => {
      client.disconnect();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test file's private Redis, started in `beforeAll`, and the store prefixes it handed out. */
export interface PrivateRedisFixture {
  /** The connection; only inside tests and hooks (the server starts in `beforeAll`). */
  readonly redis: Redis;
  /** A fresh store prefix (starting with `label`), dropped with its keys when the file's tests end. */
  prefix(label?: string): string;
}

/**
 * Registers the hooks of a test file that uses a private Redis: start it before the tests, and
 * after them drop every prefix handed out by `prefix()` and stop the server.
 */
export function usePrivateRedis(label: string, config?: Record<string, string>): PrivateRedisFixture {
  let server: PrivateRedis | undefined;
  const prefixes: string[] = [];
  beforeAll(async () => {
    server = await startPrivateRedis(label, config);
  });
  afterAll(async () => {
    if (!server) return;
    for (const p of prefixes) await dropPrefix(server.client, p);
    await server.stop();
  });
  return {
    get redis(): Redis {
      if (!server) throw new Error(`usePrivateRedis(${label}): the Redis starts in beforeAll; use it inside tests and hooks`);
      return server.client;
    },
    prefix(label?: string): string {
      const p = uniquePrefix(label);
      prefixes.push(p);
      return p;
    },
  };
}
