/** Percentile by nearest rank of already-collected samples (`p` in 0..100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface Summary {
  runs: number;
  p50: number;
  p90: number;
  min: number;
  max: number;
}

/** p50, p90, min and max in whole milliseconds. */
export function summarize(samples: readonly number[]): Summary {
  const round = (n: number) => Math.round(n);
  return {
    runs: samples.length,
    p50: round(percentile(samples, 50)),
    p90: round(percentile(samples, 90)),
    min: round(Math.min(...samples)),
    max: round(Math.max(...samples)),
  };
}
