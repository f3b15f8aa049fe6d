import type { PeerActivity } from '@ipscope/detect';
import { Random } from './random';
import type { HostMinute, Incident, Role, TrafficSimulator } from './trafficSimulator';

const DAY = 86_400;
/** Periods (seconds) of legitimate periodic traffic: heartbeats, NTP (64 s), monitoring polls, update checks. */
const PERIODS = [60, 64, 120, 300, 600, 900];
/** Periodic services deployed across the fleet (NTP, monitoring, EDR, update checks, telemetry, licences). */
const FLEET_SERVICES = 6;
/** Share of a host's periodic services that are its own (a user's app), not the fleet's. */
const PERSONAL_SHARE = 0.25;
/** How often a service's server moves: about once a fortnight. */
const MOVE_PER_MINUTE = 60 / (14 * DAY);

interface Session {
  peer: string;
  left: number;
  /** Mean connections a minute. */
  mean: number;
}

/**
 * A periodic service's server address. A fleet service (an agent deployed on many hosts:
 * NTP, monitoring, endpoint protection, update checks) is one address shared by all its
 * clients; when it moves (a DNS change), each client follows once its cached answer
 * expires, within the record's TTL. A personal service (one user's own app) has its own.
 */
interface ServiceAddress {
  peer: string;
  /** The address before the last move, and when the move happened (epoch seconds). */
  previous: string;
  movedAt: number;
  /** DNS TTL of the service's record, seconds: clients switch within it after a move. */
  ttl: number;
  period: number;
  bytes: number;
}

interface Service {
  address: ServiceAddress;
  phase: number;
  /** Seconds after a move at which this client's cached answer expires (in [0, ttl)). */
  lag: number;
}

interface PeerHost {
  role: Role;
  usual: string[];
  /** Cumulative Zipf weights over `usual`. */
  cumulative: Float64Array;
  /** New browsing sessions per connection, and their chance to go on another minute. */
  newPerConn: number;
  stay: number;
  sessions: Session[];
  recent: string[];
  services: Service[];
  burstPeer: string | undefined;
}

/**
 * Who each simulated host talks to, minute by minute, so the peer view can be measured
 * on the same traffic as the per-IP totals. It splits each host's connections and bytes
 * (from {@link TrafficSimulator}) over peers: a stable set of usual servers with Zipf
 * popularity (the host's peer pool), browsing sessions to new peers now and then (some
 * of them revisits of recent ones), legitimate periodic traffic to known servers on 40 %
 * of hosts (60–900 s; three in four are fleet services shared by every host that runs
 * the agent, one in four a host's own app; each service's server moves to a new address
 * about once a fortnight, as DNS changes do, and a fleet service's clients follow within
 * its DNS TTL of 5–60 minutes), and benign bursts sent to a
 * usual server or, half the time, to a new one (a download from a CDN). Incidents add
 * their own peers: the beacon's server, the exfiltration's drop, the scan targets, the
 * DDoS sources. It draws from its own random stream, so the per-IP totals (and every
 * figure of the series views) are the same with or without it.
 */
export class PeerTraffic {
  private readonly random: Random;
  private readonly hosts: PeerHost[];
  private readonly fleet: ServiceAddress[];
  /** Service addresses that move: the fleet's and every personal one. */
  private readonly addresses: ServiceAddress[] = [];
  private movedUpTo = Number.NEGATIVE_INFINITY;
  private serial = 0;

  constructor(
    seed: number,
    private readonly sim: TrafficSimulator,
  ) {
    this.random = new Random(seed * 7919 + 17);
    const r = this.random;
    const address = (): ServiceAddress => {
      const peer = this.fresh();
      const a: ServiceAddress = { peer, previous: peer, movedAt: Number.NEGATIVE_INFINITY, ttl: r.pick([300, 900, 3600]), period: r.pick(PERIODS), bytes: r.int(90, 600) };
      this.addresses.push(a);
      return a;
    };
    this.fleet = Array.from({ length: FLEET_SERVICES }, address);
    this.hosts = sim.hosts.map((_, host) => {
      const role = sim.role(host);
      const pool = sim.peerPool(host);
      const usual = Array.from({ length: pool }, (_, i) => `10.${(i >> 8) & 255}.${host & 255}.${i & 255}`);
      const cumulative = new Float64Array(pool);
      let total = 0;
      for (let i = 0; i < pool; i++) {
        total += 1 / Math.pow(i + 1, 1.1);
        cumulative[i] = total;
      }
      for (let i = 0; i < pool; i++) cumulative[i] = (cumulative[i] as number) / total;
      const newPerConn = role === 'workstation' ? r.between(0.01, 0.05) : role === 'server' ? r.between(0.005, 0.03) : role === 'iot' ? r.between(0, 0.01) : r.between(0.002, 0.02);
      const services: Service[] = [];
      if (r.uniform() < 0.4) {
        const n = r.int(1, 2);
        for (let k = 0; k < n; k++) {
          const a = r.uniform() < PERSONAL_SHARE ? address() : r.pick(this.fleet);
          if (!services.some((s) => s.address === a)) services.push({ address: a, phase: r.int(0, 899), lag: r.uniform() * a.ttl });
        }
      }
      return { role, usual, cumulative, newPerConn, stay: r.between(0.3, 0.7), sessions: [], recent: [], services, burstPeer: undefined };
    });
  }

