import { inject, planIncidents } from './incidents';
import { SIM_START, TrafficSimulator } from './trafficSimulator';
import type { Incident, IncidentType } from './trafficSimulator';

const STEP = 60;
const DAY = 86_400;
/** Buckets an alert may take and still count as "within 3": the incident's first bucket and 3 more. */
const EARLY = 4;
/** Null windows start within this many minutes of the incident's time of day, on every other day. */
const AROUND = 60;

/** Which per-minute figure the bound reads for an incident type, and which tail. */
const SIGNAL: Partial<Record<IncidentType, { metric: 'conns' | 'bytes'; tail: 'upper' | 'lower' }>> = {
  exfiltration: { metric: 'bytes', tail: 'upper' },
  beaconing: { metric: 'conns', tail: 'upper' },
  silence: { metric: 'conns', tail: 'lower' },
};

/** One incident's bound: how unusual its first 4 buckets are against the same host at the same time on other days. */
export interface EarlyBound {
  seed: number;
  type: IncidentType;
  host: number;
  role: string;
  /** Beacon period (s) or exfiltration bytes per minute. */
  intensity: number;
  metric: 'conns' | 'bytes';
  /** Sum of the metric over the incident's first 4 buckets. */
  observed: number;
  /** Median of the same sum over the null windows. */
  nullMedian: number;
  windows: number;
  /** (1 + null windows at least as extreme) / (1 + windows): the smallest p any test of this sum could claim. */
  p: number;
}

/**
 * How early could any detector find these incidents at all? For every exfiltration,
 * beaconing and silence incident of a seed, the sum of the tell-tale metric (bytes,
 * connections) over the incident's first 4 buckets is ranked among the same host's sums
 * over 4-bucket windows starting within an hour of the same time of day on the other
 * days of the same kind (weekday or weekend) of the 14 simulated. That is an oracle's view (it knows the host, the metric, the hour and the
 * start), so its p is a lower bound on what a per-minute-volume detector can claim
 * within 3 buckets; at ≤ 1 false alert per 1,000 series-hours a test run every minute
 * needs p of about 10⁻⁵, below what ~1,200 windows can even show: an incident whose
 * first 4 buckets are not beyond every null window cannot be found within 3 buckets
 * without false alerts by any detector of that volume.
 */
export function earlyBounds(seed: number, hosts: number, perType: number): EarlyBound[] {
  const sim = new TrafficSimulator(seed, hosts);
  const evalStart = SIM_START + 7 * DAY;
  const evalEnd = evalStart + 7 * DAY;
  const incidents = planIncidents(sim, perType, evalStart, evalEnd);
  const byHost = new Map<number, Incident>(incidents.map((i) => [i.host, i]));
  const minutes = (evalEnd - SIM_START) / STEP;
  const conns = sim.hosts.map(() => new Float64Array(minutes));
  const bytes = sim.hosts.map(() => new Float64Array(minutes));
  // Same draws in the same order as evaluateTraffic, so the incidents and traffic are the bench's.
  for (let m = 0; m < minutes; m++) {
    const ts = SIM_START + m * STEP;
    for (let host = 0; host < sim.hosts.length; host++) {
      let minute = sim.normalMinute(host, ts);
      const incident = byHost.get(host);
      if (incident !== undefined && ts >= incident.start && ts < incident.end) minute = inject(sim, incident, ts, minute);
      (conns[host] as Float64Array)[m] = minute.conns;
      (bytes[host] as Float64Array)[m] = minute.bytes;
    }
  }
  const out: EarlyBound[] = [];
  for (const incident of incidents) {
    const signal = SIGNAL[incident.type];
    if (signal === undefined) continue;
    const series = (signal.metric === 'conns' ? conns : bytes)[incident.host] as Float64Array;
    const first = (incident.start - SIM_START) / STEP;
    const sum = (from: number): number => {
      let s = 0;
      for (let k = 0; k < EARLY; k++) s += series[from + k] as number;
      return s;
    };
    const observed = sum(first);
    const sums: number[] = [];
    const weekend = (ts: number): boolean => Math.floor((ts - SIM_START) / DAY) % 7 >= 5;
    for (let day = -14; day <= 14; day++) {
      if (day === 0 || weekend(incident.start + day * DAY) !== weekend(incident.start)) continue;
      for (let d = -AROUND; d <= AROUND; d++) {
        const from = first + day * 1440 + d;
        if (from < 0 || from + EARLY > minutes) continue;
        const ts = SIM_START + from * STEP;
        if (ts + EARLY * STEP > incident.start && ts < incident.end + 3600) continue;
        sums.push(sum(from));
      }
    }
    sums.sort((a, b) => a - b);
    const extreme = sums.filter((s) => (signal.tail === 'upper' ? s >= observed : s <= observed)).length;
    out.push({
      seed,
      type: incident.type,
      host: incident.host,
      role: sim.role(incident.host),
      intensity: incident.intensity,
      metric: signal.metric,
      observed,
      nullMedian: sums[Math.floor(sums.length / 2)] ?? 0,
      windows: sums.length,
      p: (1 + extreme) / (1 + sums.length),
    });
  }
  return out;
}
