import type { ViewResult } from '../scoreCombiner';

/**
 * Stuck view: the series repeats exactly the value it had in the previous bucket, run
 * after run. A sensor that freezes, a counter that stops moving, or a busy host whose
 * bytes fall to zero and stay there all look like this, and none of them is a large
 * deviation from the forecast in the first buckets.
 *
 * The series' own history says how ordinary a repeat is: `startRate` is the learned
 * probability that a bucket repeats its predecessor when the one before did not, and
 * `continueRate` the probability that a run of repeats goes on. A run of `run` repeats
 * then has probability startRate × continueRate^(run − 1). Counts that often sit at one
 * value (idle minutes, a saturated number of ports) learn rates near 1 and are never
 * news; a continuous measurement that never repeats learns a start rate near 0.
 * `z` is minus the run length (a stuck series is a collapse of its variation).
 */
export function stuckView(run: number, startRate: number, continueRate: number, confidence: number): ViewResult {
  const p = run <= 0 ? 1 : startRate * Math.pow(continueRate, run - 1);
  return { view: 'stuck', p, z: -run, confidence };
}
