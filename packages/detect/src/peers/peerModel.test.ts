import { describe, expect, it } from 'vitest';
import { InvalidBucketError, InvalidOptionError, StateDecodeError } from '../errors';
import { MONDAY, SeededRandom } from '../testing/seededRandom';
import { explainPeer } from './explainPeer';
import { PeerModel, resolvePeerModelOptions } from './peerModel';
import { peerAlertDefaults } from './peerDetector';
import type { PeerActivity, PeerScore } from './peerModel';

const STEP = 60;
const DAY = 86_400;

interface Browsing {
  peer: string;
  /** Connections each minute: a fixed count (regular sessions) or a fresh draw. */
  conns: () => number;
  left: number;
}

/**
 * A host with twenty usual servers that now and then (`newPerMinute`) visits a new
 * peer for a few minutes with a varying number of connections. `regularSessions`
 * makes every such visit one connection a minute for ten minutes (a host whose normal
 * new peers look like beacons).
 */
class Host {
  private readonly random: SeededRandom;
  private readonly sessions: Browsing[] = [];
  private serial = 0;

  constructor(
    private readonly seed: number,
    private readonly newPerMinute = 0.03,
    private readonly regularSessions = false,
  ) {
    this.random = new SeededRandom(seed);
  }

  minute(): Map<string, PeerActivity> {
    const r = this.random;
    const peers = new Map<string, PeerActivity>();
    const add = (peer: string, conns: number, bytes: number): void => {
      const a = peers.get(peer) ?? { conns: 0, bytes: 0 };
      peers.set(peer, { conns: a.conns + conns, bytes: a.bytes + bytes });
    };
    const conns = r.poisson(8);
    for (let i = 0; i < conns; i++) add(`10.0.0.${1 + Math.floor(20 * r.next() * r.next())}`, 1, Math.round(2000 * Math.exp(r.normal())));
    if (r.next() < this.newPerMinute) {
      this.serial++;
      const peer = `198.${this.seed}.${(this.serial >> 8) & 255}.${this.serial & 255}`;
      this.sessions.push(
        this.regularSessions
          ? { peer, conns: () => 1, left: 10 }
          : { peer, conns: () => 1 + r.poisson(3), left: 1 + Math.floor(-Math.log(Math.max(1e-9, r.next())) / Math.log(2)) },
      );
    }
    for (const s of this.sessions) if (s.left > 0) {
      s.left--;
      const n = s.conns();
      add(s.peer, n, n * Math.round(3000 * Math.exp(r.normal())));
    }
    return peers;
  }
}

function train(host: Host, model: PeerModel, from: number, minutes: number): PeerScore[] {
  const scores: PeerScore[] = [];
  for (let i = 0; i < minutes; i++) scores.push(model.update(from + i * STEP, host.minute()));
  return scores;
}

