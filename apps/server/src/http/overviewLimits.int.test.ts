import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { TopEntitiesResponse, TotalsResponse } from '@ipscope/api';
import type { Sample } from '@ipscope/timeseries';
import { startTestApi, type TestApi } from './testing/harness';
import { CIDR_SCAN_MAX, TOTAL_EXACT_MAX, TOTAL_SAMPLE } from './topEntities';

const T0 = 1_714_564_800;
// More entities than an exact total or a CIDR walk covers: 24 000 in 172.16.0.0/12, each busier than
// the 3 in 192.168.0.0/24 at the bottom of the ranking.
const MANY = CIDR_SCAN_MAX + 4000;
let t: TestApi;

beforeAll(async () => {
  t = await startTestApi(inject('redisUrl'));
  const samples: Sample[] = [];
  for (let i = 0; i < MANY; i++) samples.push({ metric: 'conn.count.resp', entity: `172.16.${i >> 8}.${i & 255}`, ts: T0, value: 2 + (i % 7) });
  for (let i = 1; i <= 3; i++) samples.push({ metric: 'conn.count.resp', entity: `192.168.0.${i}`, ts: T0, value: 1 });
  for (let i = 0; i < samples.length; i += 10_000) await t.store.bulkInsert(samples.slice(i, i + 10_000));
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('bounded overview work on many entities', () => {
  it('gives a lower bound, marked incomplete, for a total over more entities than it ranks exactly', async () => {
    expect(MANY).toBeGreaterThan(TOTAL_EXACT_MAX);
    const body = (await (await fetch(`${t.base}/api/totals?from=${T0}&to=${T0 + 60}`)).json()) as TotalsResponse;
    expect(body.complete).toBe(false);
    // The busiest 1 000 all count 8 (i % 7 === 6).
    expect(body.totals['conn.count.resp']).toBe(TOTAL_SAMPLE * 8);
    expect(body.totals['conn.count.orig']).toBe(0);
  });

  it('stops a CIDR walk at its budget and says the answer is incomplete', async () => {
    const far = (await (await fetch(`${t.base}/api/entities/top?metric=conn.count.resp&from=${T0}&to=${T0 + 60}&cidr=192.168.0.0/24`)).json()) as TopEntitiesResponse;
    expect(far.complete).toBe(false);
    expect(far.items).toEqual([]);
    const near = (await (await fetch(`${t.base}/api/entities/top?metric=conn.count.resp&from=${T0}&to=${T0 + 60}&cidr=172.16.0.0/24&limit=3`)).json()) as TopEntitiesResponse;
    expect(near.complete).toBe(true);
    expect(near.items.map((i) => i.value)).toEqual([8, 8, 8]);
  });
});
