import { describe, expect, it } from 'vitest';
import { usePrivateRedis } from './testing/privateRedis';
import { createStore, type Sample, type StoreOptions } from './index';
import { resolveOptions } from './options';
import { ReferenceStore } from './testing/referenceStore';

/**
 * `top` keeps the edge chunks it parsed in Node under the chunks' stamps (topUnion.ts,
 * edgeChunkCache.ts), so a ranking moved by a minute reads no dump of them again. These tests
 * change the data of a kept chunk — a late write outside the range's cut of an edge chunk (the
 * ranking's upper bound grows, the in-range total does not), a late write inside it, one into a
 * chunk only the group totals keep, and deleting an entity and writing it again with the same
 * chunk total spread differently — and check every ranking and the busiest hosts' group totals
 * against the reference; and that a moved ranking over unchanged chunks, and group totals asked
 * again, read no dumps (DUMP calls counted on a private Redis).
 */
const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
const db = usePrivateRedis('edge-cache');

const METRICS = { bytes: { type: 'count' as const }, lat: { type: 'series' as const, top: true } };
const INTERVALS = { min: { step: 60, steps: 600, chunk: 60 } };
const HOURS = 5;

/** 40 hosts with a bucket nearly every minute and nearly equal totals: most are computed exactly. */
function workload(): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < 40; i++) {
    const entity = i % 8 === 0 ? `2001:db8::${(i + 1).toString(16)}` : `10.2.${i}.1`;
    for (let m = 0; m < HOURS * 60; m++) {
      if ((m + i) % 7 === 0) continue;
      out.push({ metric: 'bytes', entity, ts: T0 + m * 60 + 5, value: 10 + ((i * 31 + m * 17) % 23) });
      if ((m + i) % 3 === 0) out.push({ metric: 'lat', entity, ts: T0 + m * 60 + 7, value: (i + m) % 50 });
    }
  }
  return out;
}

/** Ranges cutting chunk 0 and chunk 3 (both closed: the newest data is in chunk 4), each a minute before the last. */
const ranges = (n: number) => Array.from({ length: n }, (_, k) => ({ from: T0 + (20 - k) * 60, to: T0 + (3 * 60 + 40 - k) * 60 }));

