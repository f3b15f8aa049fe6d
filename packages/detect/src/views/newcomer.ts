import { tailProbability } from '../tailCalibrator';
import type { ViewResult } from '../scoreCombiner';

/**
 * Newcomer view: a series with no history of its own is compared with what new
 * series of the same metric usually look like in their first buckets. A new IP that
 * arrives scanning thousands of ports is in the far upper tail of that population.
 * Only the upper tail counts: a quiet newcomer is not news.
 */
export function newcomerView(state: Float32Array, upSlots: number, deviation: number, sigma: number, confidence: number): ViewResult {
  const z = deviation / sigma;
  return { view: 'newcomer', p: tailProbability(state, upSlots, Math.max(0, z)), z, confidence };
}
