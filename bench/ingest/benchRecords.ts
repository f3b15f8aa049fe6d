import { dailyRhythm, ZeekConnGenerator, type ZeekConnRecord } from '@ipscope/testkit';

/** Start of the benchmark's day of traffic: a Monday in the past (UTC), so no event is in the future. */
export const BENCH_DAY_START = Date.UTC(2026, 10, 2, 0, 0, 0) / 1000;

const DAY = 86_400;

/**
 * Exactly `count` realistic Zeek conn records for one seed: the testkit's generator (300 clients,
 * 24 servers, a quarter of connections external) over `spanSeconds` from the start of a working
 * day, following its daily rhythm, the peak rate chosen so that the span holds `count`
 * connections. Deterministic for a seed, count and span.
 */
export function* benchRecords(count: number, seed: number, spanSeconds = DAY): Generator<ZeekConnRecord> {
  let rhythmSum = 0;
  for (let s = 0; s < spanSeconds; s++) rhythmSum += dailyRhythm(BENCH_DAY_START + s);
  // A little headroom: the generator rounds randomly, and the run stops at exactly `count`.
  const peakRate = (count / rhythmSum) * 1.02;
  const generator = new ZeekConnGenerator({ seed });
  let produced = 0;
  for (let lap = 0; produced < count; lap++) {
    const from = BENCH_DAY_START + lap * spanSeconds;
    for (const record of generator.between(from, from + spanSeconds, peakRate)) {
      yield record;
      if (++produced === count) return;
    }
  }
}
