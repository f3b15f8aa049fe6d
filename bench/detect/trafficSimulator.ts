import { Random } from './random';

/** Connection states of Zeek's conn log that the simulator draws from. */
export const CONN_STATES = ['SF', 'S0', 'REJ', 'RSTO', 'RSTR', 'SH', 'OTH'] as const;
export type ConnState = (typeof CONN_STATES)[number];

export type Role = 'workstation' | 'server' | 'iot' | 'batch';

/** One minute of one host. */
export interface HostMinute {
  conns: number;
  bytes: number;
  peers: number;
  ports: number;
  states: Record<string, number>;
}

export const METRICS = ['conns', 'bytes', 'peers', 'ports', 'states'] as const;
export type Metric = (typeof METRICS)[number];

export type IncidentType = 'verticalScan' | 'horizontalScan' | 'ddos' | 'exfiltration' | 'beaconing' | 'silence';
export const INCIDENT_TYPES: readonly IncidentType[] = ['verticalScan', 'horizontalScan', 'ddos', 'exfiltration', 'beaconing', 'silence'];

/** A labelled incident: which host, when (bucket starts, epoch s), how strong. */
export interface Incident {
  type: IncidentType;
  host: number;
  start: number;
  end: number;
  /** Type-specific intensity (probes/min, multiple of normal, bytes/min, beacon period s). */
  intensity: number;
}

interface Host {
  ip: string;
  role: Role;
  base: number;
  amplitude: number;
  weekend: number;
  shiftHours: number;
  nbShape: number;
  ar: number;
  arPhi: number;
  arSigma: number;
  bytesMedian: number;
  bytesSigma: number;
  peerPool: number;
  portPool: number;
  shares: number[];
  burstLeft: number;
  burstFactor: number;
  burstRate: number;
  backupHour: number;
}

const DAY = 86_400;
const WEEK = 7 * DAY;
/** Monday 2024-01-01 00:00 UTC. */
export const SIM_START = Date.UTC(2024, 0, 1) / 1000;

function officeShape(localHour: number): number {
  const rise = 1 / (1 + Math.exp(-(localHour - 8.5) * 2));
  const fall = 1 / (1 + Math.exp((localHour - 17.5) * 1.5));
  return rise * fall;
}

/**
 * Seeded simulator of per-IP minute metrics for a small network: workstations with
 * office hours and quiet weekends, servers with a mild daily wave and many peers, IoT
 * devices with a trickle, batch hosts with an hourly cron burst and a nightly backup.
 * Rates follow a slowly wandering log-normal AR(1) level; counts are negative-binomial
 * (bursty), bytes are sums of heavy-tailed (log-normal) transfer sizes, distinct peers
 * and ports saturate toward each host's pool, connection states are a multinomial mix.
 * Hosts also have benign bursts (downloads, updates) at their own rate.
 */
export class TrafficSimulator {
  readonly hosts: Host[];
  readonly incidents: Incident[] = [];
  private readonly random: Random;

  constructor(seed: number, hostCount: number) {
    this.random = new Random(seed);
    const r = this.random;
    this.hosts = Array.from({ length: hostCount }, (_, i) => {
      const u = r.uniform();
      const role: Role = u < 0.5 ? 'workstation' : u < 0.75 ? 'server' : u < 0.9 ? 'iot' : 'batch';
      const sf = role === 'server' ? r.between(0.8, 0.95) : r.between(0.85, 0.97);
      const rest = [r.between(1, 4), r.between(0.5, 3), r.between(0.5, 2), r.between(0.3, 1.5), r.between(0.1, 0.5), r.between(0.05, 0.3)];
      const restSum = rest.reduce((a, b) => a + b, 0);
      const arPhi = r.between(0.95, 0.995);
      const arSd = r.between(0.15, 0.4);
      return {
        ip: `10.${(i >> 8) & 255}.${i & 255}.${r.int(1, 254)}`,
        role,
        base: role === 'workstation' ? r.logNormal(10, 0.8) : role === 'server' ? r.logNormal(60, 1) : role === 'iot' ? r.logNormal(0.6, 0.6) : r.logNormal(2, 0.5),
        amplitude: role === 'server' ? r.between(0.2, 0.6) : role === 'iot' ? r.between(0, 0.2) : 1,
        weekend: role === 'workstation' ? r.between(0.05, 0.3) : role === 'server' ? r.between(0.6, 1) : 1,
        shiftHours: r.between(-3, 3),
        nbShape: r.between(1.5, 8),
        ar: 0,
        arPhi,
        arSigma: arSd * Math.sqrt(1 - arPhi * arPhi),
        bytesMedian: r.logNormal(role === 'server' ? 8000 : 15000, 0.7),
        bytesSigma: r.between(1, 2),
        peerPool: role === 'server' ? r.int(300, 5000) : role === 'iot' ? r.int(1, 4) : r.int(10, 80),
        portPool: role === 'server' ? r.int(1, 4) : role === 'iot' ? r.int(1, 2) : r.int(3, 12),
        shares: [sf, ...rest.map((x) => ((1 - sf) * x) / restSum)],
        burstLeft: 0,
        burstFactor: 1,
        burstRate: role === 'workstation' ? r.between(2, 10) / DAY : role === 'server' ? r.between(0.5, 3) / DAY : r.between(0.2, 1) / DAY,
        backupHour: r.int(0, 5),
      };
    });
  }

