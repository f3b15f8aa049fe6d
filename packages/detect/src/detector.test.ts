import { describe, expect, it } from 'vitest';
import { Detector, parseSeriesId, seriesId } from './detector';
import type { ClosedBucket } from './detector';
import { InvalidBucketError, InvalidOptionError } from './errors';
import { MemoryModelStateStore } from './modelStateStore';
import { SeriesState } from './seriesState';
import { encodeState } from './stateCodec';
import { MONDAY, SeededRandom } from './testing/seededRandom';

const STEP = 60;

async function feed(detector: Detector, from: number, steps: number, make: (ts: number, i: number) => ClosedBucket[]) {
  const results = [];
  for (let i = 0; i < steps; i++) {
    const ts = from + i * STEP;
    results.push(await detector.processStep(ts, make(ts, i)));
  }
  return results;
}

describe('Detector', () => {
  it('scores like a single SeriesState fed the same buckets (same code path, state through the store)', async () => {
    const random = new SeededRandom(1);
    const values = Array.from({ length: 600 }, () => random.poisson(30));
    const detector = new Detector(new MemoryModelStateStore(), { newcomerAfter: 0 });
    const direct = SeriesState.create(STEP, true, false, detector.seriesModelOptions);
    const results = await feed(detector, MONDAY, values.length, (ts, i) => [{ metric: 'conns', entity: '10.0.0.1', ts, value: values[i] as number }]);
    results.forEach((result, i) => {
      const expected = direct.update(MONDAY + i * STEP, values[i] as number);
      expect(result.scores[0]?.score).toBe(expected.score);
    });
  });

  it('relearns a series whose stored state is from another model version instead of failing', async () => {
    const store = new MemoryModelStateStore();
    const detector = new Detector(store, { newcomerAfter: 0 });
    const old = SeriesState.create(STEP, true, false, detector.seriesModelOptions);
    for (let i = 0; i < 50; i++) old.update(MONDAY + i * STEP, 10);
    const bytes = encodeState(old);
    bytes[4] = 1; // the model's layout version byte
    const id = seriesId('conns', '10.0.0.9');
    await store.save([{ id, state: bytes, lastSeen: MONDAY + 49 * STEP }]);
    const result = await detector.processStep(MONDAY + 50 * STEP, [{ metric: 'conns', entity: '10.0.0.9', ts: MONDAY + 50 * STEP, value: 12 }]);
    expect(result.scores).toHaveLength(1);
    expect(result.scores[0]?.coldStart).toBe(true);
    expect(result.scores[0]?.reason).toMatch(/warming up: 1 of/);
  });

  it('opens one alert for a port scan, explains it, and closes it when it ends', async () => {
    const random = new SeededRandom(2);
    const detector = new Detector(new MemoryModelStateStore(), { newcomerAfter: 0 });
    const results = await feed(detector, MONDAY, 900, (ts, i) => [
      { metric: 'distinct_ports', entity: '10.0.0.7', ts, value: i >= 800 && i < 810 ? 900 + random.poisson(50) : random.poisson(4) },
    ]);
    const events = results.flatMap((r) => r.events);
    expect(events.map((e) => e.type)).toEqual(['open', 'close']);
    const open = events[0]?.alert;
    expect(open?.start).toBe(MONDAY + 800 * STEP);
    expect(open?.view).toBe('spike');
    expect(open?.observed).toBeGreaterThan(800);
    expect(open?.expected).toBeLessThan(10);
    expect(open?.explanation).toMatch(/distinct_ports of 10\.0\.0\.7: (spike|level moved up)/);
    expect(events[1]?.alert.end).toBeGreaterThanOrEqual(MONDAY + 810 * STEP);
    expect(events[1]?.alert.id).toBe(open?.id);
  });

  it('fills a silent known series with zeros and alerts on the host going silent', async () => {
    const random = new SeededRandom(3);
    const detector = new Detector(new MemoryModelStateStore(), { newcomerAfter: 0 });
    const results = await feed(detector, MONDAY, 700, (ts, i) => (i < 600 ? [{ metric: 'conns', entity: '10.0.0.9', ts, value: 200 + random.poisson(20) }] : []));
    const filled = results[650]?.scores[0];
    expect(filled?.filled).toBe(true);
    expect(filled?.value).toBe(0);
    const open = results.flatMap((r) => r.events).find((e) => e.type === 'open');
    expect(open?.alert.direction).toBe('down');
    expect(open?.alert.start).toBeLessThanOrEqual(MONDAY + 602 * STEP);
  });

  it('alerts on a measurement that freezes at one value with the stuck view and says so', async () => {
    const random = new SeededRandom(4);
    const detector = new Detector(new MemoryModelStateStore(), { newcomerAfter: 0 });
    let last = 0;
    const results = await feed(detector, MONDAY, 1300, (ts, i) => {
      if (i < 1200) last = Math.round((500 + 20 * random.normal()) * 100) / 100;
      return [{ metric: 'rtt_ms', entity: '10.0.0.5', ts, value: last }];
    });
    const open = results.flatMap((r) => r.events).find((e) => e.type === 'open');
    expect(open?.alert.view).toBe('stuck');
    expect(open?.alert.start).toBeGreaterThanOrEqual(MONDAY + 1200 * STEP);
    expect(open?.alert.start).toBeLessThanOrEqual(MONDAY + 1203 * STEP);
    expect(open?.alert.explanation).toMatch(/rtt_ms of 10\.0\.0\.5: the same value .* buckets in a row \(stuck view\)/);
  });

  it('skips a replayed step instead of learning it twice', async () => {
    const store = new MemoryModelStateStore();
    const detector = new Detector(store, { newcomerAfter: 0 });
    await feed(detector, MONDAY, 20, (ts) => [{ metric: 'conns', entity: 'a', ts, value: 5 }]);
    const replay = await detector.processStep(MONDAY + 19 * STEP, [{ metric: 'conns', entity: 'a', ts: MONDAY + 19 * STEP, value: 5 }]);
    expect(replay.skipped).toBe(1);
    expect(replay.scores).toHaveLength(0);
  });

  it('lets a second detector on the same store continue where the first stopped', async () => {
    const random = new SeededRandom(4);
    const values = Array.from({ length: 400 }, () => random.poisson(50));
    const make = (ts: number, i: number): ClosedBucket[] => [{ metric: 'bytes', entity: 'h', ts, value: values[i] as number }];
    const single = new Detector(new MemoryModelStateStore(), { newcomerAfter: 0 });
    const all = await feed(single, MONDAY, 400, make);
    const shared = new MemoryModelStateStore();
    await feed(new Detector(shared, { newcomerAfter: 0 }), MONDAY, 200, make);
    const second = new Detector(shared, { newcomerAfter: 0 });
    for (let i = 200; i < 400; i++) {
      const r = await second.processStep(MONDAY + i * STEP, make(MONDAY + i * STEP, i));
      expect(r.scores[0]?.score).toBe(all[i]?.scores[0]?.score);
    }
  });

  it('scores histogram metrics with the distribution view', async () => {
    const random = new SeededRandom(5);
    const detector = new Detector(new MemoryModelStateStore(), { newcomerAfter: 0, metrics: { conn_state: { kind: 'histogram' } } });
    const results = await feed(detector, MONDAY, 600, (ts, i) => [
      {
        metric: 'conn_state',
        entity: 'h',
        ts,
        histogram: (i >= 590 ? { SF: random.poisson(30), S0: 40 } : { SF: random.poisson(30), S0: random.poisson(1), REJ: random.poisson(1) }) as Record<string, number>,
      },
    ]);
    const open = results.flatMap((r) => r.events).find((e) => e.type === 'open');
    expect(open?.alert.view).toBe('distribution');
    expect(open?.alert.explanation).toMatch(/share of S0/);
  });

  it('flags a new IP that appears with heavy activity (newcomer view)', async () => {
    const random = new SeededRandom(6);
    const detector = new Detector(new MemoryModelStateStore(), { newcomerAfter: 600 });
    const results = await feed(detector, MONDAY, 120, (ts, i) => {
      const buckets: ClosedBucket[] = [];
      for (let h = 0; h < 80; h++) if (i >= h) buckets.push({ metric: 'conns', entity: `10.1.0.${h}`, ts, value: random.poisson(5) });
      if (i >= 110) buckets.push({ metric: 'conns', entity: '10.9.9.9', ts, value: 5000 });
      return buckets;
    });
    const events = results.flatMap((r) => r.events).filter((e) => e.type === 'open');
    expect(events.map((e) => e.alert.entity)).toEqual(['10.9.9.9']);
    expect(events[0]?.alert.view).toBe('newcomer');
    expect(results[110]?.scores.find((s) => s.entity === '10.9.9.9')?.coldStart).toBe(true);
  });

  it('handles only its shard of series', async () => {
    const make = (ts: number): ClosedBucket[] => Array.from({ length: 50 }, (_, h) => ({ metric: 'conns', entity: `h${h}`, ts, value: 1 }));
    const a = await new Detector(new MemoryModelStateStore(), { shard: { index: 0, count: 2 } }).processStep(MONDAY, make(MONDAY));
    const b = await new Detector(new MemoryModelStateStore(), { shard: { index: 1, count: 2 } }).processStep(MONDAY, make(MONDAY));
    expect(a.scores.length + b.scores.length).toBe(50);
    expect(a.scores.length).toBeGreaterThan(10);
    expect(b.scores.length).toBeGreaterThan(10);
  });

  it.each<[string, ClosedBucket]>([
    ['a non-finite value', { metric: 'conns', entity: 'a', ts: MONDAY, value: Number.NaN }],
    ['a histogram for a value metric', { metric: 'conns', entity: 'a', ts: MONDAY, histogram: { SF: 1 } }],
    ['a bucket of another step', { metric: 'conns', entity: 'a', ts: MONDAY + 60, value: 1 }],
    ['a metric with "|"', { metric: 'a|b', entity: 'a', ts: MONDAY, value: 1 }],
    ['an empty entity', { metric: 'conns', entity: '', ts: MONDAY, value: 1 }],
  ])('rejects %s with an InvalidBucketError and writes nothing', async (_name, bucket) => {
    const store = new MemoryModelStateStore();
    const detector = new Detector(store);
    await expect(detector.processStep(MONDAY, [{ metric: 'conns', entity: 'ok', ts: MONDAY, value: 1 }, bucket])).rejects.toThrow(InvalidBucketError);
    expect(store.size).toBe(0);
  });

  it('rejects duplicate series in a step and impossible options', async () => {
    const detector = new Detector(new MemoryModelStateStore());
    const bucket = { metric: 'conns', entity: 'a', ts: MONDAY, value: 1 };
    await expect(detector.processStep(MONDAY, [bucket, bucket])).rejects.toThrow(/two buckets/);
    expect(() => new Detector(new MemoryModelStateStore(), { step: -1 })).toThrow(InvalidOptionError);
    expect(() => new Detector(new MemoryModelStateStore(), { shard: { index: 2, count: 2 } })).toThrow(/shard/);
  });

  it('applies per-metric model options, as the offline scorer must to match', async () => {
    const random = new SeededRandom(9);
    const values = Array.from({ length: 300 }, () => random.poisson(3) * 1500);
    const detector = new Detector(new MemoryModelStateStore(), { newcomerAfter: 0, metrics: { bytes: { model: { offset: 1000 } } } });
    expect(detector.modelOptionsFor('bytes').offset).toBe(1000);
    expect(detector.modelOptionsFor('conns').offset).toBeUndefined();
    const withOffset = SeriesState.create(STEP, true, false, detector.modelOptionsFor('bytes'));
    const withDefault = SeriesState.create(STEP, true, false, detector.modelOptionsFor('conns'));
    let differs = false;
    for (let i = 0; i < values.length; i++) {
      const ts = MONDAY + i * STEP;
      const r = await detector.processStep(ts, [{ metric: 'bytes', entity: 'h', ts, value: values[i] as number }]);
      expect(r.scores[0]?.score).toBe(withOffset.update(ts, values[i] as number).score);
      if (withDefault.update(ts, values[i] as number).score !== r.scores[0]?.score) differs = true;
    }
    expect(differs).toBe(true);
  });

  it('round-trips series ids', () => {
    expect(parseSeriesId(seriesId('conns', '2001:db8::1'))).toEqual({ metric: 'conns', entity: '2001:db8::1' });
  });
});
