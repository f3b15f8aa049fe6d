import type { ViewResult } from '../scoreCombiner';

/**
 * Empty view: the series is at zero where its forecast expects activity.
 *
 * A count of connections, bytes or peers that drops to zero is not just a large
 * downward deviation: for a host that expects dozens of connections a minute an empty
 * minute is far rarer than any log-scale spread learned from its busy minutes says.
 * The model learns, per band of its own forecast (a quiet hour's forecast falls in a low
 * band, a busy hour's in a high one), how often an active bucket is followed by an
 * empty one and how often an empty one by another. A run of empty buckets then has
 * probability start × continue × continue…, each factor read at that bucket's forecast,
 * so a host that goes silent in a busy hour piles up evidence bucket by bucket while a
 * night's idle minutes, empty as usual, gather none.
 *
 * `logP` is the natural log of that run probability; `z` is minus the run length.
 */
export function emptyView(logP: number, run: number, confidence: number): ViewResult {
  return { view: 'empty', p: Math.min(1, Math.exp(logP)), z: -run, confidence };
}
