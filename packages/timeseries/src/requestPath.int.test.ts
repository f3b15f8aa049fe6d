import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer, type RunningRedis } from '@ipscope/testkit';
import { createStore } from './index';

/**
 * No request uses KEYS or SCAN: a private Redis (command statistics are per server) serves every
 * kind of request, then its statistics must show no KEYS or SCAN call at all.
 */
let dir: string;
let server: RunningRedis;
let redis: Redis;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-ts-path-'));
  server = await startRedisServer({ dir, appendonly: false });
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function calls(command: string): Promise<number> {
  const info = await redis.info('commandstats');
  const m = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info);
  return m ? Number(m[1]) : 0;
}

describe('request paths', () => {
  it('never call KEYS or SCAN', async () => {
    const store = createStore(redis, {
      metrics: { bytes: { type: 'count' }, sizes: { type: 'histogram' }, peers: { type: 'hll' }, ports: { type: 'set' } },
      intervals: { days: { step: 60, steps: 30 } },
    });
    const T0 = 1_600_000_000;
    for (let k = 0; k < 5; k++) {
      await store.bulkInsert(
        Array.from({ length: 200 }, (_, i) => ({ metric: ['bytes', 'sizes', 'peers', 'ports'][i % 4] as string, entity: `10.0.${i % 20}.1`, ts: T0 + k * 900 + i, value: i % 4 < 2 ? i : `m${i % 5}` })),
        { fence: { scope: 's', token: k } },
      );
    }
    await store.series({ metric: 'bytes', entity: '10.0.1.1', interval: 'days', last: 30, transform: 'rate' });
    await store.series({ metric: 'peers', entity: '10.0.3.1', interval: 'days', last: 30, condense: '5m' });
    await store.get({ metric: 'sizes', entity: '10.0.1.1', interval: 'days', ts: T0 + 3600 });
    await store.top({ metric: 'bytes', interval: 'days', limit: 5 });
    await store.entities({ metric: 'bytes', offset: 2, limit: 5 });
    await store.countEntities();
    await store.properties({ metric: 'ports', entity: '10.0.3.1' });
    await store.fenceToken('s');
    await store.delete({ entity: '10.0.1.1' });
    await store.trim();
    expect(await calls('get')).toBe(0);
    expect(await calls('hgetall')).toBeGreaterThan(0);
    expect(await calls('keys')).toBe(0);
    expect(await calls('scan')).toBe(0);
  });
});
