/**
 * Daily and weekly rhythm of a series, learned robustly and incrementally.
 *
 * The daily profile has 24 hour bins and the weekly profile 7 day bins (Monday first,
 * UTC). Values are interpolated linearly between bin centres, so the expected value
 * moves smoothly through the day instead of jumping on the hour. Both profiles are
 * offsets in model units (after the transform) and are kept at mean zero: whatever
 * they learn in common belongs to the level, not to the rhythm.
 *
 * A profile is used only when the step allows it (several buckets per bin period:
 * daily for steps up to 2 hours, weekly for steps up to one day) and the timestamps are
 * calendar time. Learning is a running mean over the first period and an exponential
 * average afterwards (about a week of days for the daily bins, four weeks for the
 * weekly ones), fed with Huber-clamped residuals so one spike cannot bend the rhythm.
 */
export const DAILY_BINS = 24;
export const WEEKLY_BINS = 7;
const HOUR = 3600;
const DAY = 86_400;
const WEEK = 7 * DAY;
/** 1970-01-01 was a Thursday; shifting by three days puts Monday at 0. */
const MONDAY_SHIFT = 3 * DAY;

/** Which profiles a series uses, from its step and whether timestamps are calendar time. */
export function seasonalLayout(step: number, calendar: boolean): { daily: boolean; weekly: boolean } {
  return { daily: calendar && step <= 2 * HOUR, weekly: calendar && step <= DAY };
}

/** Interpolation between two bins: indexes and the weight of the second. */
interface BinPair {
  lo: number;
  hi: number;
  w: number;
}

const daily: BinPair = { lo: 0, hi: 0, w: 0 };
const weekly: BinPair = { lo: 0, hi: 0, w: 0 };

function locate(target: BinPair, position: number, bins: number): void {
  const x = position - 0.5;
  const base = Math.floor(x);
  target.w = x - base;
  target.lo = ((base % bins) + bins) % bins;
  target.hi = (target.lo + 1) % bins;
}

function place(center: number): void {
  locate(daily, (((center % DAY) + DAY) % DAY) / HOUR, DAILY_BINS);
  locate(weekly, ((((center + MONDAY_SHIFT) % WEEK) + WEEK) % WEEK) / DAY, WEEKLY_BINS);
}

/** Offsets of the profiles inside the model's float array. */
export interface SeasonalSlots {
  daily: number;
  weekly: number;
}

/** Expected seasonal offset for the bucket centred at `center` (epoch seconds). */
export function seasonalValue(state: Float32Array, slots: SeasonalSlots, useDaily: boolean, useWeekly: boolean, center: number): number {
  if (!useDaily && !useWeekly) return 0;
  place(center);
  let value = 0;
  if (useDaily) {
    value += (1 - daily.w) * (state[slots.daily + daily.lo] as number) + daily.w * (state[slots.daily + daily.hi] as number);
  }
  if (useWeekly) {
    value += (1 - weekly.w) * (state[slots.weekly + weekly.lo] as number) + weekly.w * (state[slots.weekly + weekly.hi] as number);
  }
  return value;
}

function learn(state: Float32Array, offset: number, bins: number, pair: BinPair, amount: number): number {
  state[offset + pair.lo] = (state[offset + pair.lo] as number) + (1 - pair.w) * amount;
  state[offset + pair.hi] = (state[offset + pair.hi] as number) + pair.w * amount;
  let sum = 0;
  for (let i = 0; i < bins; i++) sum += state[offset + i] as number;
  const mean = sum / bins;
  for (let i = 0; i < bins; i++) state[offset + i] = (state[offset + i] as number) - mean;
  return mean;
}

/**
 * Moves the profiles toward the clamped residual `psi` of the slow forecast.
 * Returns the amount removed to keep the profiles at mean zero; the caller adds it to
 * its levels so that the forecast is unchanged by the re-centring.
 */
export function updateSeasonal(
  state: Float32Array,
  slots: SeasonalSlots,
  useDaily: boolean,
  useWeekly: boolean,
  center: number,
  psi: number,
  step: number,
  age: number,
): number {
  if (!useDaily && !useWeekly) return 0;
  place(center);
  let moved = 0;
  if (useDaily) {
    const perBin = Math.max(1, HOUR / step);
    const days = Math.floor(age / DAY);
    const rate = Math.max(1 / (perBin * (days + 1)), 1 / (perBin * 7));
    moved += learn(state, slots.daily, DAILY_BINS, daily, rate * psi);
  }
  if (useWeekly) {
    const perBin = Math.max(1, DAY / step);
    const weeks = Math.floor(age / WEEK);
    const rate = Math.max(1 / (perBin * (weeks + 1)), 1 / (perBin * 4));
    moved += learn(state, slots.weekly, WEEKLY_BINS, weekly, rate * psi);
  }
  return moved;
}
