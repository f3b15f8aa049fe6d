import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import type { SummaryResponse } from '@ipscope/api';
import { decodeZeekConnJson } from '@ipscope/events';
import { describeCatalog } from '@ipscope/metrics';
import type { ZeekConnRecord } from '@ipscope/testkit';
import type { IngestWritePath } from '../ingest/ingestWorker';
import { ingestOnce } from '../ingest/testing/ingestOnce';
import { deleteTopics, dropPrefix, knownRecords, publishKnown } from '../ingest/testing/harness';
import { startTestApi } from './testing/harness';

/**
 * The peers table's bytes, end to end: Zeek records sent through real Kafka, the ingest worker
 * (both write paths) into Redis, and the summary endpoint's peers with their exact byte sums.
 */
const run = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
const topic = `it.peerbytes.${run}`;
const prefixes: Record<IngestWritePath, string> = { aggregate: `itpb${run}a`, samples: `itpb${run}s` };
const brokers = () => inject('kafkaBrokers');
let redis: Redis;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});

afterAll(async () => {
  for (const p of Object.values(prefixes)) await dropPrefix(redis, p);
  await redis.quit();
  await deleteTopics(brokers(), [topic, `${topic}.dlq`]);
});

const X = '10.77.0.1';
const background = knownRecords(33, 4, 1800);
const T = background[0]!.ts;

/** A connection of X's with the given bytes; `undefined` leaves the Zeek field unset. */
function conn(uid: string, orig: string, resp: string, dt: number, origBytes: number | undefined, respBytes: number | undefined): ZeekConnRecord {
  const r: ZeekConnRecord = { ...background[0]!, uid, ts: T + dt, 'id.orig_h': orig, 'id.resp_h': resp, conn_state: 'SF' };
  delete r.orig_bytes;
  delete r.resp_bytes;
  if (origBytes !== undefined) r.orig_bytes = origBytes;
  if (respBytes !== undefined) r.resp_bytes = respBytes;
  return r;
}

const crafted = [
  conn('Cx1', X, '10.77.0.2', 5, 100, 20),
  conn('Cx2', X, '10.77.0.2', 900, 300, 0),
  conn('Cx3', X, '10.77.0.2', 1200, undefined, undefined), // no byte counts: a connection of 0 bytes
  conn('Cx4', '10.77.0.3', X, 60, 5, 7),
  conn('Cx5', '10.77.0.3', X, 61, 1000, 1),
  conn('Cx6', X, '2001:db8::77', 70, 0, 0),
  conn('Cx7', X, '10.77.0.3', 75, 40, 2),
];

/** Connections and bytes per (IP, direction, peer), computed from the records themselves. */
function expectedPeers(ip: string, records: readonly ZeekConnRecord[]): Array<{ ip: string; direction: 'in' | 'out'; connections: number; bytes: number }> {
  const by = new Map<string, { ip: string; direction: 'in' | 'out'; connections: number; bytes: number }>();
  for (const record of records) {
    const d = decodeZeekConnJson(JSON.stringify(record));
    if (!d.ok || d.kind !== 'event') throw new Error('test record did not decode');
    const e = d.event;
    const sides: Array<['in' | 'out', string]> = [];
    if (e.origIp === ip) sides.push(['out', e.respIp]);
    if (e.respIp === ip) sides.push(['in', e.origIp]);
    for (const [direction, peer] of sides) {
      const key = `${direction} ${peer}`;
      const p = by.get(key) ?? { ip: peer, direction, connections: 0, bytes: 0 };
      p.connections++;
      p.bytes += e.origBytes + e.respBytes;
      by.set(key, p);
    }
  }
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return [...by.values()].sort((a, b) => b.connections - a.connections || order(a.ip, b.ip) || order(b.direction, a.direction));
}

describe('peers with bytes (real Kafka, ingest worker, HTTP)', () => {
  it('gives every peer its exact byte sum, both directions, on both write paths', async () => {
    const records = [...background, ...crafted];
    await publishKnown(brokers(), topic, records);
    // the busiest originator of the generated traffic, to check a realistic peer list too
    const counts = new Map<string, number>();
    for (const r of background) counts.set(r['id.orig_h'], (counts.get(r['id.orig_h']) ?? 0) + 1);
    const busiest = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const from = Math.floor(T / 1800) * 1800;
    const to = from + 3 * 1800;

    for (const path of ['aggregate', 'samples'] as const) {
      const { store, catalog } = await ingestOnce({ redis, brokers: brokers(), topic, prefix: prefixes[path], group: `it-peerbytes-${path}-${run}`, writePath: path });

      const api = await startTestApi(inject('redisUrl'), {
        prefix: prefixes[path],
        store,
        catalog: describeCatalog(catalog),
        peers: { out: 'conn.peer.orig', in: 'conn.peer.resp', outBytes: 'conn.peer.orig.bytes', inBytes: 'conn.peer.resp.bytes' },
      });
      try {
        // the catalog marks the peer histograms unbounded, so the web app charts none of them
        const listing = (await (await fetch(`${api.base}/api/metrics`)).json()) as { metrics: Array<{ name: string; unbounded?: boolean }> };
        expect(listing.metrics.filter((m) => m.unbounded === true).map((m) => m.name)).toEqual(['conn.peer.orig', 'conn.peer.resp', 'conn.peer.orig.bytes', 'conn.peer.resp.bytes']);
        const summary = async (ip: string) => {
          const res = await fetch(`${api.base}/api/ips/${ip}/summary?interval=months&from=${from}&to=${to}&peers=200`);
          const body = (await res.json()) as SummaryResponse;
          expect(res.status, JSON.stringify(body)).toBe(200);
          return body;
        };
        const x = await summary(X);
        expect(x.peers, path).toEqual([
          { ip: '10.77.0.2', direction: 'out', connections: 3, bytes: 420 },
          { ip: '10.77.0.3', direction: 'in', connections: 2, bytes: 1013 },
          { ip: '10.77.0.3', direction: 'out', connections: 1, bytes: 42 },
          { ip: '2001:db8::77', direction: 'out', connections: 1, bytes: 0 },
        ]);
        expect(x.peers).toEqual(expectedPeers(X, records));
        // peersBy=bytes picks the heaviest peers instead of the busiest
        const heavy = (await (await fetch(`${api.base}/api/ips/${X}/summary?interval=months&from=${from}&to=${to}&peers=2&peersBy=bytes`)).json()) as SummaryResponse;
        expect(heavy.peers).toEqual([
          { ip: '10.77.0.3', direction: 'in', connections: 2, bytes: 1013 },
          { ip: '10.77.0.2', direction: 'out', connections: 3, bytes: 420 },
        ]);
        expect((await fetch(`${api.base}/api/ips/${X}/summary?peersBy=size`)).status).toBe(400);
        expect(x.totals['conn.peer.orig.bytes']).toBe(462);
        expect(x.totals['conn.peer.resp.bytes']).toBe(1013);
        const b = await summary(busiest);
        const wanted = expectedPeers(busiest, records);
        expect(wanted.length).toBeGreaterThan(3);
        expect(wanted.some((p) => p.bytes > 0)).toBe(true);
        expect(b.peers, path).toEqual(wanted.slice(0, 200));
      } finally {
        await api.running.close();
        await api.redis.quit();
      }
    }
  }, 300_000);
});
