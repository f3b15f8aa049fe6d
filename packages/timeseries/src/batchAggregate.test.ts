import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchAggregate } from './batchAggregate';
import { KeyScheme } from './keyScheme';
import { resolveOptions, type MetricType, type StoreOptions } from './options';
import { EntityKeys } from './sample';

/*
 * addFor (an event's observations by metric slot and IP role) must be exactly add: the same
 * aggregate, and for a refused observation the same error at the same position, with nothing of it
 * folded. (batchAggregate.int.test.ts shows add's aggregate is written as bulkInsert writes.)
 */

const T0 = 1_514_764_800;
const TYPES: MetricType[] = ['count', 'gauge', 'series', 'histogram', 'set', 'hll'];
const IPS = ['10.0.0.1', '::ffff:10.0.0.1', '10.0.0.2', '2001:db8::1', '2001:DB8:0:0::1', 'not-an-ip', ''];

const options: StoreOptions = {
  prefix: 'p',
  shards: 3,
  metrics: Object.fromEntries(TYPES.map((type) => [type, { type, intervals: type === 'gauge' ? ['fine'] : ['fine', 'coarse'] }])),
  intervals: { fine: { step: 60, steps: 30, chunk: 4 }, coarse: { step: 300, steps: 6, resolution: 150, chunk: 2 } },
  maxFutureSeconds: 3600,
};
const config = resolveOptions(options);
const keys = new KeyScheme('p', 3);
const fresh = () => new BatchAggregate(config, keys, new EntityKeys());

interface Obs {
  metric: MetricType;
  role: 0 | 1;
  value: number | string;
  weight: number | undefined;
}
interface Ev {
  ts: number;
  ips: [string, string];
  obs: Obs[];
}

const value = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 1000 }) },
  { weight: 4, arbitrary: fc.constantFrom('SF', 'REJ', 'tcp/443', '10.9.9.9') },
  { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER, '', 'x'.repeat(513)) },
);
const weight = fc.option(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constantFrom(-1, 0.5, Number.MAX_SAFE_INTEGER)), { nil: undefined, freq: 3 });
const obs = fc.record({ metric: fc.constantFrom(...TYPES), role: fc.constantFrom<0 | 1>(0, 1), value, weight });
const ts = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 1500 }).map((s) => T0 + s / 4) }, { weight: 1, arbitrary: fc.constantFrom(-1, Number.NaN, 1e13, Date.now() / 1000 + 7200) });
const event = fc.record({ ts, ips: fc.tuple(fc.constantFrom(...IPS), fc.constantFrom(...IPS)), obs: fc.array(obs, { maxLength: 6 }) });

/** Feeds the events through `add`, stopping at the first refused observation; returns its error. */
function viaAdd(agg: BatchAggregate, events: readonly Ev[]): unknown {
  try {
    for (const e of events) for (const o of e.obs) agg.add(o.metric, e.ips[o.role], e.ts, o.value, o.weight);
  } catch (error) {
    return error;
  }
  return undefined;
}

function viaAddFor(agg: BatchAggregate, events: readonly Ev[]): unknown {
  try {
    for (const e of events) {
      agg.event(e.ts, e.ips[0], e.ips[1]);
      for (const o of e.obs) agg.addFor(agg.slotOf(o.metric), o.role, o.value, o.weight);
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('BatchAggregate.addFor', () => {
  it('folds an event exactly as add does, errors included (fuzz)', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const a = fresh();
        const b = fresh();
        const errorA = viaAdd(a, events);
        const errorB = viaAddFor(b, events);
        expect(errorB).toEqual(errorA);
        if (errorA !== undefined) expect((errorB as Error).message).toBe((errorA as Error).message);
        expect(b.size).toBe(a.size);
        expect(b.newest).toBe(a.newest);
        expect(b.byShard()).toEqual(a.byShard());
      }),
      { numRuns: 2000 },
    );
  });

  it('checks the event time and IPs only when an observation uses them', () => {
    const agg = fresh();
    agg.event(Number.NaN, 'not-an-ip', '10.0.0.1');
    expect(agg.size).toBe(0);
    agg.event(T0, 'not-an-ip', '10.0.0.1');
    agg.addFor(agg.slotOf('count'), 1, 5);
    expect(() => agg.addFor(agg.slotOf('count'), 0, 5)).toThrow(/entity/);
    expect(agg.size).toBe(1);
  });

  it('has no slot for a metric that is not configured', () => {
    expect(fresh().slotOf('nope')).toBe(-1);
  });
});
