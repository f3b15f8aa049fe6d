import { describe, expect, it } from 'vitest';
import { emptyTally, normalisedWindowScore, scaledSigmoid, tallyWindows } from './windowScore';

describe('window score (NAB-style)', () => {
  it('rewards an earlier detection more, and nothing at the window end', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.9866, 4);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(-0.8)).toBeGreaterThan(scaledSigmoid(-0.2));
  });

  it('scores 100 for a detection at each window start and nothing else, 0 for no detection', () => {
    const windows = [
      { start: 10, end: 20 },
      { start: 50, end: 60 },
    ];
    const perfect = emptyTally();
    tallyWindows([10, 50], windows, [], perfect);
    expect(normalisedWindowScore(perfect)).toBeCloseTo(100, 6);
    const none = emptyTally();
    tallyWindows([], windows, [], none);
    expect(normalisedWindowScore(none)).toBe(0);
  });

  it('counts only the first detection in a window, charges each one outside, and skips ignored ranges', () => {
    const t = emptyTally();
    tallyWindows([5, 8, 12, 13, 14, 30, 31], [{ start: 12, end: 22 }], [{ start: 0, end: 6 }, { start: 9, end: 12 }], t);
    expect(t).toMatchObject({ hits: 1, falsePositives: 3, windows: 1 });
    expect(t.raw).toBeCloseTo(scaledSigmoid(-1) - 3 * 0.11, 9);
  });

  it('scores a late detection below an early one, and a window missed at −fn', () => {
    const early = emptyTally();
    const late = emptyTally();
    const missed = emptyTally();
    tallyWindows([13], [{ start: 12, end: 22 }], [], early);
    tallyWindows([20], [{ start: 12, end: 22 }], [], late);
    tallyWindows([40], [{ start: 12, end: 22 }], [], missed);
    expect(normalisedWindowScore(late)).toBeLessThan(normalisedWindowScore(early));
    expect(normalisedWindowScore(late)).toBeGreaterThan(0);
    expect(missed.raw).toBeCloseTo(-1 - 0.11, 9);
    expect(normalisedWindowScore(missed)).toBeLessThan(0);
  });
});
