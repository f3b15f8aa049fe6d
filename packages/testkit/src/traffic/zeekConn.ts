import { logNormal, pickWeighted, seededRandom } from './random';

/** One Zeek conn.log record as the Zeek JSON writer emits it (real field names). */
export interface ZeekConnRecord {
  ts: number;
  uid: string;
  'id.orig_h': string;
  'id.orig_p': number;
  'id.resp_h': string;
  'id.resp_p': number;
  proto: 'tcp' | 'udp' | 'icmp';
  service?: string;
  duration?: number;
  orig_bytes?: number;
  resp_bytes?: number;
  conn_state: string;
  local_orig: boolean;
  local_resp: boolean;
  missed_bytes: number;
  history: string;
  orig_pkts: number;
  orig_ip_bytes: number;
  resp_pkts: number;
  resp_ip_bytes: number;
}

interface Server {
  ip: string;
  port: number;
  proto: 'tcp' | 'udp';
  service: string;
  weight: number;
  respMedianBytes: number;
}

export interface TrafficOptions {
  seed?: number;
  /** Internal client hosts (quiet, many). Default 300. */
  clients?: number;
  /** Servers (busy, few, Zipf-weighted). Default 24. */
  servers?: number;
  /** Share of connections to hosts outside the network. Default 0.25. */
  externalShare?: number;
}

const SERVICES: Array<Pick<Server, 'port' | 'proto' | 'service' | 'respMedianBytes'>> = [
  { port: 443, proto: 'tcp', service: 'ssl', respMedianBytes: 24_000 },
  { port: 80, proto: 'tcp', service: 'http', respMedianBytes: 12_000 },
  { port: 53, proto: 'udp', service: 'dns', respMedianBytes: 120 },
  { port: 22, proto: 'tcp', service: 'ssh', respMedianBytes: 4_000 },
  { port: 25, proto: 'tcp', service: 'smtp', respMedianBytes: 800 },
  { port: 123, proto: 'udp', service: 'ntp', respMedianBytes: 48 },
  { port: 3306, proto: 'tcp', service: 'mysql', respMedianBytes: 9_000 },
  { port: 445, proto: 'tcp', service: 'smb', respMedianBytes: 30_000 },
];

const STATES: Array<[string, number, string]> = [
  ['SF', 0.86, 'ShADadFf'],
  ['S0', 0.04, 'S'],
  ['REJ', 0.03, 'Sr'],
  ['RSTO', 0.03, 'ShADadR'],
  ['RSTR', 0.02, 'ShADadr'],
  ['SH', 0.01, 'ShAF'],
  ['OTH', 0.01, 'D'],
];
const STATE_CUMULATIVE = STATES.reduce<number[]>((acc, [, w]) => [...acc, (acc[acc.length - 1] ?? 0) + w], []);
const UID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Relative traffic level at a UTC time: low at night, a morning ramp, a working-day
 * plateau, quieter weekends. Mean over a week is about 0.55.
 */
export function dailyRhythm(ts: number): number {
  const hour = ((ts / 3600) % 24 + 24) % 24;
  const day = Math.floor(ts / 86_400 + 4) % 7; // 0 = Sunday (1970-01-01 was a Thursday)
  const working = Math.exp(-((hour - 13) ** 2) / (2 * 3.5 ** 2));
  const level = 0.15 + 0.85 * working;
  return day === 0 || day === 6 ? level * 0.45 : level;
}

/**
 * Realistic synthetic Zeek conn.log traffic: a few hundred quiet clients talking to a
 * couple of dozen busy servers (Zipf popularity) and to the outside, with a daily rhythm,
 * heavy-tailed bytes and durations, and a realistic mix of connection states.
 */
export class ZeekConnGenerator {
  readonly clients: string[];
  readonly servers: Server[];
  private readonly serverCumulative: number[];
  private readonly random: () => number;
  private readonly externalShare: number;
  private uidCounter = 0;

