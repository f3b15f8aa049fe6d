import { tailProbability } from '../tailCalibrator';
import type { ViewResult } from '../scoreCombiner';

/**
 * Sustained-shift view: has the series been off its slow baseline for a while, even
 * if no single bucket is remarkable? The statistic is an exponentially weighted mean
 * (λ = 0.1, about the last ten buckets) of the Huber-clamped residuals from the slow
 * baseline, so evidence accumulates: a host that goes quiet at a low rate, or a steady
 * low-and-slow transfer, is found in tens of buckets although each bucket alone looks
 * ordinary. Standardised by its own robust scale and calibrated like the other views.
 */
export function sustainedShiftView(
  state: Float32Array,
  upSlots: number,
  downSlots: number,
  drift: number,
  sigma: number,
  confidence: number,
): ViewResult {
  const z = drift / sigma;
  const p = z >= 0 ? tailProbability(state, upSlots, z) : tailProbability(state, downSlots, -z);
  return { view: 'sustainedShift', p, z, confidence };
}
