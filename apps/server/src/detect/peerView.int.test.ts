import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { AlertStore } from '@ipscope/detect';
import { defaultCatalog, type MetricDefinition } from '@ipscope/metrics';
import type { Sample } from '@ipscope/timeseries';
import { createLogger } from '../log';
import { openStore } from '../storeSetup';
import { startDetectRole } from './detectRole';
import { deleteKeys } from '../http/testing/harness';

/**
 * The peer view end to end with the default catalog: peer histograms written through the
 * real store, which keeps `conn.peer.orig` and its bytes on half-hour buckets only (the
 * `months` interval); two days of ordinary traffic of three hosts to their usual servers,
 * then one host starts a beacon to a new address (two connections a minute). The detect
 * role, reading closed half-hours from the store, raises a peer alert on that host naming
 * the peer, and nothing on the others.
 */
const basePrefix = `itpeer${Date.now()}`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});

afterAll(async () => {
  await deleteKeys(redis, `{${basePrefix}*`);
  await redis.quit();
}, 300_000);

const KEEP = new Set(['conn.count.orig', 'conn.peer.orig', 'conn.peer.orig.bytes']);

/** The default catalog's definitions of these metrics, unchanged (the peer histograms on `months` only). */
function defaultSubset(): MetricDefinition[] {
  return defaultCatalog.filter((d) => KEEP.has(d.name)).map((d) => ({ ...d, intervals: [...d.intervals] }));
}

/** The same, with the peer histograms also kept per minute: the view still picks the half-hour interval. */
function alsoPerMinute(): MetricDefinition[] {
  return defaultSubset().map((d) => (d.name.startsWith('conn.peer.') ? { ...d, intervals: ['days', 'months'] } : d));
}

describe('detect role: peer view (real Redis and store)', () => {
  it.each([
    ['the default catalog (peer histograms on months only)', defaultSubset, ['months']],
    ['peer histograms also per minute', alsoPerMinute, ['days', 'months']],
  ] as const)('alerts on a beacon to a new peer on half-hour buckets, naming the peer, and on nothing else: %s', async (_name, make, peerIntervals) => {
    const definitions = make();
    expect(definitions.find((d) => d.name === 'conn.peer.orig')?.intervals).toEqual(peerIntervals);
    const prefix = `${basePrefix}${peerIntervals.length}`;
    const { store, catalog } = openStore(redis, prefix, definitions);
    const hosts = ['10.2.0.11', '10.2.0.12', '10.2.0.13'];
    const beaconHost = '10.2.0.12';
    const beaconPeer = '203.0.113.7';
    const from = Date.UTC(2026, 10, 2, 0, 0, 0) / 1000;
    const minutes = 56 * 60;
    // Eight hours of beacon after two quiet days, starting inside a half-hour (the peer view's first bucket of it is partial).
    const beaconStart = from + (minutes - 8 * 60 - 10) * 60;
    let seed = 7;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const samples: Sample[] = [];
    const connect = (host: string, peer: string, ts: number, bytes: number): void => {
      samples.push({ metric: 'conn.count.orig', entity: host, ts, value: 1 });
      samples.push({ metric: 'conn.peer.orig', entity: host, ts, value: peer });
      samples.push({ metric: 'conn.peer.orig.bytes', entity: host, ts, value: peer, weight: bytes });
    };
    for (let m = 0; m < minutes; m++) {
      const ts = from + m * 60;
      hosts.forEach((host, h) => {
        const conns = 1 + Math.floor(next() * 6);
        for (let c = 0; c < conns; c++) connect(host, `10.9.${h}.${1 + Math.floor(next() * next() * 12)}`, ts + c, 500 + Math.floor(next() * 20_000));
      });
      if (ts >= beaconStart) {
        connect(beaconHost, beaconPeer, ts + 10, 420);
        connect(beaconHost, beaconPeer, ts + 40, 420);
      }
    }
    for (let i = 0; i < samples.length; i += 20_000) await store.bulkInsert(samples.slice(i, i + 20_000));

    const role = startDetectRole({
      redis,
      store,
      catalog,
      prefix,
      log: createLogger('test', 'warn'),
      metrics: { 'conn.count.orig': { kind: 'value' } },
      startSteps: minutes,
      catchUpSteps: minutes,
      pollMs: 3_600_000,
    });
    await role.stop();
    // The newest minute is still open (grace 1), the scoring starts one minute before the data: every minute but the newest, plus that one.
    expect(await role.runOnce()).toBe(minutes);

    const alerts = await new AlertStore(redis, { prefix: `${prefix}:alerts` }).list({ metric: 'conn.peer.orig' });
    expect(alerts.map((a) => a.entity)).toEqual([beaconHost]);
    const [alert] = alerts;
    expect(alert?.view).toBe('peerBeacon');
    // Alerts start at a half-hour bucket: the one holding the beacon's start or a later one, within its eight hours.
    expect(alert?.start).toBeGreaterThanOrEqual(Math.floor(beaconStart / 1800) * 1800);
    expect((alert?.start ?? 0) % 1800).toBe(0);
    expect(alert?.start).toBeLessThan(beaconStart + 8 * 3600);
    expect(alert?.explanation).toContain(`new peer ${beaconPeer} (no other host contacted it) contacted in`);
    expect(alert?.explanation).toContain('60 connections each');
    expect(alert?.observed).toBeGreaterThan(alert?.expected ?? Number.POSITIVE_INFINITY);
  }, 300_000);
});
