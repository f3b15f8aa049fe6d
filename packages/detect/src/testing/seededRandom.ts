/** A small seeded PRNG (mulberry32) with normal draws, for reproducible test series. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = Math.max(this.next(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Poisson draw (Knuth for small means, normal approximation above 50). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}

/** Start of a UTC day (a Monday) used by tests so calendar positions are predictable. */
export const MONDAY = Date.UTC(2024, 0, 1) / 1000;

/** A busy-ish count series at one-minute steps with a daily rhythm and log-normal noise. */
export function dailyCounts(random: SeededRandom, minutes: number, base = 40, start = MONDAY): { ts: number; value: number }[] {
  const out: { ts: number; value: number }[] = [];
  for (let i = 0; i < minutes; i++) {
    const ts = start + i * 60;
    const hour = (ts % 86_400) / 3600;
    const rhythm = 1 + 0.7 * Math.sin(((hour - 8) / 24) * 2 * Math.PI);
    out.push({ ts, value: random.poisson(base * rhythm * Math.exp(0.2 * random.normal())) });
  }
  return out;
}
