/** p50/p95/p99 (nearest rank) of durations in milliseconds, rounded to 0.01 ms. */
export function percentiles(samples: readonly number[]): { n: number; p50: number; p95: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => {
    const v = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
    return Math.round(v * 100) / 100;
  };
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99) };
}
