import { describe, expect, it } from 'vitest';
import { CALIBRATOR_SLOTS, initCalibrator, tailProbability, tailQuantile, updateCalibrator } from './tailCalibrator';
import { SeededRandom } from './testing/seededRandom';

function fresh(): Float32Array {
  const state = new Float32Array(CALIBRATOR_SLOTS);
  initCalibrator(state, 0);
  return state;
}

describe('tail calibrator', () => {
  it('is non-increasing in x and stays in (0, 1]', () => {
    const state = fresh();
    let previous = 1;
    for (let x = -2; x <= 30; x += 0.25) {
      const p = tailProbability(state, 0, x);
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThanOrEqual(previous);
      previous = p;
    }
  });

  it('learns that a series with routine big bursts makes the same deviation less surprising', () => {
    const random = new SeededRandom(1);
    const calm = fresh();
    const bursty = fresh();
    for (let i = 0; i < 20_000; i++) {
      updateCalibrator(calm, 0, random.normal(), i, 1);
      updateCalibrator(bursty, 0, random.next() < 0.01 ? 6 + 4 * random.next() : random.normal(), i, 1);
    }
    expect(tailProbability(bursty, 0, 8)).toBeGreaterThan(100 * tailProbability(calm, 0, 8));
    expect(tailProbability(calm, 0, 8)).toBeLessThan(1e-5);
  });

  it('gives a long clean history the far tail its own decay from 2 to 4 shows, instead of the heavy prior shape', () => {
    const random = new SeededRandom(3);
    const calm = fresh();
    for (let i = 0; i < 5000; i++) updateCalibrator(calm, 0, random.normal(), i, 1);
    const own = tailProbability(calm, 0, 8, true);
    const prior = tailProbability(calm, 0, 8, false);
    expect(own).toBeLessThan(prior / 100);
    expect(own).toBeLessThan(1e-8);
    // Below u₂ nothing changes.
    expect(tailProbability(calm, 0, 3.5, true)).toBe(tailProbability(calm, 0, 3.5, false));
    // The quantile inverts the same shape.
    expect(tailProbability(calm, 0, tailQuantile(calm, 0, 1e-9, true), true)).toBeCloseTo(1e-9, 15);
  });

  it('keeps a bursty series scored by the excesses it has shown, whatever its decay from 2 to 4', () => {
    const random = new SeededRandom(4);
    const bursty = fresh();
    for (let i = 0; i < 20_000; i++) updateCalibrator(bursty, 0, random.next() < 0.01 ? 6 + 4 * random.next() : random.normal(), i, 1);
    const own = tailProbability(bursty, 0, 8, true);
    const prior = tailProbability(bursty, 0, 8, false);
    expect(own).toBeGreaterThan(prior / 1.2);
    expect(own).toBeGreaterThan(1e-4);
  });

  it('learns little from observations given a small weight', () => {
    const random = new SeededRandom(2);
    const full = fresh();
    const damped = fresh();
    for (let i = 0; i < 5000; i++) {
      updateCalibrator(full, 0, random.normal(), i, 1);
      updateCalibrator(damped, 0, random.normal(), i, 1);
    }
    for (let i = 0; i < 30; i++) {
      updateCalibrator(full, 0, 20, 5000 + i, 1);
      updateCalibrator(damped, 0, 20, 5000 + i, 0.05);
    }
    expect(tailProbability(damped, 0, 20)).toBeLessThan(tailProbability(full, 0, 20) / 10);
  });

  it.each([1e-3, 1e-5, 1e-8])('inverts its probability at p = %f', (p) => {
    const state = fresh();
    const x = tailQuantile(state, 0, p);
    expect(tailProbability(state, 0, x)).toBeCloseTo(p, 10);
  });
});
