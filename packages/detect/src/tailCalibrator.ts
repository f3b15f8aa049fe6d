import { normalSurvival } from './normalTail';

/**
 * Per-series calibration of a standardised statistic's upper tail.
 *
 * Robust scales make the body of a statistic roughly standard normal, but real
 * series have heavier tails than that, and how much heavier differs per series
 * (a bursty workstation versus a steady server). Below the threshold `u` the normal
 * shape is used, scaled to the observed exceedance rate; above it the tail is
 * exponential with the series' own mean excess `β` (a peaks-over-threshold model
 * with shape 0). Both are learned online with priors that are heavier than normal,
 * so a young series is scored conservatively, and excesses are winsorised so that a
 * single huge value raises `β` by a bounded amount.
 *
 * State: three float32 slots at `offset` in the model's array: exceedance rate,
 * mean excess, number of exceedances seen.
 */
export const CALIBRATOR_SLOTS = 3;

/** Exceedance threshold in standard units. */
export const TAIL_U = 2;
const NORMAL_AT_U = normalSurvival(TAIL_U);
/** Prior exceedance rate: a little heavier than normal (0.0228). */
const PRIOR_RATE = 0.03;
/** Prior mean excess over u: normal's is ≈ 0.37; 0.6 is deliberately heavy-tailed. */
const PRIOR_EXCESS = 0.6;
const PRIOR_COUNT = 100;
const PRIOR_EXCESS_COUNT = 8;
const MAX_WINDOW = 5000;
const MAX_EXCESS_WINDOW = 200;
const EXCESS_CAP = 5;

export function initCalibrator(state: Float32Array, offset: number): void {
  state[offset] = PRIOR_RATE;
  state[offset + 1] = PRIOR_EXCESS;
  state[offset + 2] = 0;
}

/** P(statistic ≥ x) under the learned tail; non-increasing in x, in (0, 1]. */
export function tailProbability(state: Float32Array, offset: number, x: number): number {
  const rate = state[offset] as number;
  if (x <= TAIL_U) return Math.min(1, (normalSurvival(x) * rate) / NORMAL_AT_U);
  const beta = state[offset + 1] as number;
  return rate * Math.exp(-(x - TAIL_U) / beta);
}

/** The x at which the tail probability falls to p (inverse of {@link tailProbability} above u). */
export function tailQuantile(state: Float32Array, offset: number, p: number): number {
  const rate = state[offset] as number;
  const beta = state[offset + 1] as number;
  if (p >= rate) return TAIL_U;
  return TAIL_U + beta * Math.log(rate / p);
}

/**
 * Learns from one observation of the statistic (x may be negative: it counts as a
 * non-exceedance). `observations` is how many the series has had; `weight` < 1 slows
 * learning while the series is alerting, so an incident does not teach itself normal.
 */
export function updateCalibrator(state: Float32Array, offset: number, x: number, observations: number, weight: number): void {
  const rateStep = weight * Math.max(1 / (PRIOR_COUNT + observations), 1 / MAX_WINDOW);
  const rate = state[offset] as number;
  const exceeded = x > TAIL_U;
  state[offset] = rate + rateStep * ((exceeded ? 1 : 0) - rate);
  if (!exceeded) return;
  const count = (state[offset + 2] as number) + 1;
  state[offset + 2] = Math.min(count, 1e6);
  const beta = state[offset + 1] as number;
  const excess = Math.min(x - TAIL_U, EXCESS_CAP * beta);
  const excessStep = weight * Math.max(1 / (PRIOR_EXCESS_COUNT + count), 1 / MAX_EXCESS_WINDOW);
  state[offset + 1] = Math.max(0.05, beta + excessStep * (excess - beta));
}
