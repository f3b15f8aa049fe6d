import { describe, expect, it } from 'vitest';
import { formatProgressLine, humanCount, humanDuration, ProgressReporter, type ProgressSnapshot } from './progress';

const base: ProgressSnapshot = { done: 0, total: 1000, doneAtStart: 0, lines: 0, elapsed: 0, noun: 'lines' };

describe('formatProgressLine', () => {
  it('shows bar, percent, estimated total, rate and ETA', () => {
    const line = formatProgressLine({ ...base, done: 520, lines: 1_200_000, elapsed: 10 });
    expect(line).toBe('[##########..........] 52% 1.2M/~2.3M lines 120k lines/s ETA 9s');
  });

  it('counts rate and ETA from this run only when resuming', () => {
    const line = formatProgressLine({ ...base, doneAtStart: 500, done: 750, lines: 10_000, elapsed: 5 });
    expect(line).toBe('[###############.....] 75% 10k/~20k lines 2k lines/s ETA 5s');
  });

  it('shows an exact total and ETA 0s when done', () => {
    expect(formatProgressLine({ ...base, done: 1000, lines: 42, elapsed: 2 })).toBe('[####################] 100% 42/42 lines 21 lines/s ETA 0s');
  });

  it('does not divide by zero at the start', () => {
    expect(formatProgressLine(base)).toBe('[....................] 0% 0 lines - lines/s ETA -');
    expect(formatProgressLine({ ...base, total: 0 })).toBe('[####################] 100% 0 lines - lines/s ETA 0s');
  });
});

describe('humanCount and humanDuration', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [1234, '1.2k'],
    [85_000, '85k'],
    [1_200_000, '1.2M'],
    [3.4e9, '3.4G'],
  ])('%d → %s', (n, text) => expect(humanCount(n)).toBe(text));

  it.each([
    [13, '13s'],
    [125, '2m05s'],
    [3720, '1h02m'],
    [Number.POSITIVE_INFINITY, '-'],
  ])('%d s → %s', (s, text) => expect(humanDuration(s)).toBe(text));
});

describe('ProgressReporter', () => {
  function stream(isTTY: boolean) {
    const writes: string[] = [];
    return { writes, isTTY, write: (text: string) => writes.push(text) };
  }

  it('redraws one line in place on a terminal, at most every interval', () => {
    let now = 0;
    const out = stream(true);
    const reporter = new ProgressReporter(out, { ttyIntervalMs: 100, now: () => now });
    reporter.update(() => ({ ...base, done: 100 }));
    now = 50;
    reporter.update(() => ({ ...base, done: 200 }));
    now = 150;
    reporter.update(() => ({ ...base, done: 300 }));
    reporter.clear();
    expect(out.writes).toHaveLength(3);
    expect(out.writes[0]).toMatch(/^\r\[##\.+\] 10% .*\x1b\[K$/);
    expect(out.writes[1]).toMatch(/^\r\[######\.+\] 30% /);
    expect(out.writes[2]).toBe('\r\x1b[K');
  });

  it('writes plain lines, the first after one interval, when not a terminal', () => {
    let now = 0;
    const out = stream(false);
    const reporter = new ProgressReporter(out, { plainIntervalMs: 5000, now: () => now });
    reporter.update(() => ({ ...base, done: 100 }));
    now = 5000;
    reporter.update(() => ({ ...base, done: 500 }));
    now = 6000;
    reporter.update(() => ({ ...base, done: 600 }));
    reporter.clear();
    expect(out.writes).toEqual([expect.stringMatching(/^backfill: \[#{10}\.{10}\] 50% .*\n$/)]);
  });
});
