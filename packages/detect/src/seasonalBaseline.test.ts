import { describe, expect, it } from 'vitest';
import { DAILY_BINS, WEEKLY_BINS, seasonalLayout, seasonalValue, updateSeasonal } from './seasonalBaseline';
import { MONDAY } from './testing/seededRandom';

const slots = { daily: 0, weekly: DAILY_BINS };

describe('seasonal baseline', () => {
  it.each([
    [60, true, { daily: true, weekly: true }],
    [1800, true, { daily: true, weekly: true }],
    [3 * 3600, true, { daily: false, weekly: true }],
    [2 * 86_400, true, { daily: false, weekly: false }],
    [60, false, { daily: false, weekly: false }],
  ])('step %i s, calendar %s → %j', (step, calendar, layout) => {
    expect(seasonalLayout(step, calendar)).toEqual(layout);
  });

  it('learns a daily wave from clamped residuals and keeps the profile at mean zero', () => {
    const state = new Float32Array(DAILY_BINS + WEEKLY_BINS);
    const step = 300;
    const wave = (ts: number): number => Math.sin(((ts % 86_400) / 86_400) * 2 * Math.PI);
    for (let ts = MONDAY; ts < MONDAY + 6 * 86_400; ts += step) {
      const center = ts + step / 2;
      const residual = wave(center) - seasonalValue(state, slots, true, false, center);
      updateSeasonal(state, slots, true, false, center, residual, step, ts - MONDAY);
    }
    const at6 = seasonalValue(state, slots, true, false, MONDAY + 6 * 3600);
    const at18 = seasonalValue(state, slots, true, false, MONDAY + 18 * 3600);
    expect(at6).toBeGreaterThan(0.8);
    expect(at18).toBeLessThan(-0.8);
    const mean = Array.from(state.subarray(0, DAILY_BINS)).reduce((a, b) => a + b, 0) / DAILY_BINS;
    expect(Math.abs(mean)).toBeLessThan(1e-5);
  });

  it('returns the amount it re-centred so the caller can move it into the level', () => {
    const state = new Float32Array(DAILY_BINS + WEEKLY_BINS);
    const moved = updateSeasonal(state, slots, true, false, MONDAY + 3600, 24, 3600, 0);
    expect(moved).toBeCloseTo(1, 5);
  });
});
