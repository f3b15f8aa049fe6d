import { describe, expect, it } from 'vitest';
import { usePrivateRedis } from './testing/privateRedis';
import { canonicalIp, createBucketReader, createStore, InvalidQueryError, type Sample, type StoreOptions } from './index';

const T0 = 1_514_764_800; // 2018-01-01T00:00:00Z

const db = usePrivateRedis('getmany');

function store(options: Partial<StoreOptions> = {}) {
  const prefix = db.prefix();
  return createStore(db.redis, {
    prefix,
    shards: 8,
    metrics: {
      bytes: { type: 'count' },
      conns: { type: 'count' },
      rtt: { type: 'gauge' },
      dur: { type: 'series' },
      state: { type: 'histogram' },
      ports: { type: 'set' },
      peers: { type: 'hll' },
    },
    ...options,
  });
}

/** Traffic of 60 hosts (some IPv6) over 5 minutes; not every host has every metric in every minute. */
function workload(): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < 4000; i++) {
    const host = i % 60;
    const entity = host % 9 === 0 ? `2001:db8::${host.toString(16)}` : `10.1.${host}.7`;
    const ts = T0 + ((i * 53) % 300);
    if (host % 4 !== 1) out.push({ metric: 'bytes', entity, ts, value: (i * 31) % 900 });
    out.push({ metric: 'conns', entity, ts, value: 1 });
    if (host % 3 === 0) out.push({ metric: 'rtt', entity, ts, value: i / 7 });
    if (host % 5 === 0) out.push({ metric: 'dur', entity, ts, value: (i % 11) / 2 });
    out.push({ metric: 'state', entity, ts, value: ['SF', 'S0', 'REJ', 'RSTO'][i % 4] as string });
    if (host % 2 === 0) out.push({ metric: 'ports', entity, ts, value: String(i % 13) });
    out.push({ metric: 'peers', entity, ts, value: `192.0.2.${i % 37}` });
  }
  return out;
}

const METRICS = ['bytes', 'conns', 'rtt', 'dur', 'state', 'ports', 'peers'];

