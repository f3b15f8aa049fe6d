import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Sample } from '@ipscope/timeseries';
import { startTestApi, type TestApi } from './testing/harness';

/**
 * The series route keeps answers and serves one again only while the store's version of it holds
 * (seriesAnswerCache.ts): whatever writes, deletes and metric deletions happen between requests,
 * every series answer must equal the uncached export of the same query, read fresh.
 */
const T0 = 1_714_564_800;
const IPS = ['10.0.0.1', '10.0.0.2', '2001:db8::1'];
const METRICS = ['conn.count.resp', 'conn.responded', 'conn.peers.resp', 'conn.bytes.resp'];

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi(inject('redisUrl'));
});
afterAll(async () => {
  await t.close();
});

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function sample(metric: string, entity: string, minute: number, n: number): Sample {
  const value = metric === 'conn.responded' ? [22, 80, 443][n % 3]! : metric === 'conn.peers.resp' ? `10.9.0.${n % 4}` : n;
  return { metric, entity, ts: T0 + minute * 60 + (n % 50), value };
}

async function series(ip: string, query: string): Promise<{ body: string; cache: string | null }> {
  const res = await fetch(`${t.base}/api/ips/${ip}/series?${query}`);
  expect(res.status).toBe(200);
  return { body: await res.text(), cache: res.headers.get('x-ipscope-cache') };
}

async function exported(ip: string, query: string): Promise<string> {
  const res = await fetch(`${t.base}/api/ips/${ip}/export.json?${query}`);
  expect(res.status).toBe(200);
  return res.text();
}

describe('series answer cache', () => {
  it('serves a kept answer only while it is what a fresh read gives, across random writes, deletes and metric deletions', async () => {
    const random = rng(7);
    const queries = [
      `metrics=${METRICS.join(',')}&from=${T0}&to=${T0 + 3600}&maxPoints=60`,
      `metrics=conn.count.resp,conn.responded&from=${T0 + 600}&to=${T0 + 1800}&maxPoints=7`,
      `metrics=conn.peers.resp&interval=months&from=${T0}&to=${T0 + 4 * 3600}&maxPoints=100`,
    ];
    const seen = { hit: 0, miss: 0 };
    for (let step = 0; step < 40; step++) {
      const action = random();
      const ip = IPS[Math.floor(random() * IPS.length)]!;
      if (action < 0.55) {
        const batch = Array.from({ length: 1 + Math.floor(random() * 6) }, () => sample(METRICS[Math.floor(random() * METRICS.length)]!, ip, Math.floor(random() * 60), Math.floor(random() * 100)));
        if (random() < 0.5) await t.store.bulkInsert(batch);
        else {
          const agg = t.store.aggregate();
          for (const s of batch) agg.add(s.metric, s.entity, s.ts, s.value);
          await t.store.writeAggregate(agg);
        }
      } else if (action < 0.65) await t.store.delete({ entity: ip, ...(random() < 0.5 ? { metric: METRICS[Math.floor(random() * METRICS.length)]! } : {}) });
      else if (action < 0.7) await t.store.deleteMetric({ metric: METRICS[Math.floor(random() * METRICS.length)]! });
      for (const q of queries) {
        for (const target of IPS) {
          const got = await series(target, q);
          expect(got.body, `${target} ${q} (${got.cache}) after step ${step}`).toBe(await exported(target, q));
          if (got.cache === 'hit') seen.hit++;
          else if (got.cache === 'miss') seen.miss++;
        }
      }
    }
    // Not vacuous: kept answers were served, and changes made the route read again.
    expect(seen.hit).toBeGreaterThan(100);
    expect(seen.miss).toBeGreaterThan(40);
  }, 120_000);

  it('keeps serving an IP while other IPs are written, and reads again once that IP is', async () => {
    const q = `metrics=conn.count.resp&from=${T0 + 7200}&to=${T0 + 10_800}&maxPoints=60`;
    const [a, b] = ['10.20.0.1', '10.20.0.2'];
    await t.store.bulkInsert([sample('conn.count.resp', a, 125, 3), sample('conn.count.resp', b, 125, 4)]);
    const first = await series(a, q);
    expect(first.cache).toBe('miss');
    expect(await series(a, q)).toEqual({ body: first.body, cache: 'hit' });
    // (within the newest data time: newer data would move the retained part of the range, a new version for every IP)
    await t.store.bulkInsert([sample('conn.count.resp', b, 121, 9)]);
    expect(await series(a, q)).toEqual({ body: first.body, cache: 'hit' });
    await t.store.bulkInsert([sample('conn.count.resp', a, 121, 9)]);
    const after = await series(a, q);
    expect(after.cache).toBe('miss');
    expect(after.body).not.toBe(first.body);
    expect(JSON.parse(after.body).series[0].points.find((p: [number, number]) => p[0] === T0 + 121 * 60)[1]).toBe(9);
  });
});