describe('PeerModel', () => {
  it('stays quiet on a host browsing new peers now and then', () => {
    const model = PeerModel.create();
    train(new Host(1), model, MONDAY, 2 * 1440);
    const host = new Host(2);
    const scores = train(host, model, MONDAY + 2 * DAY, 1440);
    expect(Math.max(...scores.map((s) => s.score))).toBeLessThan(0.4);
    expect(scores.some((s) => s.newPeers > 0)).toBe(true);
  });

  it('scores a new peer contacted every minute higher with every contact on a host that seldom meets new peers, and names it', () => {
    const model = PeerModel.create();
    const host = new Host(3, 0.005);
    const from = MONDAY + 7 * DAY;
    train(host, model, MONDAY, 7 * 1440);
    const scores: PeerScore[] = [];
    for (let i = 0; i < 6; i++) {
      const peers = host.minute();
      peers.set('203.0.113.7', { conns: 1, bytes: 400 });
      scores.push(model.update(from + i * STEP, peers));
    }
    expect(scores[0]?.score ?? 1).toBeLessThan(0.4);
    for (let i = 2; i < 6; i++) expect(scores[i]?.score ?? 0).toBeGreaterThan(scores[i - 1]?.score ?? 1);
    expect(scores[3]?.score ?? 0).toBeGreaterThanOrEqual(0.3);
    expect(scores[5]?.score ?? 0).toBeGreaterThanOrEqual(0.4);
    const top = scores[3]?.top;
    expect(top?.view).toBe('peerBeacon');
    expect(top?.peer).toBe('203.0.113.7');
    expect(top?.level).toBe(4);
    expect(explainPeer('10.0.0.99', top!, STEP)).toBe(
      `10.0.0.99: new peer 203.0.113.7 contacted every minute for 4 minutes (4 contacts), 1 connection each, 1.6 kB in all; its new peers usually repeat at most ${top?.usualLevel} time${top?.usualLevel === 1 ? '' : 's'} (peer beacon view: a 1-in-10^${Math.round(-Math.log10(top!.p))} run for 10.0.0.99)`,
    );
  });

  it('scores a steady flow of bytes to a new peer higher with every heavy bucket, past the alert threshold', () => {
    const model = PeerModel.create();
    const host = new Host(4, 0.005);
    train(host, model, MONDAY, 7 * 1440);
    const random = new SeededRandom(40);
    const scores: PeerScore[] = [];
    for (let i = 0; i < 30; i++) {
      const peers = host.minute();
      const conns = 1 + random.poisson(1);
      peers.set('192.0.2.66', { conns, bytes: Math.round(400_000 * Math.exp(0.2 * random.normal())) });
      scores.push(model.update(MONDAY + 7 * DAY + i * STEP, peers));
    }
    for (let i = 2; i < 30; i++) expect(scores[i]?.score ?? 0).toBeGreaterThanOrEqual((scores[i - 1]?.score ?? 1) - 1e-6);
    expect(scores[3]?.score ?? 1).toBeLessThan(0.6);
    expect(scores[29]?.score ?? 0).toBeGreaterThanOrEqual(0.6);
    expect(scores[29]?.top?.view).toBe('peerFlow');
    expect(scores[29]?.top?.peer).toBe('192.0.2.66');
  });

  it('needs a longer run on a host whose new peers are polled every minute as a rule', () => {
    const model = PeerModel.create();
    const host = new Host(5, 0.005, true);
    train(host, model, MONDAY, 2 * 1440);
    const scores: PeerScore[] = [];
    for (let i = 0; i < 4; i++) {
      const peers = host.minute();
      peers.set('203.0.113.7', { conns: 1, bytes: 400 });
      scores.push(model.update(MONDAY + 2 * DAY + i * STEP, peers));
    }
    expect(Math.max(...scores.map((s) => s.score))).toBeLessThan(0.4);
  });

  it('needs a longer run on a host that browses new peers all day', () => {
    const quiet = PeerModel.create();
    train(new Host(9, 0.005), quiet, MONDAY, 2 * 1440);
    const busy = PeerModel.create();
    train(new Host(9, 0.05), busy, MONDAY, 2 * 1440);
    const beacon = new Map([['203.0.113.7', { conns: 1, bytes: 400 }]]);
    let quietScore = 0;
    let busyScore = 0;
    for (let i = 0; i < 4; i++) {
      quietScore = quiet.update(MONDAY + 2 * DAY + i * STEP, beacon).score;
      busyScore = busy.update(MONDAY + 2 * DAY + i * STEP, beacon).score;
    }
    expect(busyScore).toBeLessThan(quietScore);
  });

  it('does not score a beacon to a peer the host already knows', () => {
    const model = PeerModel.create();
    const host = new Host(6);
    const scores: PeerScore[] = [];
    for (let i = 0; i < 2 * 1440 + 10; i++) {
      const peers = host.minute();
      if (i < 30 || i >= 2 * 1440) peers.set('10.9.9.9', { conns: 1, bytes: 400 });
      scores.push(model.update(MONDAY + i * STEP, peers));
    }
    expect(Math.max(...scores.slice(2 * 1440).map((s) => s.score))).toBeLessThan(0.4);
  });

  it('speaks softly while it has less than a day of history', () => {
    const model = PeerModel.create();
    const host = new Host(7);
    train(host, model, MONDAY, 60);
    let score = 0;
    for (let i = 0; i < 5; i++) {
      const peers = host.minute();
      peers.set('203.0.113.7', { conns: 1, bytes: 400 });
      score = model.update(MONDAY + (60 + i) * STEP, peers).score;
    }
    expect(score).toBeLessThanOrEqual((60 + 5) / 1440 + 1e-9);
  });

  it('continues identically from its encoded state', () => {
    const a = PeerModel.create();
    const hostA = new Host(8);
    train(hostA, a, MONDAY, 1500);
    const b = PeerModel.decode(a.encode());
    const hostB = new Host(8);
    train(hostB, PeerModel.create(), MONDAY, 1500);
    for (let i = 0; i < 200; i++) {
      const ts = MONDAY + (1500 + i) * STEP;
      const peers = hostA.minute();
      expect(b.update(ts, hostB.minute())).toEqual(a.update(ts, peers));
    }
    expect(PeerModel.decode(b.encode()).encode()).toEqual(b.encode());
  });

  describe('on half-hour buckets (the store sums the minutes)', () => {
    const HALF = 1800;
    /** The host's minutes summed into half-hours, with `extra` added to every minute from `extraFrom` on. */
    function halfHours(host: Host, model: PeerModel, from: number, buckets: number, extra?: { peer: string; a: PeerActivity; fromMinute: number }): PeerScore[] {
      const scores: PeerScore[] = [];
      for (let b = 0; b < buckets; b++) {
        const sum = new Map<string, PeerActivity>();
        for (let m = 0; m < 30; m++) {
          const peers = host.minute();
          if (extra !== undefined && b * 30 + m >= extra.fromMinute) peers.set(extra.peer, { ...extra.a });
          for (const [peer, a] of peers) {
            const s = sum.get(peer) ?? { conns: 0, bytes: 0 };
            sum.set(peer, { conns: s.conns + a.conns, bytes: s.bytes + a.bytes });
          }
        }
        scores.push(model.update(from + b * HALF, sum));
      }
      return scores;
    }

    it('alerts on a beacon that starts inside a bucket, at the per-minute rate scaled to the bucket, and names it per bucket', () => {
      const model = PeerModel.create(resolvePeerModelOptions({ step: HALF }));
      const host = new Host(11, 0.005);
      halfHours(host, model, MONDAY, 7 * 48);
      const threshold = peerAlertDefaults(HALF).threshold ?? 1;
      // One connection a minute from minute 20 of the first bucket: 10 contacts, then 30 in each bucket.
      const scores = halfHours(host, model, MONDAY + 7 * DAY, 16, { peer: '203.0.113.7', a: { conns: 1, bytes: 400 }, fromMinute: 20 });
      expect(scores[0]?.score ?? 1).toBeLessThan(threshold);
      const first = scores.findIndex((s) => s.score >= threshold);
      expect(first).toBeGreaterThan(1);
      const top = scores[first]?.top;
      expect(top?.view).toBe('peerBeacon');
      expect(top?.peer).toBe('203.0.113.7');
      expect(top?.level).toBe(first + 1);
      expect(top?.connsEach).toBe(30);
      expect(explainPeer('10.0.0.99', top!, HALF)).toContain(`new peer 203.0.113.7 contacted in ${first + 1} buckets of 30 minutes in a row`);
    });

    it('follows the busiest new peers first, and a new peer crowded out of one bucket in the next', () => {
      const model = PeerModel.create(resolvePeerModelOptions({ step: HALF, candidates: 2 }));
      halfHours(new Host(12, 0.005), model, MONDAY, 2 * 48);
      const crowd = (ts: number, extra: [string, number][]) => model.update(ts, new Map(extra.map(([peer, conns]) => [peer, { conns, bytes: conns * 500 }])));
      const t = MONDAY + 2 * DAY;
      crowd(t, [['198.51.100.1', 2], ['198.51.100.2', 9], ['198.51.100.3', 3]]);
      expect(model.candidates.map((c) => c.peer).sort()).toEqual(['198.51.100.2', '198.51.100.3']);
      // .1 was not followed, so it is still new: back in the next bucket it is followed.
      crowd(t + HALF, [['198.51.100.1', 2]]);
      expect(model.candidates.map((c) => c.peer)).toContain('198.51.100.1');
    });

    it('scales the alert rule to the bucket: 2·10⁻⁴ per host-hour', () => {
      expect(peerAlertDefaults(60)).toEqual({ threshold: 0.548, immediateThreshold: 0.548 });
      expect(peerAlertDefaults(HALF)).toEqual({ threshold: 0.4, immediateThreshold: 0.4 });
    });
  });

  it('rejects buckets out of order, bad counts and foreign state with typed errors', () => {
    const model = PeerModel.create();
    model.update(MONDAY, new Map([['192.0.2.1', { conns: 1, bytes: 10 }]]));
    expect(() => model.update(MONDAY, new Map())).toThrow(InvalidBucketError);
    expect(() => model.update(MONDAY + STEP, new Map([['192.0.2.1', { conns: -1, bytes: 10 }]]))).toThrow(/connections and bytes must be finite numbers ≥ 0/);
    expect(() => model.update(MONDAY + STEP, new Map([['', { conns: 1, bytes: 10 }]]))).toThrow(InvalidBucketError);
    expect(() => PeerModel.decode(new Uint8Array([1, 2, 3, 4]))).toThrow(StateDecodeError);
    expect(() => PeerModel.decode(model.encode().subarray(0, 100))).toThrow(/truncated/);
    expect(() => resolvePeerModelOptions({ candidates: 0 })).toThrow(InvalidOptionError);
    expect(() => resolvePeerModelOptions({ heavyQuantile: 1 })).toThrow(/peers.heavyQuantile/);
    expect(() => resolvePeerModelOptions({ maxGapSeconds: 0 })).toThrow(/peers.maxGapSeconds/);
  });
});
