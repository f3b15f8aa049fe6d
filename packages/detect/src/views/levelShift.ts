import { tailProbability } from '../tailCalibrator';
import type { ViewResult } from '../scoreCombiner';

/**
 * Level-shift view: has the series moved away from its slow baseline and stayed?
 * The statistic is the median of the last three de-seasonalised values minus the
 * slow level, so a single spike cannot fire it but two shifted buckets in three can.
 * It is standardised by its own robust scale (series that wander get a wide one) and
 * calibrated like the spike view.
 */
export function levelShiftView(
  state: Float32Array,
  upSlots: number,
  downSlots: number,
  shift: number,
  sigma: number,
  confidence: number,
): ViewResult {
  const z = shift / sigma;
  const p = z >= 0 ? tailProbability(state, upSlots, z) : tailProbability(state, downSlots, -z);
  return { view: 'levelShift', p, z, confidence };
}
