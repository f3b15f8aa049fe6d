/** Exponential backoff with full jitter: 100 ms, 200 ms, … capped at `maxMs`. */
export function backoffMs(attempt: number, maxMs = 5000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, 100 * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
