import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';

/** Runs the server with `env` added and returns its exit code and what it wrote to stderr. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1', KAFKA_BROKERS: '127.0.0.1:1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

describe('server start-up with a bad setting', () => {
  it.each([
    ['IPSCOPE_PORT', 'eighty', /IPSCOPE_PORT/],
    ['IPSCOPE_ROLES', 'api,cook', /IPSCOPE_ROLES/],
    ['IPSCOPE_INGEST_WRITE_PATH', 'fast', /IPSCOPE_INGEST_WRITE_PATH: must be "aggregate" or "samples", got "fast"/],
  ])('stops with exit code 2 and names %s, before connecting to anything', async (name, value, message) => {
    const { code, stderr } = await runServer({ [name]: value });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^ipscope: invalid configuration: /);
    expect(stderr).toMatch(message);
  }, 40_000);
});

describe('server start-up on keys of another stored layout', () => {
  it('stops with exit code 2, names IPSCOPE_PREFIX and says what to do, writing nothing', async () => {
    const redisUrl = inject('redisUrl');
    const prefix = `oldlayout${process.pid}`;
    const redis = new Redis(redisUrl);
    try {
      // What the store's layout 1 left: registered metric numbers and no '@layout' field.
      await redis.hset(`{${prefix}}ids`, '#', '1', 'count:conn.count.orig', '0');
      const { code, stderr } = await runServer({ REDIS_URL: redisUrl, IPSCOPE_PREFIX: prefix, IPSCOPE_ROLES: 'api', IPSCOPE_PORT: '0' });
      expect(code).toBe(2);
      expect(stderr).toMatch(/^ipscope: invalid configuration: IPSCOPE_PREFIX: .*stored layout 1.*new prefix/);
      expect(await redis.hgetall(`{${prefix}}ids`)).toEqual({ '#': '1', 'count:conn.count.orig': '0' });
    } finally {
      await redis.del(`{${prefix}}ids`);
      redis.disconnect();
    }
  }, 40_000);
});
