import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { decodeZeekConnJson, type NetEvent } from '@ipscope/events';
import { AlertStore } from '@ipscope/detect';
import type { Sample } from '@ipscope/timeseries';
import { ZeekConnGenerator } from '@ipscope/testkit';
import { createLogger } from '../log';
import { openStore } from '../storeSetup';
import { startDetectRole } from './detectRole';
import { deleteKeys } from '../http/testing/harness';

/**
 * Normal traffic written through the real store, then a port scan from one client: the
 * detect role, reading closed minutes from the store, raises an alert on that client and
 * on nothing else, and a restarted role carries on from where the first stopped.
 */
const prefix = `itdet${Date.now()}`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});

// One pass over the shared Redis (millions of other tests' keys) for every key of this
// test: the store's `{prefix}…`/`{prefix:…}` keys and the detector's and alert store's
// `{prefix:detect}…`/`{prefix:alerts}…` keys all start with `{prefix`.
afterAll(async () => {
  await deleteKeys(redis, `{${prefix}*`);
  await redis.quit();
}, 300_000);

describe('detect role (real Redis, store and alert store)', () => {
  it('alerts on a port scan and on nothing else, and resumes after a restart', async () => {
    const { store, catalog } = openStore(redis, prefix);
    const from = Date.UTC(2026, 10, 2, 6, 0, 0) / 1000;
    const scanStart = from + 3 * 3600;
    const to = scanStart + 20 * 60;
    const scanner = '10.1.0.66';
    const events: NetEvent[] = [];
    for (const r of new ZeekConnGenerator({ seed: 5, clients: 60, servers: 8, externalShare: 0 }).between(from, to, 6)) {
      const d = decodeZeekConnJson(JSON.stringify(r));
      if (d.ok && d.kind === 'event') events.push(d.event);
    }
    // The scan: 10 minutes of SYNs to 300 ports a minute on one server, mostly unanswered.
    for (let minute = 0; minute < 10; minute++) {
      for (let port = 0; port < 300; port++) {
        const ts = scanStart + minute * 60 + port / 5;
        events.push({
          ts, origIp: scanner, origPort: 40000 + port, respIp: '10.0.0.3', respPort: 1 + minute * 300 + port, proto: 'tcp',
          service: undefined, origBytes: 0, respBytes: 0, origPkts: 1, respPkts: port % 10 === 0 ? 1 : 0, duration: undefined,
          connState: port % 10 === 0 ? 'REJ' : 'S0', source: 'zeek',
        });
      }
    }
    events.sort((a, b) => a.ts - b.ts);
    const samples: Sample[] = [];
    for (const e of events) catalog.samples(e, samples);
    for (let i = 0; i < samples.length; i += 20_000) await store.bulkInsert(samples.slice(i, i + 20_000));

    const log = createLogger('test', 'warn');
    const first = startDetectRole({ redis, store, catalog, prefix, log, startSteps: 200, catchUpSteps: 100, pollMs: 3_600_000 });
    await first.stop();
    let scored = await first.runOnce();
    expect(scored).toBe(100);
    // A new role (a restarted process) continues from the cursor in Redis.
    const second = startDetectRole({ redis, store, catalog, prefix, log, catchUpSteps: 1000, pollMs: 3_600_000 });
    await second.stop();
    scored = await second.runOnce();
    expect(scored).toBe(200 - 100);
    expect(await second.runOnce()).toBe(0);

    const alerts = await new AlertStore(redis, { prefix: `${prefix}:alerts` }).list({});
    const onScanner = alerts.filter((a) => a.entity === scanner);
    expect(onScanner.map((a) => a.metric)).toEqual(expect.arrayContaining(['conn.ports.orig']));
    // Found within 3 minutes of its start; later alerts on the scanner belong to the scan's end.
    const firstPorts = Math.min(...onScanner.filter((a) => a.metric === 'conn.ports.orig').map((a) => a.start));
    expect(firstPorts).toBeGreaterThanOrEqual(scanStart);
    expect(firstPorts).toBeLessThanOrEqual(scanStart + 3 * 60);
    for (const a of onScanner) {
      expect(a.start).toBeGreaterThanOrEqual(scanStart);
      expect(a.start).toBeLessThanOrEqual(scanStart + 11 * 60);
      expect(a.explanation.length).toBeGreaterThan(10);
    }
    const others = alerts.filter((a) => a.entity !== scanner && a.entity !== '10.0.0.3');
    expect(others.map((a) => `${a.metric} ${a.entity} ${a.view}`)).toEqual([]);
    // Writes 3 h 20 min of traffic through the store and scores 200 minutes in two roles
    // (before and after the restart): 300 s, since it ran past the default 120 s at load 20 on 2 cores.
  }, 300_000);
});