  /** Expected connection rate (per minute) of a host at `ts`, before noise and bursts. */
  expectedRate(host: number, ts: number): number {
    const h = this.hosts[host] as Host;
    const localHour = ((((ts + h.shiftHours * 3600) % DAY) + DAY) % DAY) / 3600;
    const dayOfWeek = Math.floor((((ts - SIM_START) % WEEK) + WEEK) % WEEK / DAY);
    const weekend = dayOfWeek >= 5;
    switch (h.role) {
      case 'workstation': {
        const office = officeShape(localHour) * (weekend ? h.weekend : 1);
        return h.base * (0.04 + 0.96 * office);
      }
      case 'server':
        return h.base * (1 + h.amplitude * Math.sin(((localHour - 9) / 24) * 2 * Math.PI)) * (weekend ? h.weekend : 1);
      case 'iot':
        return h.base * (1 + h.amplitude * Math.sin((localHour / 24) * 2 * Math.PI));
      case 'batch': {
        const minute = Math.floor((ts % 3600) / 60);
        const cron = minute < 3 ? 15 : 1;
        const backup = Math.floor(localHour) === h.backupHour ? 6 : 1;
        return h.base * cron * backup;
      }
    }
  }

  /** Normal traffic of one host for the minute starting at `ts`. Call in time order per host. */
  normalMinute(host: number, ts: number): HostMinute {
    const r = this.random;
    const h = this.hosts[host] as Host;
    h.ar = h.arPhi * h.ar + h.arSigma * r.normal();
    if (h.burstLeft > 0) {
      h.burstLeft--;
    } else if (r.uniform() < h.burstRate * 60) {
      h.burstLeft = r.int(2, 20);
      h.burstFactor = r.logNormal(5, 0.8);
    }
    const burst = h.burstLeft > 0;
    const rate = this.expectedRate(host, ts) * Math.exp(h.ar) * (burst ? Math.sqrt(h.burstFactor) : 1);
    const conns = r.negativeBinomial(rate, h.nbShape);
    let bytes = 0;
    if (conns > 0) {
      const draws = Math.min(conns, 25);
      for (let i = 0; i < draws; i++) bytes += r.logNormal(h.bytesMedian, h.bytesSigma);
      bytes *= conns / draws;
      if (burst) bytes *= h.burstFactor;
      bytes = Math.round(bytes);
    }
    const peers = Math.min(conns, Math.max(conns > 0 ? 1 : 0, Math.round(h.peerPool * (1 - Math.exp(-conns / h.peerPool)) * Math.exp(0.1 * r.normal()))));
    const ports = Math.min(conns, Math.max(conns > 0 ? 1 : 0, Math.round(h.portPool * (1 - Math.exp(-conns / h.portPool)) * Math.exp(0.1 * r.normal()))));
    return { conns, bytes, peers, ports, states: this.mix(conns, h.shares) };
  }

  /** Splits `count` connections over the states with the given shares (multinomial). */
  mix(count: number, shares: readonly number[]): Record<string, number> {
    const out: Record<string, number> = {};
    let left = count;
    let mass = 1;
    for (let i = 0; i < CONN_STATES.length && left > 0; i++) {
      const share = shares[i] ?? 0;
      const k = i === CONN_STATES.length - 1 ? left : this.random.binomial(left, Math.min(1, share / mass));
      mass -= share;
      if (k > 0) out[CONN_STATES[i] as string] = k;
      left -= k;
    }
    return out;
  }

  get rng(): Random {
    return this.random;
  }

  /** Role of a host. */
  role(host: number): Role {
    return (this.hosts[host] as Host).role;
  }

  /** Whether the host is in a benign burst (a download, an update), and how strong it is. */
  burst(host: number): { on: boolean; factor: number } {
    const h = this.hosts[host] as Host;
    return { on: h.burstLeft > 0, factor: h.burstFactor };
  }

  /** Size of the host's pool of usual peers. */
  peerPool(host: number): number {
    return (this.hosts[host] as Host).peerPool;
  }

  /** Typical bytes per connection of a host (median). */
  bytesMedian(host: number): number {
    return (this.hosts[host] as Host).bytesMedian;
  }
}