  /** An address no host has used. */
  private fresh(): string {
    this.serial++;
    const n = this.serial;
    return `${11 + ((n >> 16) % 200)}.${(n >> 8) & 255}.${n & 255}.${1 + (n % 250)}`;
  }

  private usualPeer(h: PeerHost): string {
    const u = this.random.uniform();
    let lo = 0;
    let hi = h.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((h.cumulative[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return h.usual[lo] as string;
  }

  /**
   * The host's peers in the minute at `ts`: `normal` is its ordinary minute, `actual`
   * the minute after any incident was applied (the incident's extra connections and
   * bytes go to the incident's peers).
   */
  minute(host: number, ts: number, normal: HostMinute, actual: HostMinute, incident: Incident | undefined, incidentIndex: number): Map<string, PeerActivity> {
    const r = this.random;
    const h = this.hosts[host] as PeerHost;
    const out = new Map<string, PeerActivity>();
    if (incident?.type === 'silence' && ts >= incident.start && ts < incident.end) return out;
    const add = (peer: string, conns: number, bytes: number): void => {
      const a = out.get(peer);
      if (a === undefined) out.set(peer, { conns, bytes });
      else {
        a.conns += conns;
        a.bytes += bytes;
      }
    };
    if (ts > this.movedUpTo) {
      this.movedUpTo = ts;
      for (const a of this.addresses) {
        if (r.uniform() >= MOVE_PER_MINUTE) continue;
        a.previous = a.peer;
        a.peer = this.fresh();
        a.movedAt = ts;
      }
    }
    for (const { address: a, phase, lag } of h.services) {
      const contacts = Math.floor((ts + 60 - phase) / a.period) - Math.floor((ts - phase) / a.period);
      if (contacts > 0) add(ts < a.movedAt + lag ? a.previous : a.peer, contacts, contacts * a.bytes);
    }
    const burst = this.sim.burst(host);
    if (!burst.on) h.burstPeer = undefined;
    else if (h.burstPeer === undefined) h.burstPeer = r.uniform() < 0.5 ? this.fresh() : this.usualPeer(h);
    let conns = normal.conns;
    let bytes = normal.bytes;
    if (burst.on && h.burstPeer !== undefined && conns > 0) {
      const extra = Math.round(bytes * (1 - 1 / Math.max(1, burst.factor)));
      const share = Math.min(conns, 1 + this.random.poisson(conns * 0.2));
      add(h.burstPeer, share, extra);
      conns -= share;
      bytes -= extra;
    }
    const perConn = normal.conns > 0 ? bytes / Math.max(1, conns) : 0;
    if (conns > 0) {
      const starts = r.poisson(h.newPerConn * conns);
      for (let i = 0; i < starts; i++) {
        const revisit = h.recent.length > 0 && r.uniform() < 0.3;
        const peer = revisit ? r.pick(h.recent) : this.fresh();
        if (!revisit) {
          h.recent.push(peer);
          if (h.recent.length > 50) h.recent.shift();
        }
        h.sessions.push({ peer, left: 1 + Math.floor(Math.log(Math.max(1e-12, r.uniform())) / Math.log(h.stay)), mean: r.logNormal(2, 0.8) });
      }
    }
    const live: Session[] = [];
    for (const s of h.sessions) {
      if (s.left <= 0) continue;
      s.left--;
      const n = Math.min(conns, 1 + r.poisson(s.mean));
      if (n > 0) {
        add(s.peer, n, Math.round(n * perConn * r.logNormal(1, 0.5)));
        conns -= n;
      }
      if (s.left > 0) live.push(s);
    }
    h.sessions = live;
    for (let i = 0; i < conns; i++) add(this.usualPeer(h), 1, Math.round(perConn * r.logNormal(1, 0.5)));
    if (incident !== undefined && ts >= incident.start && ts < incident.end) this.incidentPeers(incident, incidentIndex, normal, actual, add);
    return out;
  }

  private incidentPeers(incident: Incident, index: number, normal: HostMinute, actual: HostMinute, add: (peer: string, conns: number, bytes: number) => void): void {
    const conns = Math.max(0, actual.conns - normal.conns);
    const bytes = Math.max(0, actual.bytes - normal.bytes);
    const own = `203.0.${index & 255}.${7 + ((index >> 8) & 127)}`;
    switch (incident.type) {
      case 'beaconing':
        if (conns > 0) add(own, conns, bytes);
        return;
      case 'exfiltration':
        add(own, Math.max(1, conns), bytes);
        return;
      case 'verticalScan':
        if (conns > 0) add(own, conns, bytes);
        return;
      case 'horizontalScan': {
        const targets = Math.min(conns, 1000);
        for (let i = 0; i < targets; i++) add(this.fresh(), Math.round(conns / Math.max(1, targets)), Math.round(bytes / Math.max(1, targets)));
        return;
      }
      case 'ddos': {
        const sources = Math.min(conns, 300);
        for (let i = 0; i < sources; i++) add(`198.${18 + (i >> 8)}.${index & 255}.${i & 255}`, Math.round(conns / Math.max(1, sources)), Math.round(bytes / Math.max(1, sources)));
        return;
      }
      case 'silence':
        return;
    }
  }
}
