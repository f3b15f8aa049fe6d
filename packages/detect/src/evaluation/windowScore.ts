/**
 * A window-based score in the manner of the Numenta Anomaly Benchmark (NAB): each
 * labelled anomaly has a window; the first detection inside it earns a reward that is
 * larger the earlier it comes (a scaled sigmoid of its position: about 0.99 at the
 * window's first bucket, 0 at its end); a window without a detection costs `fn`; every
 * detection outside all windows costs `fp`. Later detections in a window that was
 * already hit are neither rewarded nor penalised.
 *
 * Simplification against NAB: a false positive always costs the full `fp` (NAB lowers
 * the cost of one that comes soon after a window). Detections inside `ignored` ranges
 * (the model's probation, a few buckets before an anomaly) are not counted.
 */
export interface WindowProfile {
  tp: number;
  fp: number;
  fn: number;
}

/** NAB's standard application profile. */
export const NAB_STANDARD: WindowProfile = { tp: 1, fp: 0.11, fn: 1 };

/** Buckets [start, end) by index. */
export interface Window {
  start: number;
  end: number;
}

export interface WindowTally {
  /** Sum of rewards and penalties. */
  raw: number;
  windows: number;
  hits: number;
  falsePositives: number;
}

export function emptyTally(): WindowTally {
  return { raw: 0, windows: 0, hits: 0, falsePositives: 0 };
}

/** NAB's scaled sigmoid: 2 / (1 + e^(5y)) − 1, with y = −1 at a window's start and 0 at its end. */
export function scaledSigmoid(y: number): number {
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

/**
 * Adds one series to `into`: `detections` are bucket indexes in increasing order,
 * `windows` the labelled windows (not overlapping), `ignored` ranges where detections
 * are not counted either way.
 */
export function tallyWindows(detections: readonly number[], windows: readonly Window[], ignored: readonly Window[], into: WindowTally, profile: WindowProfile = NAB_STANDARD): void {
  const hit = new Set<Window>();
  for (const d of detections) {
    const w = windows.find((x) => d >= x.start && d < x.end);
    if (w !== undefined) {
      if (hit.has(w)) continue;
      hit.add(w);
      into.raw += profile.tp * scaledSigmoid((d - w.end) / (w.end - w.start));
      into.hits++;
      continue;
    }
    if (ignored.some((x) => d >= x.start && d < x.end)) continue;
    into.raw -= profile.fp;
    into.falsePositives++;
  }
  into.windows += windows.length;
  into.raw -= profile.fn * (windows.length - hit.size);
}

/**
 * 100 × (raw − null) / (perfect − null): 0 for a detector that never detects, 100 for
 * one that detects every window at its first bucket and nothing else (NAB's
 * normalisation); negative when false positives cost more than the hits earn.
 */
export function normalisedWindowScore(t: WindowTally, profile: WindowProfile = NAB_STANDARD): number {
  if (t.windows === 0) return 0;
  const nothing = -profile.fn * t.windows;
  const perfect = profile.tp * scaledSigmoid(-1) * t.windows;
  return (100 * (t.raw - nothing)) / (perfect - nothing);
}
