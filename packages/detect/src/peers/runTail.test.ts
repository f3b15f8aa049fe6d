import { describe, expect, it } from 'vitest';
import { RunTail, runBin } from './runTail';

describe('RunTail', () => {
  it('bins run lengths by their lower edges', () => {
    expect(runBin(1)).toBe(0);
    expect(runBin(4)).toBe(3);
    expect(runBin(7)).toBe(5);
    expect(runBin(10_000)).toBe(22);
  });

  it('gives a chance that never grows with the run length', () => {
    const tail = RunTail.create();
    for (let i = 0; i < 300; i++) tail.reach(0, 1 + (i % 5));
    let last = 1;
    for (let length = 1; length <= 200; length++) {
      const p = tail.p(length, 10_000);
      expect(p).toBeLessThanOrEqual(last);
      last = p;
    }
  });

  it("follows the host's own frequency where it has runs", () => {
    const tail = RunTail.create();
    for (let i = 0; i < 1000; i++) tail.reach(0, 1);
    for (let i = 0; i < 100; i++) tail.reach(1, 3);
    const p = tail.p(3, 10_000);
    expect(p).toBeGreaterThan(0.5 * (100 / 10_000));
    expect(p).toBeLessThan(2 * (100 / 10_000));
  });

  it('calls a length that many runs never reached rare, and one this host often reaches common', () => {
    const strict = RunTail.create();
    for (let i = 0; i < 2000; i++) strict.reach(0, 2);
    const loose = RunTail.create();
    for (let i = 0; i < 2000; i++) loose.reach(0, i % 2 === 0 ? 2 : 4);
    expect(strict.p(3, 10_000)).toBeLessThan(1e-4);
    expect(loose.p(3, 10_000)).toBeGreaterThan(0.05);
  });

  it('names the usual length: the longest reached about once in a hundred buckets', () => {
    const tail = RunTail.create();
    for (let i = 0; i < 5000; i++) tail.reach(0, 1);
    for (let i = 0; i < 500; i++) tail.reach(1, 2);
    for (let i = 0; i < 10; i++) tail.reach(2, 3);
    expect(tail.usualLength(10_000, 0.01)).toBe(2);
  });
});
