import { ipFromKey, ipKey } from '../canonicalIp';
import type { ResolvedConfig, ResolvedInterval, ResolvedMetric } from '../options';

/**
 * A deliberately naive in-memory model of the store, for property tests: it keeps every sample
 * and computes each answer from scratch with the documented semantics, sharing no logic with the
 * store except address parsing. Retention: newest = the largest whole-second timestamp written; a
 * bucket of interval I is visible iff its start >= (floor(newest/step) - steps + 1) * step.
 * hll answers are exact distinct counts (the store's are estimates).
 */
export class ReferenceStore {
  private samples: { metric: string; ek: string; ts: number; value: number | string }[] = [];
  private newestTs: number | null = null;

  constructor(private readonly config: ResolvedConfig) {}

  /** A histogram sample of weight w counts as w samples of weight 1 (none for 0). */
  insert(samples: readonly { metric: string; entity: string; ts: number; value: number | string; weight?: number }[]): void {
    for (const s of samples) {
      const value = typeof s.value === 'number' && (this.metric(s.metric).type === 'set' || this.metric(s.metric).type === 'hll') ? String(s.value) : s.value;
      const copies = s.weight ?? 1;
      for (let c = 0; c < copies; c++) this.samples.push({ metric: s.metric, ek: ipKey(s.entity), ts: s.ts, value });
      if (copies > 0) this.newestTs = Math.max(this.newestTs ?? -Infinity, Math.floor(s.ts));
    }
  }

  delete(entity: string, metric?: string): void {
    const ek = ipKey(entity);
    this.samples = this.samples.filter((s) => !(s.ek === ek && (metric === undefined || s.metric === metric)));
  }

  newest(): number | null {
    return this.newestTs;
  }

  private metric(name: string): ResolvedMetric {
    const m = this.config.metrics.get(name);
    if (!m) throw new Error(`reference: unknown metric ${name}`);
    return m;
  }

  private interval(m: ResolvedMetric, name: string): ResolvedInterval {
    const i = m.intervals.find((x) => x.name === name);
    if (!i) throw new Error(`reference: unknown interval ${name}`);
    return i;
  }

  private cutoff(i: ResolvedInterval): number {
    if (this.newestTs === null) return Infinity;
    return (Math.floor(this.newestTs / i.step) - i.steps + 1) * i.step;
  }

  /** Visible samples of a series in an interval, keyed by bucket start, in write order. */
  private buckets(metric: string, ek: string, interval: string): Map<number, (number | string)[]> {
    const m = this.metric(metric);
    const i = this.interval(m, interval);
    const out = new Map<number, (number | string)[]>();
    for (const s of this.samples) {
      if (s.metric !== metric || s.ek !== ek) continue;
      const start = Math.floor(s.ts / i.resolution) * i.resolution;
      if (start < this.cutoff(i)) continue;
      const list = out.get(start) ?? [];
      list.push(s.value);
      out.set(start, list);
    }
    return out;
  }

  /** Raw value of a list of samples (all of one bucket, or several buckets in time order). */
  value(type: ResolvedMetric['type'], values: readonly (number | string)[]): unknown {
    switch (type) {
      case 'count':
        return values.reduce<number>((a, v) => a + (v as number), 0);
      case 'gauge':
        return values.length === 0 ? null : values[values.length - 1];
      case 'series':
        return [...values];
      case 'histogram': {
        const h: Record<string, number> = {};
        for (const v of values) h[String(v)] = (h[String(v)] ?? 0) + 1;
        return h;
      }
      case 'set':
        return [...new Set(values as string[])].sort();
      case 'hll':
        return new Set(values).size;
    }
  }

  transform(type: ResolvedMetric['type'], values: readonly (number | string)[], t: string, seconds: number): number | null {
    const nums = values as number[];
    if (type === 'count') return t === 'rate' ? (this.value('count', values) as number) / seconds : (this.value('count', values) as number);
    if (type === 'set' || type === 'hll') {
      const n = new Set(values).size;
      return t === 'rate' ? n / seconds : n;
    }
    // series and histogram: the same statistics over the individual values
    const sorted = [...nums].sort((a, b) => a - b);
    let sum = 0;
    if (type === 'histogram') for (const v of sorted) sum += v;
    else for (const v of nums) sum += v;
    switch (t) {
      case 'count':
        return nums.length;
      case 'rate':
        return nums.length / seconds;
      case 'sum':
        return sum;
      case 'mean':
        return nums.length === 0 ? null : sum / nums.length;
      case 'min':
        return sorted[0] ?? null;
      case 'max':
        return sorted[sorted.length - 1] ?? null;
      default: {
        const p = Number(t.slice(1));
        if (nums.length === 0) return null;
        return sorted[Math.max(1, Math.ceil((p / 100) * nums.length)) - 1] ?? null;
      }
    }
  }