describe('BucketReader.getMany', () => {
  it('returns, for every metric type and interval, exactly what one get per series returns', async () => {
    const s = store();
    await s.bulkInsert(workload());
    const reader = createBucketReader(db.redis, s.config);
    const entities = Array.from({ length: 62 }, (_, host) => (host % 9 === 0 ? `2001:db8::${host.toString(16)}` : `10.1.${host}.7`));
    for (const [interval, ts] of [
      ['days', T0 + 125],
      ['days', T0 + 240],
      ['months', T0 + 10],
    ] as const) {
      const many = await reader.getMany({ metrics: METRICS, entities, interval, ts });
      let present = 0;
      for (const metric of METRICS) {
        const got = many.values.get(metric);
        expect(got, metric).toBeDefined();
        for (const entity of entities) {
          const one = await s.get({ metric, entity, interval, ts });
          const value = got?.get(canonicalIp(entity));
          const empty = one.value === null || one.value === 0 || (Array.isArray(one.value) && one.value.length === 0) || (typeof one.value === 'object' && one.value !== null && Object.keys(one.value).length === 0);
          if (empty) {
            // A stored count of 0 reads as 0 either way; anything else empty is absent.
            if (value !== 0) expect(value, `${metric} ${entity} ${interval}`).toBeUndefined();
          } else {
            present++;
            expect(value, `${metric} ${entity} ${interval}`).toEqual(one.value);
          }
        }
        expect(many.ts.get(metric)).toBe(interval === 'days' ? Math.floor(ts / 60) * 60 : Math.floor(ts / 1800) * 1800);
      }
      // Hosts 60 and 61 never wrote; everyone else has data of most metrics in these buckets.
      expect(present).toBeGreaterThan(60 * 4);
    }
  });

  it('reads a bucket of a chunk hash too large for one HSCAN reply (hash table encoding, several rounds)', async () => {
    const s = store();
    const labels = Array.from({ length: 3000 }, (_, i) => `svc${i}`);
    const samples: Sample[] = [];
    for (const [k, label] of labels.entries()) {
      samples.push({ metric: 'state', entity: '10.5.5.5', ts: T0 + 60 + (k % 60), value: label });
      samples.push({ metric: 'state', entity: '10.5.5.5', ts: T0 + (k % 60), value: label });
      if (k % 3 === 0) samples.push({ metric: 'ports', entity: '10.5.5.5', ts: T0 + 60, value: String(k) });
    }
    await s.bulkInsert(samples);
    const reader = createBucketReader(db.redis, s.config);
    const many = await reader.getMany({ metrics: ['state', 'ports'], entities: ['10.5.5.5'], interval: 'days', ts: T0 + 60 });
    const one = await s.get({ metric: 'state', entity: '10.5.5.5', interval: 'days', ts: T0 + 60 });
    const histogram = many.values.get('state')?.get('10.5.5.5') as Record<string, number>;
    expect(Object.keys(histogram)).toHaveLength(3000);
    expect(histogram).toEqual(one.value);
    expect(many.values.get('ports')?.get('10.5.5.5')).toEqual((await s.get({ metric: 'ports', entity: '10.5.5.5', interval: 'days', ts: T0 + 60 })).value);
  });

  it('keys results by canonical address whatever spelling was asked, reading duplicates once', async () => {
    const s = store();
    await s.bulkInsert([
      { metric: 'bytes', entity: '::ffff:10.9.9.9', ts: T0, value: 5 },
      { metric: 'bytes', entity: '2001:DB8:0:0::1', ts: T0, value: 7 },
    ]);
    const reader = createBucketReader(db.redis, s.config);
    const many = await reader.getMany({ metrics: ['bytes'], entities: ['10.9.9.9', '::ffff:10.9.9.9', '2001:db8::1'], interval: 'days', ts: T0 + 30 });
    expect([...(many.values.get('bytes') ?? new Map())].sort()).toEqual([
      ['10.9.9.9', 5],
      ['2001:db8::1', 7],
    ]);
  });

  it('applies retention like get: a bucket older than the newest data window is not returned', async () => {
    const s = store({ intervals: { days: { step: 60, steps: 3 } } });
    await s.bulkInsert([{ metric: 'bytes', entity: '10.0.0.1', ts: T0, value: 3 }]);
    const reader = createBucketReader(db.redis, s.config);
    expect((await reader.getMany({ metrics: ['bytes'], entities: ['10.0.0.1'], interval: 'days', ts: T0 })).values.get('bytes')?.get('10.0.0.1')).toBe(3);
    await s.bulkInsert([{ metric: 'bytes', entity: '10.0.0.2', ts: T0 + 600, value: 1 }]);
    expect((await reader.getMany({ metrics: ['bytes'], entities: ['10.0.0.1'], interval: 'days', ts: T0 })).values.get('bytes')?.size).toBe(0);
    expect((await s.get({ metric: 'bytes', entity: '10.0.0.1', interval: 'days', ts: T0 })).value).toBe(0);
  });

  it('refuses a bad request with a typed error that names the field', async () => {
    const s = store();
    const reader = createBucketReader(db.redis, s.config);
    const attempt = (q: Parameters<typeof reader.getMany>[0]) => reader.getMany(q);
    await expect(attempt({ metrics: ['nope'], entities: ['10.0.0.1'], interval: 'days', ts: T0 })).rejects.toThrow(/"nope" is not a configured metric/);
    await expect(attempt({ metrics: ['bytes'], entities: ['10.0.0.1'], interval: 'weeks', ts: T0 })).rejects.toThrow(/"weeks" is not an interval/);
    await expect(attempt({ metrics: ['bytes'], entities: ['not-an-ip'], interval: 'days', ts: T0 })).rejects.toBeInstanceOf(InvalidQueryError);
    await expect(attempt({ metrics: ['bytes'], entities: ['10.0.0.1'], interval: 'days', ts: Number.NaN })).rejects.toThrow(/ts/);
  });
});
