import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { isPortOpen } from './ports';
import { startRedisServer, type RunningRedis } from './redisServer';

const dirs: string[] = [];
const running: RunningRedis[] = [];

afterAll(async () => {
  for (const server of running) await server.stop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-redis-start-'));
  dirs.push(dir);
  return dir;
}

describe('startRedisServer', () => {
  it('waits for a Redis that replays a large append-only file, and returns with every key loaded', async () => {
    const dir = tempDir();
    const first = await startRedisServer({ dir, config: { 'enable-debug-command': 'yes' } });
    running.push(first);
    const client = new Redis(first.url);
    await client.call('DEBUG', 'POPULATE', '1500000', 'k', '64');
    await client.call('BGREWRITEAOF');
    for (let i = 0; i < 600; i++) {
      const info = await client.info('persistence');
      if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    client.disconnect();
    await first.stop();

    const lines: string[] = [];
    const second = await startRedisServer({ dir, port: first.port, log: (line) => lines.push(line) });
    running.push(second);
    const again = new Redis(second.url);
    expect(await again.dbsize()).toBe(1_500_000);
    again.disconnect();
  });

  it('fails with the log of a Redis that exits on start-up, and leaves nothing running on its port', async () => {
    const dir = tempDir();
    const error = await startRedisServer({ dir, config: { 'maxmemory-policy': 'not-a-policy' } }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/exited while starting/);
    expect(error?.message).toMatch(/maxmemory-policy/);
    const port = Number(/port (\d+)/.exec(error?.message ?? '')?.[1]);
    expect(await isPortOpen(port)).toBe(false);
  });
});
