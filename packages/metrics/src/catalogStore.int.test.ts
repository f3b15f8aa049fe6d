import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createZeekTsvReader, decodeZeekConnJson, type NetEvent } from '@ipscope/events';
import { createStore } from '@ipscope/timeseries';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { compileCatalog } from './compileCatalog';
import { defaultCatalog } from './defaultCatalog';
import type { Sample } from './sample';
import { storeMetrics } from './storeMetrics';

/*
 * The whole default catalog's samples through the real store on the real Redis:
 * decoded fixture events → eventToSamples → bulkInsert → read back, labelled
 * histograms (states, services, peers) included.
 */

const fixture = (name: string): string[] =>
  readFileSync(fileURLToPath(new URL(`../../events/fixtures/${name}`, import.meta.url)), 'utf8').split('\n').filter((l) => l.length > 0);

const storable = defaultCatalog;
let redis: Redis;
const prefix = `m${randomBytes(5).toString('hex')}`;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 2 });
});

afterAll(async () => {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
  redis.disconnect();
});

describe('default catalog into the store', () => {
  it('writes what Zeek JSON and TSV fixtures give and reads back the expected counts', async () => {
    const catalog = compileCatalog(storable);
    const store = createStore(redis, { prefix, metrics: storeMetrics(catalog), maxFutureSeconds: Number.POSITIVE_INFINITY });
    const events: NetEvent[] = [];
    for (const line of fixture('zeek/conn.ndjson')) {
      const r = decodeZeekConnJson(line);
      if (r.kind === 'event') events.push(r.event);
    }
    const reader = createZeekTsvReader();
    for (const line of fixture('zeek/conn.log')) {
      const r = reader.line(line);
      if (r.kind === 'event') events.push(r.event);
    }
    expect(events).toHaveLength(9 + 5);
    const samples: Sample[] = [];
    for (const e of events) catalog.samples(e, samples);
    const result = await store.bulkInsert(samples);
    expect(result.written).toBe(samples.length);

    // 10.0.0.9 answered the S0 probe (JSON and TSV) and the REJ probe, all in the minute starting 1699999980
    const count = await store.get({ metric: 'conn.count.resp', entity: '10.0.0.9', interval: 'days', ts: 1700000001.5 });
    expect(count.value).toBe(3);
    // ... but responded to none of them
    const responded9 = await store.get({ metric: 'conn.responded', entity: '10.0.0.9', interval: 'days', ts: 1700000001.5 });
    expect(responded9.value).toEqual({});
    // 93.184.216.34 answered TLS on 443 twice (the same connection in JSON and TSV)
    const responded = await store.get({ metric: 'conn.responded', entity: '93.184.216.34', interval: 'months', ts: 1700000000 });
    expect(responded.value).toEqual({ '443': 2 });
    const bytes = await store.get({ metric: 'conn.bytes.orig', entity: '192.168.1.10', interval: 'days', ts: 1700000000 });
    expect(bytes.value).toBe(2 * (517 + 4823) + 2 * (56 + 56));
    const durations = await store.get({ metric: 'conn.duration.orig', entity: '192.168.1.10', interval: 'days', ts: 1700000000 });
    expect(durations.value).toEqual({ '0': 2, '1': 2 }); // the ICMP echos (0.001 s) and the TLS connections (1.5 s)
    const peers = await store.get({ metric: 'conn.peers.orig', entity: '10.0.0.5', interval: 'days', ts: 1700000001.5 });
    expect(peers.value).toBe(1);
    const states = await store.get({ metric: 'conn.state.resp', entity: '10.0.0.9', interval: 'days', ts: 1700000001.5 });
    expect(states.value).toEqual({ REJ: 1, S0: 2 });
    const peersOf9 = await store.get({ metric: 'conn.peer.resp', entity: '10.0.0.9', interval: 'months', ts: 1700000001.5 });
    expect(peersOf9.value).toEqual({ '10.0.0.5': 3 });
    const v6 = await store.get({ metric: 'conn.count.orig', entity: '2001:db8:0:1::10', interval: 'days', ts: 1700000003 });
    expect(v6.value).toBe(2);
    // bytes per peer, both directions of each connection summed, each connection twice (JSON and TSV)
    const bytesByPeer = await store.get({ metric: 'conn.peer.orig.bytes', entity: '192.168.1.10', interval: 'months', ts: 1700000000 });
    expect(bytesByPeer.value).toEqual({ '93.184.216.34': 2 * (517 + 4823), '192.168.1.1': 2 * (56 + 56) });
    const bytesOfServer = await store.get({ metric: 'conn.peer.resp.bytes', entity: '93.184.216.34', interval: 'months', ts: 1700000000 });
    expect(bytesOfServer.value).toEqual({ '192.168.1.10': 2 * (517 + 4823) });
    // the probes carried no bytes: 10.0.0.9 has peers by connection but none by bytes
    const probeBytes = await store.get({ metric: 'conn.peer.resp.bytes', entity: '10.0.0.9', interval: 'months', ts: 1700000001.5 });
    expect(probeBytes.value).toEqual({});

    // the aggregate path (what the ingest uses) writes the same byte sums
    const viaAggregate = createStore(redis, { prefix: `${prefix}a`, metrics: storeMetrics(catalog), maxFutureSeconds: Number.POSITIVE_INFINITY });
    const agg = viaAggregate.aggregate();
    for (const e of events) catalog.emit(e, (metric, entity, ts, value, weight) => agg.add(metric, entity, ts, value, weight));
    await viaAggregate.writeAggregate(agg);
    for (const [metric, entity] of [['conn.peer.orig.bytes', '192.168.1.10'], ['conn.peer.resp.bytes', '93.184.216.34'], ['conn.peer.orig', '192.168.1.10']] as const) {
      const q = { metric, entity, interval: 'months', ts: 1700000000 };
      expect((await viaAggregate.get(q)).value).toEqual((await store.get(q)).value);
    }
  });
});
