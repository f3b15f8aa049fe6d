import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { AlertStore } from '@ipscope/detect';
import { defaultCatalog } from '@ipscope/metrics';
import type { Sample } from '@ipscope/timeseries';
import { createLogger } from '../log';
import { openStore } from '../storeSetup';
import { startDetectRole } from './detectRole';
import { deleteKeys } from '../http/testing/harness';

/**
 * The coarse series views end to end with the default catalog's `conn.count.orig` (kept
 * per minute and per half-hour): three busy hosts for three days, then one goes silent
 * for three hours while the others carry on. The detect role, with no minute series to
 * score, raises an alert on the silent host from its half-hour buckets, and on nothing else.
 */
const prefix = `itcoarse${Date.now()}`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});

afterAll(async () => {
  await deleteKeys(redis, `{${prefix}*`);
  await redis.quit();
}, 300_000);

describe('detect role: coarse series views (real Redis and store)', () => {
  it('alerts on a busy host going silent, from its half-hours, and on nothing else', async () => {
    const definitions = defaultCatalog.filter((d) => d.name === 'conn.count.orig').map((d) => ({ ...d, intervals: [...d.intervals] }));
    expect(definitions[0]?.intervals).toEqual(['days', 'months']);
    const { store, catalog } = openStore(redis, prefix, definitions);
    const hosts = ['10.3.0.11', '10.3.0.12', '10.3.0.13'];
    const silentHost = '10.3.0.12';
    const from = Date.UTC(2026, 10, 2, 0, 0, 0) / 1000;
    const minutes = 73 * 60;
    const silenceStart = from + (minutes - 4 * 60 + 5) * 60;
    const silenceEnd = silenceStart + 3 * 3600;
    let seed = 11;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const samples: Sample[] = [];
    for (let m = 0; m < minutes; m++) {
      const ts = from + m * 60;
      for (const host of hosts) {
        if (host === silentHost && ts >= silenceStart && ts < silenceEnd) continue;
        samples.push({ metric: 'conn.count.orig', entity: host, ts: ts + 7, value: 15 + Math.floor(next() * 11) });
      }
    }
    for (let i = 0; i < samples.length; i += 20_000) await store.bulkInsert(samples.slice(i, i + 20_000));

    const role = startDetectRole({ redis, store, catalog, prefix, log: createLogger('test', 'warn'), metrics: {}, peers: false, startSteps: minutes, catchUpSteps: minutes, pollMs: 3_600_000 });
    await role.stop();
    expect(await role.runOnce()).toBe(minutes);

    const alerts = await new AlertStore(redis, { prefix: `${prefix}:alerts` }).list({ metric: 'conn.count.orig' });
    expect(alerts.map((a) => a.entity)).toEqual([silentHost]);
    const [alert] = alerts;
    expect((alert?.start ?? 1) % 1800).toBe(0);
    expect(alert?.start).toBeGreaterThanOrEqual(Math.floor(silenceStart / 1800) * 1800);
    // Found within 3 half-hour buckets of the one where the silence starts (90 minutes).
    expect(alert?.start).toBeLessThanOrEqual(Math.floor(silenceStart / 1800) * 1800 + 3 * 1800);
    expect(alert?.direction).toBe('down');
    expect(alert?.observed).toBeLessThan(alert?.expected ?? 0);
    expect(alert?.explanation).toContain('conn.count.orig per 30 minutes of 10.3.0.12');
  }, 300_000);
});
