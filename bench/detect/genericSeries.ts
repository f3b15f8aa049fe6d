import { Random } from './random';

/** A labelled anomaly: buckets [start, end) by index. */
export interface Anomaly {
  kind: string;
  start: number;
  end: number;
}

/** One labelled series: regular step, timestamps calendar (epoch) or a plain index; NaN marks a missing bucket. */
export interface LabelledSeries {
  family: string;
  step: number;
  calendar: boolean;
  ts0: number;
  values: number[];
  anomalies: Anomaly[];
}

export const GENERIC_LENGTH = 4000;
/** Buckets at the start during which nothing is counted (the model is learning). */
export const PROBATION = 1000;
const T0 = Date.UTC(2023, 2, 6) / 1000;

type Maker = (r: Random) => LabelledSeries;

function anomalyStart(r: Random, length: number): number {
  return r.int(PROBATION + 200, length - 300);
}

function noiseOf(r: Random, kind: 'gauss' | 't3' | 'laplace'): number {
  return kind === 'gauss' ? r.normal() : kind === 't3' ? r.studentT(3) / Math.sqrt(3) : r.laplace();
}

/**
 * Differently shaped families, none of them the network simulator: level shifts in
 * white noise, spikes on random walks, daily and weekly rhythm at 5-minute and hourly
 * steps, trends that change slope, heavy-tailed (Student-t, Laplace) noise, Poisson
 * counts, variance changes, multiplicative noise, a rhythm of an odd period on
 * index timestamps (which the model cannot learn as rhythm); and (session 3) small
 * shifts of 1.5–3 σ, zero-inflated counts that become steadily active, counts with a
 * daily rhythm that drop out in a busy hour, a daily rhythm on a drifting level with a
 * drop, irregular gaps, and a sensor stuck at one value.
 */
