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

export async function startPrivateRedis(label: string): Promise<PrivateRedis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ipscope-ts-${label}-`));
  const server = await startRedisServer({ dir, appendonly: false });
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
