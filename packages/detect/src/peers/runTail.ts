/**
 * Lower edges of the run-length bins: a run of length L is in the last bin whose
 * edge is ≤ L. Fine for short runs, where the evidence builds, coarse for long ones.
 */
export const RUN_EDGES: readonly number[] = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024];

/** Bin of a run length (≥ 1). */
export function runBin(length: number): number {
  let bin = 0;
  while (bin + 1 < RUN_EDGES.length && (RUN_EDGES[bin + 1] as number) <= length) bin++;
  return bin;
}

/**
 * How often runs of new peers reach each length for one host: a decayed count per
 * bin of the runs that reached its edge, against the decayed number of buckets seen.
 *
 * The chance that some run reaches length L in a bucket is estimated as a rate of
 * new runs times the chain of continuation ratios between bins, each shrunk toward
 * one half by half a run: λ · Π (c[j] + ½) / (c[j−1] + 1). Where the host has many
 * runs, that is its own frequency (c[L] / buckets); where a bin has no run yet but the
 * bin below has many, the ratio is small (a well-supported "never"); where neither has
 * data it halves per bin (no claim the data cannot back).
 */
export class RunTail {
  readonly counts: Float32Array;

  constructor(counts: Float32Array) {
    this.counts = counts;
  }

  static create(): RunTail {
    return new RunTail(new Float32Array(RUN_EDGES.length));
  }

  decay(factor: number): void {
    const c = this.counts;
    for (let i = 0; i < c.length; i++) c[i] = (c[i] as number) * factor;
  }

  /** A run went from length `from` (0 for a new run) to `to`: counts every bin edge it passed. */
  reach(from: number, to: number): void {
    for (let bin = 0; bin < RUN_EDGES.length; bin++) {
      const edge = RUN_EDGES[bin] as number;
      if (edge > to) break;
      if (edge > from) this.counts[bin] = (this.counts[bin] as number) + 1;
    }
  }

  /**
   * Chance per bucket that a run reaches `length`, given `buckets` (decayed) seen. With
   * a `population` (the same counts pooled over every host), each continuation ratio is
   * shrunk toward the population's instead of toward one half, with the weight of
   * `weight` runs: (c[j] + w·π[j]) / (c[j−1] + w). A host with few runs of its own then
   * borrows how long new peers' runs usually go on in the whole network.
   */
  p(length: number, buckets: number, population?: RunTail, weight = 1): number {
    const c = this.counts;
    const pooled = population?.counts;
    let p = ((c[0] as number) + 0.5) / (buckets + 1);
    const last = runBin(length);
    for (let j = 1; j <= last; j++) {
      const prior = pooled === undefined ? 0.5 : ((pooled[j] as number) + 0.5) / ((pooled[j - 1] as number) + 1);
      p *= ((c[j] as number) + weight * prior) / ((c[j - 1] as number) + weight);
    }
    return Math.min(1, p);
  }

  /** The longest run length whose chance per bucket is still at least `p` (what this host usually reaches). */
  usualLength(buckets: number, p: number, population?: RunTail, weight = 1): number {
    let usual = 0;
    for (const edge of RUN_EDGES) {
      if (this.p(edge, buckets, population, weight) < p) break;
      usual = edge;
    }
    return usual;
  }
}
