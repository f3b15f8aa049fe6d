/**
 * Per-series calibration of a standardised statistic's upper tail.
 *
 * Robust scales make the body of a statistic roughly standard normal, but real
 * series have heavier tails than that, and how much heavier differs per series (a
 * bursty workstation versus a steady server). The tail is modelled piecewise from
 * the series' own history:
 * - below u₁ = 2 the probability falls log-linearly from ½ at 0 to the observed rate
 *   of exceeding u₁;
 * - between u₁ and u₂ = 4 it falls log-linearly (an exponential tail) to the observed
 *   rate of exceeding u₂ — so a host whose big bursts are routine says so directly,
 *   instead of having its rare bursts extrapolated from its everyday wobble;
 * - beyond u₂ the tail is exponential with the series' own mean excess over u₂ (a
 *   peaks-over-threshold model with shape 0).
 *
 * Everything is learned online with priors heavier than normal, so a young series is
 * scored conservatively (for the spike view's upward tail, the prior shape beyond u₂
 * is the series' own decay from u₁ to u₂ once its rates are learned); excesses are
 * winsorised so one huge value moves the mean
 * excess by a bounded amount; and no rate is trusted below a floor (rare, small,
 * quantised excursions would otherwise extrapolate to absurd improbabilities).
 *
 * State: four float32 slots at `offset`: rate over u₁, rate over u₂, mean excess over
 * u₂, number of exceedances of u₂ seen.
 */
export const CALIBRATOR_SLOTS = 4;

/** First exceedance threshold in standard units. */
export const TAIL_U = 2;
const TAIL_U2 = 4;
const LOG_HALF = Math.log(0.5);
const MIN_RATE = 1e-3;
const MIN_RATE2 = 1e-4;
const MIN_EXCESS = 0.4;
const PRIOR_RATE = 0.03;
const PRIOR_RATE2 = 2e-3;
const PRIOR_EXCESS = 0.8;
const PRIOR_COUNT = 100;
const PRIOR_EXCESS_COUNT = 5;
const MAX_WINDOW = 5000;
const MAX_WINDOW2 = 10_000;
const MAX_EXCESS_WINDOW = 100;
const EXCESS_CAP = 5;
const EXCESS_CAP_MIN = 10;

export function initCalibrator(state: Float32Array, offset: number): void {
  state[offset] = PRIOR_RATE;
  state[offset + 1] = PRIOR_RATE2;
  state[offset + 2] = PRIOR_EXCESS;
  state[offset + 3] = 0;
}

function rates(state: Float32Array, offset: number): [number, number] {
  const r1 = Math.max(MIN_RATE, state[offset] as number);
  const r2 = Math.min(r1, Math.max(MIN_RATE2, state[offset + 1] as number));
  return [r1, r2];
}

/**
 * Scale of the exponential tail beyond u₂: the learned mean excess, which starts from
 * a heavy prior (0.8) and moves with every exceedance of u₂. With `ownShape`, the prior
 * is replaced by the decay the series itself shows between u₁ and u₂
 * ((u₂ − u₁) / ln(r₁ / r₂), kept within [0.4, 0.8]) with the weight of one exceedance:
 * a long history that never went past u₂ is scored by its own light tail, and every
 * exceedance it does show pulls the scale back toward what the excesses say.
 */
function excessScale(state: Float32Array, offset: number, r1: number, r2: number, ownShape: boolean): number {
  const learned = state[offset + 2] as number;
  if (!ownShape || !(r1 > r2)) return Math.max(MIN_EXCESS, learned);
  const own = Math.min(PRIOR_EXCESS, Math.max(MIN_EXCESS, (TAIL_U2 - TAIL_U) / Math.log(r1 / r2)));
  const count = state[offset + 3] as number;
  return Math.max(MIN_EXCESS, learned + (own - PRIOR_EXCESS) / (1 + count));
}

/**
 * P(statistic ≥ x) under the learned tail; non-increasing in x, in (0, 1]. `ownShape`
 * takes the prior shape beyond u₂ from the series' own decay ({@link excessScale});
 * the spike view's upward tail uses it.
 */
export function tailProbability(state: Float32Array, offset: number, x: number, ownShape = false): number {
  const [r1, r2] = rates(state, offset);
  if (x <= TAIL_U) return Math.min(1, Math.exp(LOG_HALF + (x / TAIL_U) * (Math.log(r1) - LOG_HALF)));
  if (x <= TAIL_U2) return Math.exp(Math.log(r1) + ((x - TAIL_U) / (TAIL_U2 - TAIL_U)) * (Math.log(r2) - Math.log(r1)));
  const beta = excessScale(state, offset, r1, r2, ownShape);
  return r2 * Math.exp(-(x - TAIL_U2) / beta);
}

/** The x at which the tail probability falls to p (inverse of {@link tailProbability} above u₁, same `ownShape`). */
export function tailQuantile(state: Float32Array, offset: number, p: number, ownShape = false): number {
  const [r1, r2] = rates(state, offset);
  if (p >= r1) return TAIL_U;
  if (p >= r2) return TAIL_U + ((TAIL_U2 - TAIL_U) * Math.log(r1 / p)) / Math.log(r1 / r2);
  const beta = excessScale(state, offset, r1, r2, ownShape);
  return TAIL_U2 + beta * Math.log(r2 / p);
}

/**
 * Learns from one observation of the statistic (x may be negative: it counts as a
 * non-exceedance). `observations` is how many the series has had; `weight` < 1 slows
 * learning.
 */
export function updateCalibrator(state: Float32Array, offset: number, x: number, observations: number, weight: number): void {
  const step1 = weight * Math.max(1 / (PRIOR_COUNT + observations), 1 / MAX_WINDOW);
  const step2 = weight * Math.max(1 / (PRIOR_COUNT + observations), 1 / MAX_WINDOW2);
  const r1 = state[offset] as number;
  const r2 = state[offset + 1] as number;
  state[offset] = r1 + step1 * ((x > TAIL_U ? 1 : 0) - r1);
  state[offset + 1] = r2 + step2 * ((x > TAIL_U2 ? 1 : 0) - r2);
  if (!(x > TAIL_U2)) return;
  const count = Math.min((state[offset + 3] as number) + 1, 1e6);
  state[offset + 3] = count;
  const beta = state[offset + 2] as number;
  const excess = Math.min(x - TAIL_U2, Math.max(EXCESS_CAP * beta, EXCESS_CAP_MIN));
  const excessStep = weight * Math.max(1 / (PRIOR_EXCESS_COUNT + count), 1 / MAX_EXCESS_WINDOW);
  state[offset + 2] = Math.max(0.05, beta + excessStep * (excess - beta));
}