export const FAMILIES: Record<string, Maker> = {
  levelShift: (r) => {
    const n = GENERIC_LENGTH;
    const mu = r.between(-100, 100);
    const sd = r.logNormal(5, 1);
    const at = anomalyStart(r, n);
    const jump = r.pick([-1, 1]) * r.between(3, 6) * sd;
    const kind = r.pick(['gauss', 't3', 'laplace'] as const);
    const values = Array.from({ length: n }, (_, i) => mu + (i >= at ? jump : 0) + sd * noiseOf(r, kind));
    return { family: 'levelShift', step: 60, calendar: false, ts0: 0, values, anomalies: [{ kind: 'levelShift', start: at, end: at + 20 }] };
  },
  randomWalkSpikes: (r) => {
    const n = GENERIC_LENGTH;
    let x = r.between(0, 1000);
    const stepSd = r.logNormal(1, 0.5);
    const anomalies: Anomaly[] = [];
    const spikes = new Map<number, number>();
    for (let k = 0; k < 3; k++) {
      const at = PROBATION + 200 + k * 900 + r.int(0, 600);
      spikes.set(at, r.pick([-1, 1]) * r.between(10, 25) * stepSd);
      anomalies.push({ kind: 'spike', start: at, end: at + 1 });
    }
    const values = Array.from({ length: n }, (_, i) => {
      x += stepSd * r.normal();
      return x + 0.5 * stepSd * r.normal() + (spikes.get(i) ?? 0);
    });
    return { family: 'randomWalkSpikes', step: 300, calendar: false, ts0: 0, values, anomalies };
  },
  dailyContext: (r) => {
    const n = GENERIC_LENGTH;
    const step = 300;
    const base = r.logNormal(500, 0.5);
    const amp = r.between(0.4, 0.8);
    const at = anomalyStart(r, n);
    // A night that behaves like a day: normal for the day, abnormal for the hour.
    const values = Array.from({ length: n }, (_, i) => {
      const hour = ((i * step) % 86_400) / 3600;
      const wave = 1 + amp * Math.sin(((hour - 8) / 24) * 2 * Math.PI);
      return base * wave * (1 + 0.05 * r.normal());
    });
    const nightAt = at - (at % 288) + 24;
    for (let i = nightAt; i < nightAt + 36 && i < n; i++) values[i] = base * (1 + amp) * (1 + 0.05 * r.normal());
    return { family: 'dailyContext', step, calendar: true, ts0: T0, values, anomalies: [{ kind: 'contextual', start: nightAt, end: nightAt + 36 }] };
  },
  weeklyHourly: (r) => {
    const n = GENERIC_LENGTH;
    const step = 3600;
    const base = r.logNormal(2000, 0.5);
    const at = anomalyStart(r, n);
    const weekdayAt = at - (at % 168) + 24 * r.int(0, 4) + 9;
    const values = Array.from({ length: n }, (_, i) => {
      const day = Math.floor(i / 24) % 7;
      const hour = i % 24;
      const busy = hour >= 8 && hour <= 18 ? 1 : 0.3;
      const weekend = day >= 5 ? 0.4 : 1;
      const outage = i >= weekdayAt && i < weekdayAt + 8 ? 0.35 : 1;
      return Math.round(base * busy * weekend * outage * Math.exp(0.1 * r.normal()));
    });
    return { family: 'weeklyHourly', step, calendar: true, ts0: T0, values, anomalies: [{ kind: 'drop', start: weekdayAt, end: weekdayAt + 8 }] };
  },
  trendChange: (r) => {
    const n = GENERIC_LENGTH;
    const slope = r.between(-0.05, 0.05);
    const sd = r.logNormal(1, 0.5);
    const at = anomalyStart(r, n);
    const newSlope = slope + r.pick([-1, 1]) * r.between(0.3, 0.6) * sd;
    let x = r.between(0, 100);
    const values = Array.from({ length: n }, (_, i) => {
      x += i >= at ? newSlope : slope;
      return x + sd * r.normal();
    });
    return { family: 'trendChange', step: 3600, calendar: true, ts0: T0, values, anomalies: [{ kind: 'trendChange', start: at, end: at + 30 }] };
  },
  heavyTailSpikes: (r) => {
    const n = GENERIC_LENGTH;
    const mu = r.between(10, 1000);
    const sd = mu * r.between(0.01, 0.1);
    const anomalies: Anomaly[] = [];
    const spikes = new Map<number, number>();
    for (let k = 0; k < 3; k++) {
      const at = PROBATION + 200 + k * 900 + r.int(0, 600);
      spikes.set(at, r.between(25, 50) * sd);
      anomalies.push({ kind: 'spike', start: at, end: at + 1 });
    }
    const values = Array.from({ length: n }, (_, i) => mu + sd * (r.studentT(3) / Math.sqrt(3)) + (spikes.get(i) ?? 0));
    return { family: 'heavyTailSpikes', step: 60, calendar: false, ts0: 0, values, anomalies };
  },
  poissonBursts: (r) => {
    const n = GENERIC_LENGTH;
    const lambda = r.between(1, 6);
    const at = anomalyStart(r, n);
    const len = r.int(5, 15);
    const values = Array.from({ length: n }, (_, i) => r.poisson(i >= at && i < at + len ? lambda * 6 + 10 : lambda));
    return { family: 'poissonBursts', step: 60, calendar: true, ts0: T0, values, anomalies: [{ kind: 'burst', start: at, end: at + len }] };
  },
  varianceChange: (r) => {
    const n = GENERIC_LENGTH;
    const mu = r.between(-50, 50);
    const sd = r.logNormal(3, 0.5);
    const at = anomalyStart(r, n);
    const values = Array.from({ length: n }, (_, i) => mu + sd * (i >= at ? 6 : 1) * r.normal());
    return { family: 'varianceChange', step: 60, calendar: false, ts0: 0, values, anomalies: [{ kind: 'varianceChange', start: at, end: at + 30 }] };
  },
  multiplicative: (r) => {
    const n = GENERIC_LENGTH;
    const base = r.logNormal(100, 1);
    const at = anomalyStart(r, n);
    const values = Array.from({ length: n }, (_, i) => base * (i >= at && i < at + 20 ? 4 : 1) * Math.exp(0.4 * r.normal()));
    return { family: 'multiplicative', step: 300, calendar: true, ts0: T0, values, anomalies: [{ kind: 'levelUp', start: at, end: at + 20 }] };
  },
  oddPeriod: (r) => {
    const n = GENERIC_LENGTH;
    const period = r.int(30, 80);
    const amp = r.between(5, 20);
    const at = anomalyStart(r, n);
    const values = Array.from({ length: n }, (_, i) => 50 + amp * Math.sin((2 * Math.PI * i) / period) + r.normal() + (i === at ? r.pick([-1, 1]) * amp * 1.5 : 0));
    return { family: 'oddPeriod', step: 1, calendar: false, ts0: 1, values, anomalies: [{ kind: 'spike', start: at, end: at + 1 }] };
  },
  // Session 3: more domains' shapes (families appended, so the ones above draw the same values).
  smallShift: (r) => {
    const n = GENERIC_LENGTH;
    const mu = r.between(0, 1000);
    const sd = r.logNormal(5, 1);
    const at = anomalyStart(r, n);
    const jump = r.pick([-1, 1]) * r.between(1.5, 3) * sd;
    const values = Array.from({ length: n }, (_, i) => mu + (i >= at ? jump : 0) + sd * r.normal());
    return { family: 'smallShift', step: 60, calendar: false, ts0: 0, values, anomalies: [{ kind: 'levelShift', start: at, end: at + 40 }] };
  },
  sparseCounts: (r) => {
    // Zero-inflated counts (a host that is mostly idle); the anomaly makes it active every bucket.
    const n = GENERIC_LENGTH;
    const active = r.between(0.05, 0.3);
    const lambda = r.between(1, 5);
    const at = anomalyStart(r, n);
    const len = r.int(30, 120);
    const values = Array.from({ length: n }, (_, i) => {
      const p = i >= at && i < at + len ? 0.95 : active;
      return r.uniform() < p ? 1 + r.poisson(lambda) : 0;
    });
    return { family: 'sparseCounts', step: 60, calendar: false, ts0: 0, values, anomalies: [{ kind: 'activityUp', start: at, end: at + len }] };
  },
  dropout: (r) => {
    // Poisson counts with a daily rhythm that drop to nothing for a while in a busy hour.
    const n = GENERIC_LENGTH;
    const step = 60;
    const peak = r.between(2, 10);
    const shift = r.between(0, 24);
    const rate = (i: number): number => peak * (0.15 + 0.85 * Math.max(0, Math.sin((((i * step) / 3600 + shift) / 24) * 2 * Math.PI)));
    let at = anomalyStart(r, n);
    for (let k = 0; k < 1440 && rate(at) < 0.7 * peak; k++) at = at + 1 >= n - 300 ? PROBATION + 200 : at + 1;
    const len = r.int(30, 120);
    const values = Array.from({ length: n }, (_, i) => (i >= at && i < at + len ? 0 : r.poisson(rate(i))));
    return { family: 'dropout', step, calendar: true, ts0: T0, values, anomalies: [{ kind: 'silence', start: at, end: at + len }] };
  },
  seasonalDrift: (r) => {
    // Daily rhythm at 5-minute steps whose level drifts slowly; the anomaly is a drop by a third to two thirds.
    const n = GENERIC_LENGTH;
    const step = 300;
    const amp = r.between(0.3, 0.8);
    let level = Math.log(r.logNormal(300, 1));
    const at = anomalyStart(r, n);
    const len = r.int(24, 72);
    const cut = r.between(0.35, 0.65);
    const values = Array.from({ length: n }, (_, i) => {
      level += 0.004 * r.normal();
      const hour = ((i * step) % 86_400) / 3600;
      const wave = 1 + amp * Math.sin(((hour - 6) / 24) * 2 * Math.PI);
      return Math.exp(level) * wave * (i >= at && i < at + len ? cut : 1) * Math.exp(0.08 * r.normal());
    });
    return { family: 'seasonalDrift', step, calendar: true, ts0: T0, values, anomalies: [{ kind: 'drop', start: at, end: at + len }] };
  },
  gaps: (r) => {
    // Irregular gaps (NaN = no bucket) in a noisy series with a level shift after a gap.
    const n = GENERIC_LENGTH;
    const mu = r.between(50, 500);
    const sd = mu * r.between(0.02, 0.1);
    const at = anomalyStart(r, n);
    const jump = r.pick([-1, 1]) * r.between(4, 8) * sd;
    let missing = 0;
    const values = Array.from({ length: n }, (_, i) => {
      if (missing > 0 && i !== at) {
        missing--;
        return Number.NaN;
      }
      if (i !== at && r.uniform() < 0.03) missing = r.int(1, 30);
      return mu + (i >= at ? jump : 0) + sd * r.laplace();
    });
    return { family: 'gaps', step: 60, calendar: false, ts0: 0, values, anomalies: [{ kind: 'levelShift', start: at, end: at + 20 }] };
  },
  flatline: (r) => {
    // A noisy sensor that gets stuck at its last value (variance collapses).
    const n = GENERIC_LENGTH;
    const mu = r.between(10, 100);
    const sd = mu * r.between(0.05, 0.2);
    const at = anomalyStart(r, n);
    const len = r.int(30, 120);
    let last = mu;
    const values = Array.from({ length: n }, (_, i) => {
      if (i >= at && i < at + len) return last;
      last = mu + sd * r.normal();
      return last;
    });
    return { family: 'flatline', step: 60, calendar: false, ts0: 0, values, anomalies: [{ kind: 'stuck', start: at, end: at + len }] };
  },
};

/** `perFamily` series of every family, reproducible from `seed`. */
export function genericSeries(seed: number, perFamily: number): LabelledSeries[] {
  const r = new Random(seed);
  const out: LabelledSeries[] = [];
  for (const make of Object.values(FAMILIES)) for (let k = 0; k < perFamily; k++) out.push(make(r));
  return out;
}