  constructor(options: TrafficOptions = {}) {
    this.random = seededRandom(options.seed ?? 1);
    this.externalShare = options.externalShare ?? 0.25;
    const clientCount = options.clients ?? 300;
    const serverCount = options.servers ?? 24;
    this.clients = Array.from({ length: clientCount }, (_, i) =>
      i % 10 === 9 ? `2001:db8:10::${(i + 1).toString(16)}` : `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    );
    this.servers = Array.from({ length: serverCount }, (_, i) => {
      const svc = SERVICES[i % SERVICES.length]!;
      return { ...svc, ip: i % 8 === 7 ? `2001:db8::${i + 1}` : `10.0.0.${i + 1}`, weight: 1 / (i + 1) ** 1.1 };
    });
    this.serverCumulative = this.servers.reduce<number[]>((acc, s) => [...acc, (acc[acc.length - 1] ?? 0) + s.weight], []);
  }

  private uid(): string {
    let n = ++this.uidCounter * 2654435761 + Math.floor(this.random() * 1e9);
    let out = 'C';
    for (let i = 0; i < 17; i++) {
      out += UID_ALPHABET[n % UID_ALPHABET.length];
      n = Math.floor(n / UID_ALPHABET.length) + Math.floor(this.random() * 1e6);
    }
    return out;
  }

  private externalIp(): string {
    const r = this.random;
    return `198.51.100.${1 + Math.floor(r() * 200)}`;
  }

  /** One connection at time `ts` (unix seconds). */
  record(ts: number): ZeekConnRecord {
    const r = this.random;
    const orig = this.clients[Math.floor(r() * this.clients.length)]!;
    const server = this.servers[pickWeighted(this.serverCumulative, r)]!;
    const external = r() < this.externalShare;
    const respIp = external ? this.externalIp() : server.ip;
    const [state, , history] = STATES[pickWeighted(STATE_CUMULATIVE, r)]!;
    const established = state === 'SF' || state === 'RSTO' || state === 'RSTR' || state === 'SH';
    const origBytes = established ? Math.round(logNormal(r, 600, 1.2)) : 0;
    const respBytes = established ? Math.round(logNormal(r, server.respMedianBytes, 1.4)) : 0;
    const origPkts = established ? Math.max(1, Math.round(origBytes / 900) + 2) : state === 'S0' ? 1 : 1;
    const respPkts = established ? Math.max(1, Math.round(respBytes / 1300) + 1) : state === 'REJ' ? 1 : 0;
    const record: ZeekConnRecord = {
      ts: Math.round(ts * 1e6) / 1e6,
      uid: this.uid(),
      'id.orig_h': orig,
      'id.orig_p': 32768 + Math.floor(r() * 28000),
      'id.resp_h': respIp,
      'id.resp_p': server.port,
      proto: server.proto,
      conn_state: state,
      local_orig: true,
      local_resp: !external,
      missed_bytes: 0,
      history,
      orig_pkts: origPkts,
      orig_ip_bytes: origBytes + origPkts * 40,
      resp_pkts: respPkts,
      resp_ip_bytes: respBytes + respPkts * 40,
    };
    if (established) {
      record.service = server.service;
      record.duration = Math.round(logNormal(r, server.proto === 'udp' ? 0.02 : 0.8, 1.5) * 1e6) / 1e6;
      record.orig_bytes = origBytes;
      record.resp_bytes = respBytes;
    }
    return record;
  }

  /**
   * Connections in [from, to) at `ratePerSecond` at the busiest hour, scaled by the daily
   * rhythm, in time order.
   */
  *between(from: number, to: number, ratePerSecond: number): Generator<ZeekConnRecord> {
    for (let second = Math.floor(from); second < to; second++) {
      const expected = ratePerSecond * dailyRhythm(second);
      let n = Math.floor(expected);
      if (this.random() < expected - n) n++;
      for (let i = 0; i < n; i++) yield this.record(second + (i + this.random()) / (n + 1));
    }
  }
}