async function dumpCalls(): Promise<number> {
  const stats = await db.redis.info('commandstats');
  return Number(/cmdstat_dump:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

describe('top keeps parsed chunks under their stamps', () => {
  it('reads no dumps for a ranking moved by a minute, and stays exact when a kept edge chunk changes', async () => {
    const prefix = db.prefix('edge');
    const options: StoreOptions = { prefix, shards: 2, metrics: METRICS, intervals: INTERVALS, maxFutureSeconds: Infinity };
    const store = createStore(db.redis, options);
    let held = workload();
    await store.bulkInsert(held);
    // group totals (sparklines) of the busiest hosts, before and after ranking: they read the
    // chunks kept under the unions' stamps, and must not read a changed chunk from there
    const lines = async (label: string, ref: ReferenceStore, metric: string, r: { from: number; to: number }) => {
      const entities = [...ref.top({ metric, interval: 'min', ...r, limit: 12, offset: 0 }).map((e) => e.entity), '10.9.9.9'];
      const got = await store.groupTotals({ metric, interval: 'min', entities, ...r, group: 7 * 60 });
      entities.forEach((entity, e) => {
        const want = ref.series({ metric, entity, interval: 'min', ...r, condenseSeconds: 7 * 60, transform: metric === 'bytes' ? undefined : 'count' });
        expect(got.totals[e], `${label}: lines of ${metric} ${entity} ${JSON.stringify(r)}`).toEqual(want.map((p) => p.value));
      });
    };
    const check = async (label: string, rs = ranges(3)) => {
      const ref = new ReferenceStore(resolveOptions(options));
      ref.insert(held);
      for (const metric of ['bytes', 'lat']) {
        for (const r of rs) {
          await lines(`${label}, before ranking`, ref, metric, r);
          for (const [limit, offset] of [[10, 0], [4, 9]] as const) {
            const q = { metric, interval: 'min', ...r, limit, offset };
            expect(await store.top(q), `${label}: ${JSON.stringify(q)}`).toEqual(ref.top(q));
          }
          await lines(`${label}, after ranking`, ref, metric, r);
        }
      }
    };

    await check('fresh');
    // the same chunks cut at other minutes: every candidate's edge chunks are kept already
    const before = await dumpCalls();
    for (const metric of ['bytes', 'lat']) {
      for (const r of ranges(6).slice(3)) await store.top({ metric, interval: 'min', ...r, limit: 10 });
    }
    expect(await dumpCalls()).toBe(before);
    await check('moved', ranges(6).slice(3));
    // and the group totals asked again read nothing either (a host without data is kept as such)
    const again = await dumpCalls();
    await check('moved, again', ranges(6).slice(3));
    expect(await dumpCalls()).toBe(again);

    // a late write outside the cut of edge chunk 0 (minute 3): the union and its stamps go, so the
    // kept parse of chunk 0 must not be used with the new upper bound
    const [ref0] = ranges(1);
    const refStore = new ReferenceStore(resolveOptions(options));
    refStore.insert(held);
    const tenth = refStore.top({ metric: 'bytes', interval: 'min', ...ref0!, limit: 1, offset: 9 })[0]!;
    const tenthLat = refStore.top({ metric: 'lat', interval: 'min', ...ref0!, limit: 1, offset: 9 })[0]!;
    const outside: Sample[] = [
      { metric: 'bytes', entity: tenth.entity, ts: T0 + 3 * 60 + 1, value: 5_000 },
      ...Array.from({ length: 40 }, (_, k): Sample => ({ metric: 'lat', entity: tenthLat.entity, ts: T0 + 3 * 60 + 2, value: k })),
    ];
    await store.bulkInsert(outside);
    held = [...held, ...outside];
    await check('late write outside the cut of a kept edge chunk');

    // a late write inside the cut of edge chunk 3
    const inside: Sample[] = [{ metric: 'bytes', entity: '10.2.5.1', ts: T0 + 3 * 3600 + 10 * 60, value: 700 }];
    await store.bulkInsert(inside);
    held = [...held, ...inside];
    await check('late write inside the cut of a kept edge chunk');

    // a late write inside chunk 2, which no range here cuts: only the group totals keep it
    const top1 = new ReferenceStore(resolveOptions(options));
    top1.insert(held);
    const busiest = top1.top({ metric: 'bytes', interval: 'min', ...ref0!, limit: 1, offset: 0 })[0]!;
    const interior: Sample[] = [{ metric: 'bytes', entity: busiest.entity, ts: T0 + 2 * 3600 + 30 * 60, value: 333 }];
    await store.bulkInsert(interior);
    held = [...held, ...interior];
    await check('late write inside a chunk kept for group totals');

    // delete a host and write it again with the same total in chunk 3, moved from inside the
    // cut (minutes 0..39) to outside it (minutes 41..59): same index score, different data
    const host = '10.2.9.1';
    const chunk3 = held.filter((s) => s.entity === host && s.metric === 'bytes' && s.ts >= T0 + 3 * 3600 && s.ts < T0 + 4 * 3600);
    const total3 = chunk3.reduce((a, s) => a + (s.value as number), 0);
    await store.delete({ entity: host });
    held = held.filter((s) => s.entity !== host);
    const rewritten: Sample[] = [
      { metric: 'bytes', entity: host, ts: T0 + 3 * 3600 + 50 * 60, value: total3 },
      { metric: 'bytes', entity: host, ts: T0 + 3600 + 60, value: 900 },
    ];
    await store.bulkInsert(rewritten);
    held = [...held, ...rewritten];
    await check('an entity deleted and written again with the same chunk total');
    await check('moved after the changes', ranges(6).slice(3));

    // the chunk holding the newest data (hour 4), cut by a range ending before it: kept too, and
    // a write into it, outside the cut and inside, shows in the next ranking
    const open = [{ from: T0 + 2 * 3600 + 5 * 60, to: T0 + 4 * 3600 + 30 * 60 }];
    await check('a range cutting the newest chunk', open);
    const live: Sample[] = [
      { metric: 'bytes', entity: '10.2.3.1', ts: T0 + 4 * 3600 + 45 * 60, value: 4_000 },
      { metric: 'bytes', entity: '10.2.4.1', ts: T0 + 4 * 3600 + 10 * 60, value: 900 },
    ];
    await store.bulkInsert(live);
    held = [...held, ...live];
    await check('writes into the newest chunk', open);
  });
});
