/** Measuring helpers of the detection throughput benchmarks (throughput.ts, peerThroughput.ts). */

/** CPU seconds (user + system) this process has used so far. */
export function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** A Redis server's `used_memory`, from its `INFO memory` text. */
export function usedMemory(info: string): number {
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/** The upper median of `values` (not empty). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** `x` to three decimals. */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
