import { tailProbability } from '../tailCalibrator';
import type { ViewResult } from '../scoreCombiner';

/**
 * Spike view: how surprising is this one bucket against the one-step forecast?
 * The residual is standardised by the forecaster's robust scale and its tail
 * probability read from the series' own calibrated tail (up and down separately: a
 * burst and a sudden drop are different events with different histories). Upward,
 * the tail beyond 4 σ takes its prior shape from the series' own decay, so a long,
 * well-behaved series scores a far burst by its own light tail; downward keeps the
 * heavy prior (giving drops the own shape too added false alerts on simulated
 * traffic: docs/BENCHMARKS.md, Detection, session 5, DETECT-2).
 */
export function spikeView(
  state: Float32Array,
  upSlots: number,
  downSlots: number,
  residual: number,
  sigma: number,
  confidence: number,
): ViewResult {
  const z = residual / sigma;
  const p = z >= 0 ? tailProbability(state, upSlots, z, true) : tailProbability(state, downSlots, -z);
  return { view: 'spike', p, z, confidence };
}
