import { describe, expect, it } from 'vitest';
import { ZeekConnGenerator, dailyRhythm } from './zeekConn';

describe('ZeekConnGenerator', () => {
  it('emits records with the real Zeek conn.log field names', () => {
    const record = new ZeekConnGenerator({ seed: 7 }).record(1_700_000_000);
    for (const field of ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'conn_state', 'orig_pkts', 'resp_pkts']) {
      expect(record).toHaveProperty([field]);
    }
    expect(record.uid).toMatch(/^C[A-Za-z0-9]{17}$/);
  });

  it('is deterministic for a seed', () => {
    const a = [...new ZeekConnGenerator({ seed: 3 }).between(1_700_000_000, 1_700_000_060, 20)];
    const b = [...new ZeekConnGenerator({ seed: 3 }).between(1_700_000_000, 1_700_000_060, 20)];
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(0);
  });

  it('keeps records in time order inside the requested range', () => {
    const records = [...new ZeekConnGenerator({ seed: 1 }).between(1_700_000_000, 1_700_000_300, 30)];
    const times = records.map((r) => r.ts);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(1_700_000_000);
    expect(Math.max(...times)).toBeLessThan(1_700_000_300);
  });

  it('makes servers busier than clients (Zipf popularity)', () => {
    const gen = new ZeekConnGenerator({ seed: 5, externalShare: 0 });
    const byResp = new Map<string, number>();
    for (const r of gen.between(1_700_000_000, 1_700_003_600, 10)) byResp.set(r['id.resp_h'], (byResp.get(r['id.resp_h']) ?? 0) + 1);
    const counts = [...byResp.values()].sort((a, b) => b - a);
    expect(counts[0]!).toBeGreaterThan(4 * counts[counts.length - 1]!);
  });

  it('follows a daily rhythm: afternoon busier than night, weekdays busier than weekends', () => {
    const monday = Date.UTC(2026, 10, 23) / 1000;
    expect(dailyRhythm(monday + 13 * 3600)).toBeGreaterThan(3 * dailyRhythm(monday + 2 * 3600));
    expect(dailyRhythm(monday + 13 * 3600)).toBeGreaterThan(dailyRhythm(monday - 24 * 3600 + 13 * 3600));
  });

  it('only gives byte counts and a service to established connections', () => {
    const records = [...new ZeekConnGenerator({ seed: 9 }).between(1_700_000_000, 1_700_000_600, 20)];
    for (const r of records) {
      if (r.conn_state === 'S0' || r.conn_state === 'REJ') {
        expect(r.orig_bytes).toBeUndefined();
        expect(r.service).toBeUndefined();
      }
    }
    expect(records.some((r) => r['id.resp_h'].includes(':'))).toBe(true);
  });
});