  /**
   * Points of a series query: buckets from the one holding `from` to the one holding `to`
   * (or the last N steps ending with the step holding `to`, default newest), grouped by
   * `condenseSeconds` (aligned to multiples of it) or collapsed, then transformed.
   */
  series(q: {
    metric: string;
    entity: string;
    interval: string;
    from?: number;
    to?: number;
    last?: number;
    transform?: string;
    condenseSeconds?: number;
    collapse?: boolean;
  }): { ts: number; value: unknown }[] {
    const m = this.metric(q.metric);
    const i = this.interval(m, q.interval);
    const to = q.to ?? this.newestTs;
    if (to === null) return [];
    let first: number;
    let last: number;
    if (q.last !== undefined) {
      const endStep = Math.floor(to / i.step) * i.step;
      first = endStep - (q.last - 1) * i.step;
      last = endStep + i.step - i.resolution;
    } else {
      const from = q.from ?? Math.min(this.cutoff(i), to);
      first = Math.floor(from / i.resolution) * i.resolution;
      last = Math.floor(to / i.resolution) * i.resolution;
    }
    const data = this.buckets(q.metric, ipKey(q.entity), q.interval);
    const width = q.collapse ? 0 : (q.condenseSeconds ?? i.resolution);
    const groups: { ts: number; starts: number[] }[] = [];
    for (let b = first; b <= last; b += i.resolution) {
      const ts = width === 0 ? first : Math.floor(b / width) * width;
      const g = groups[groups.length - 1];
      if (g && g.ts === ts) g.starts.push(b);
      else groups.push({ ts, starts: [b] });
    }
    return groups.map((g) => {
      const values = g.starts.flatMap((b) => data.get(b) ?? []);
      const seconds = g.starts.length * i.resolution;
      return { ts: g.ts, value: q.transform ? this.transform(m.type, values, q.transform, seconds) : this.value(m.type, values) };
    });
  }

  /** Entities by total of an additive metric over buckets [from..to] (inclusive by bucket), value > 0. */
  top(q: { metric: string; interval: string; from: number; to: number; limit: number; offset: number }): { entity: string; value: number }[] {
    const m = this.metric(q.metric);
    const i = this.interval(m, q.interval);
    const first = Math.floor(q.from / i.resolution) * i.resolution;
    const last = Math.floor(q.to / i.resolution) * i.resolution;
    const totals = new Map<string, number>();
    for (const s of this.samples) {
      if (s.metric !== q.metric) continue;
      const start = Math.floor(s.ts / i.resolution) * i.resolution;
      if (start < first || start > last || start < this.cutoff(i)) continue;
      totals.set(s.ek, (totals.get(s.ek) ?? 0) + (m.type === 'count' ? (s.value as number) : 1));
    }
    return [...totals]
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(q.offset, q.offset + q.limit)
      .map(([ek, value]) => ({ entity: ipFromKey(ek), value }));
  }

  private lastSeen(metric: string): Map<string, number> {
    const out = new Map<string, number>();
    const m = this.metric(metric);
    const cutoff = Math.min(...m.intervals.map((i) => this.cutoff(i)));
    // last seen, to the greatest common divisor of the metric's bucket widths
    const unit = m.intervals.map((i) => i.resolution).reduce((a, b) => {
      let x = a;
      let y = b;
      while (y !== 0) [x, y] = [y, x % y];
      return x;
    });
    for (const s of this.samples) {
      if (s.metric !== metric) continue;
      const t = Math.floor(s.ts / unit) * unit;
      if (t > (out.get(s.ek) ?? -Infinity)) out.set(s.ek, t);
    }
    for (const [ek, t] of out) if (t < cutoff) out.delete(ek);
    return out;
  }

  /** Visible entities, most recent first: by last seen (one metric) or by expiry (all metrics). */
  entities(metric?: string): string[] {
    let ranked: [string, number][];
    if (metric !== undefined) {
      ranked = [...this.lastSeen(metric)];
    } else {
      const expiry = new Map<string, number>();
      for (const m of this.config.metrics.values()) {
        for (const [ek, t] of this.lastSeen(m.name)) {
          for (const i of m.intervals) {
            const e = (Math.floor(t / i.step) + i.steps) * i.step;
            if (e > (this.newestTs ?? Infinity) && e > (expiry.get(ek) ?? -Infinity)) expiry.set(ek, e);
          }
        }
      }
      ranked = [...expiry];
    }
    return ranked.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([ek]) => ipFromKey(ek));
  }

  properties(metric: string, entity: string): Record<string, { first: number; last: number } | null> {
    const m = this.metric(metric);
    const out: Record<string, { first: number; last: number } | null> = {};
    for (const i of m.intervals) {
      const starts = [...this.buckets(metric, ipKey(entity), i.name).keys()];
      out[i.name] = starts.length === 0 ? null : { first: Math.min(...starts), last: Math.max(...starts) };
    }
    return out;
  }
}
