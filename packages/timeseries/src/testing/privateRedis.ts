import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startRedisServer, type RunningRedis } from '@ipscope/testkit';

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
