import { chiSquareToZ } from '../normalTail';
import { tailProbability } from '../tailCalibrator';
import type { ViewResult } from '../scoreCombiner';

/**
 * Distribution-shift view for histogram series: does this bucket's mix of categories
 * (connection states, services, duration classes) differ from the learned mix?
 *
 * The statistic is the likelihood-ratio G-test of the observed counts against the
 * expected shares, divided by the series' learned over-dispersion (real mixes wobble
 * more than a multinomial), mapped to a normal deviate (Wilson–Hilferty) and read
 * from the series' calibrated tail. It also names the category that contributed most.
 */
export function distributionShiftView(
  state: Float32Array,
  calibratorSlots: number,
  observed: ArrayLike<number>,
  expectedShares: ArrayLike<number>,
  names: readonly string[],
  dispersion: number,
  confidence: number,
): ViewResult {
  let total = 0;
  for (let i = 0; i < observed.length; i++) total += observed[i] as number;
  let g = 0;
  let df = -1;
  let topContribution = -Infinity;
  let topIndex = -1;
  for (let i = 0; i < observed.length; i++) {
    const share = expectedShares[i] as number;
    const o = observed[i] as number;
    if (share <= 0 && o <= 0) continue;
    df += 1;
    if (o <= 0) continue;
    const e = total * share;
    const term = o * Math.log(o / e);
    g += term;
    if (term > topContribution) {
      topContribution = term;
      topIndex = i;
    }
  }
  g = Math.max(0, 2 * g);
  const z = chiSquareToZ(g / dispersion, Math.max(1, df));
  const p = tailProbability(state, calibratorSlots, z);
  const result: ViewResult = { view: 'distribution', p, z, confidence };
  if (topIndex >= 0 && total > 0) {
    result.category = names[topIndex] ?? 'other';
    result.expectedShare = expectedShares[topIndex] as number;
    result.observedShare = (observed[topIndex] as number) / total;
  }
  return result;
}
