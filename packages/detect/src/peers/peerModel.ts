import { ALERT_TRACKER_BYTES, AlertTracker } from '../alertTracker';
import { InvalidBucketError, InvalidOptionError, StateDecodeError } from '../errors';
import { combineViews } from '../scoreCombiner';
import type { ViewResult } from '../scoreCombiner';
import { KnownPeers } from './knownPeers';
import type { PeerPopulation } from './peerPopulation';
import { RUN_EDGES, RunTail } from './runTail';

/** What one host did with one peer in one bucket. */
export interface PeerActivity {
  /** Connections with the peer. */
  conns: number;
  /** Bytes of those connections (both directions, as the catalog's `conn.peer.*.bytes` counts them). */
  bytes: number;
}

/** Options of the peer model; every field has a documented default. */
export interface PeerModelOptions {
  /**
   * Bucket width, seconds. Default 60. Live, the detect role sets it to the step of the
   * interval the catalog keeps the peer histograms on (the default catalog: half-hours).
   */
  step: number;
  /** New peers tracked at once per host. Default 16 (on half-hour buckets a host meets tens of new peers a bucket; 8 found fewer exfiltrations on tune seed 1). */
  candidates: number;
  /** Length of a known-peers generation: a peer is known when seen within one to two of these. Default 3.5 days. */
  knownSeconds: number;
  /** Half-life of the learned run frequencies, in seconds of active buckets. Default 7 days. */
  halfLifeSeconds: number;
  /**
   * Seconds of active buckets before the view speaks with full confidence. Default 1 day.
   * For the first quarter of it the model only learns which peers are usual (at first
   * every peer is new); it follows new peers after that.
   */
  warmupSeconds: number;
  /** A new peer still in contact after this long is an established peer and no longer tracked. Default 12 h. */
  graduateSeconds: number;
  /** Longest gap (seconds) between the first two contacts of a regular run; at least one bucket. Default 900. */
  maxGapSeconds: number;
  /** A bucket of a new peer is heavy when its bytes reach this quantile of the host's new-peer buckets. Default 0.5 (chosen on tune seed 1: 0.9 found fewer exfiltrations, with no fewer false alerts). */
  heavyQuantile: number;
  /** Weight, in runs, of the population's continuation ratios in each host's (see {@link PeerPopulation}). Default 2. */
  populationWeight: number;
  /**
   * A peer contacted by at least this many hosts in the same bucket is common, not
   * followed: a moved fleet service's new server is reached by its clients together,
   * a C2 server or an exfiltration drop by one host. Applies when the caller counts
   * hosts per peer over the whole step ({@link commonPeers}, as {@link PeerDetector} does).
   * Default 2; 0 turns the count off.
   */
  commonHosts: number;
}

export const defaultPeerModelOptions: PeerModelOptions = {
  step: 60,
  candidates: 16,
  knownSeconds: 3.5 * 86_400,
  halfLifeSeconds: 7 * 86_400,
  warmupSeconds: 86_400,
  graduateSeconds: 12 * 3600,
  maxGapSeconds: 900,
  heavyQuantile: 0.5,
  populationWeight: 2,
  commonHosts: 2,
};

/** Merges and checks peer model options; an impossible value names the option and a value that works. */
export function resolvePeerModelOptions(partial: Partial<PeerModelOptions> = {}): PeerModelOptions {
  const o: PeerModelOptions = { ...defaultPeerModelOptions, ...partial };
  const positive = (name: keyof PeerModelOptions, example: number): void => {
    const value = o[name];
    if (!(value > 0 && Number.isFinite(value))) throw new InvalidOptionError(`peers.${name}`, `must be a positive number, e.g. ${example} (got ${value})`);
  };
  positive('step', 60);
  positive('knownSeconds', 302_400);
  positive('halfLifeSeconds', 604_800);
  positive('warmupSeconds', 86_400);
  positive('graduateSeconds', 43_200);
  if (!Number.isInteger(o.candidates) || o.candidates < 1 || o.candidates > 64) {
    throw new InvalidOptionError('peers.candidates', `must be an integer in [1, 64], e.g. 16 (got ${o.candidates})`);
  }
  positive('maxGapSeconds', 900);
  if (!(o.populationWeight > 0 && Number.isFinite(o.populationWeight))) {
    throw new InvalidOptionError('peers.populationWeight', `must be a positive number, e.g. 2 (got ${o.populationWeight})`);
  }
  if (!(Number.isInteger(o.commonHosts) && (o.commonHosts === 0 || o.commonHosts >= 2))) {
    throw new InvalidOptionError('peers.commonHosts', `must be 0 (off) or an integer ≥ 2, e.g. 2 (got ${o.commonHosts})`);
  }
  if (!(o.heavyQuantile > 0 && o.heavyQuantile < 1)) throw new InvalidOptionError('peers.heavyQuantile', `must be in (0, 1), e.g. 0.5 (got ${o.heavyQuantile})`);
  return o;
}

/** One new peer being followed. */
export interface PeerCandidate {
  peer: string;
  firstTs: number;
  lastTs: number;
  /** Buckets between contacts of the regular run (0 before its second contact). */
  gap: number;
  /** Connections at the last contact. */
  count: number;
  /** Contacts in the current regular run: same gap, same number of connections. */
  beaconLevel: number;
  /** Consecutive buckets up to the last contact in which the peer's bytes were heavy for this host. */
  flowLevel: number;
  /** Bytes and connections since first seen, and buckets with contact. */
  bytes: number;
  conns: number;
  contacts: number;
  /** Bytes in the regular run (for the beacon explanation). */
  runBytes: number;
}

/** Which peer made the bucket's score, and how. */
export interface PeerEvidence {
  view: 'peerBeacon' | 'peerFlow';
  peer: string;
  /** Contacts in the regular run (beacon) or heavy buckets in a row (flow). */
  level: number;
  /** The run length this host reaches about once in a hundred buckets (its usual at most). */
  usualLevel: number;
  /** Buckets between contacts (beacon), 1 for flow. */
  gap: number;
  /** Connections at each contact (beacon), connections at the last contact (flow). */
  connsEach: number;
  /** Bytes of the run (beacon) or since first seen (flow). */
  bytes: number;
  /** Heavy threshold of this host, bytes per bucket (flow). */
  heavyBytes: number;
  /** Tail probability per bucket of a run this long for this host. */
  p: number;
  /** When hosts were counted per peer: the peer was reached by fewer than this many hosts in each bucket of the run (else 0). */
  rareBelow: number;
}

/** The peer view's verdict on one bucket of one host. */
export interface PeerScore {
  ts: number;
  /** In [0, 1], on the same scale as the series views (0.4 ≈ p 10⁻⁴). */
  score: number;
  p: number;
  views: ViewResult[];
  top: PeerEvidence | undefined;
  /** How far the view trusts its history, in [0, 1]. */
  confidence: number;
  /** New peers this bucket, candidates followed after it. */
  newPeers: number;
  candidates: number;
}

const BYTE_BINS = 40;
const MAGIC = 0x50;
const VERSION = 1;
const HEADER_F64 = 6;
const CANDIDATE_F64 = 10;
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

function same(count: number, previous: number): boolean {
  return count === previous || (previous >= 4 && Math.abs(count - previous) <= previous / 4);
}

function tolerance(gap: number): number {
  return Math.floor(gap / 5);
}

function byteBin(bytes: number): number {
  return Math.min(BYTE_BINS - 1, Math.max(0, Math.floor(Math.log2(Math.max(1, bytes)))));
}

/**
 * The peer view of one host: who it talks to, compared with who it usually talks to.
 * Per-IP totals cannot show a beacon (one small connection a minute to a new server)
 * or a slow exfiltration: both are below the noise of the host's own traffic. Per
 * peer they stand out: a peer this host has not talked to in days, contacted again
 * and again at a fixed period with the same number of connections (beacon view), or
 * taking more bytes than this host's new peers usually take, bucket after bucket
 * (flow view).
 *
 * State: the known peers ({@link KnownPeers}), a few new peers being followed, and
 * per view how often this host's new peers reach each run length ({@link RunTail}).
 * The score of a run is its chance per bucket for this host, so a host that browses
 * new sites all day needs a longer run than a sensor that talks to three servers.
 * A run is learned when it ends (a contact off its period, a missed contact, or the
 * peer becoming established), so a run still going is scored against the host's past
 * only and never dilutes its own evidence.
 */
export class PeerModel {
  readonly options: PeerModelOptions;
  lastTs: number;
  /** Decayed active buckets, and all active buckets seen. */
  buckets: number;
  age: number;
  readonly known: KnownPeers;
  readonly beacon: RunTail;
  readonly flow: RunTail;
  /** Decayed histogram of log2(bytes) of new-peer buckets. */
  readonly byteBins: Float32Array;
  readonly tracker: AlertTracker;
  candidates: PeerCandidate[];

  private constructor(
    options: PeerModelOptions,
    fields: { lastTs: number; buckets: number; age: number },
    known: KnownPeers,
    beacon: RunTail,
    flow: RunTail,
    byteBins: Float32Array,
    tracker: AlertTracker,
    candidates: PeerCandidate[],
  ) {
    this.options = options;
    this.lastTs = fields.lastTs;
    this.buckets = fields.buckets;
    this.age = fields.age;
    this.known = known;
    this.beacon = beacon;
    this.flow = flow;
    this.byteBins = byteBins;
    this.tracker = tracker;
    this.candidates = candidates;
  }

  static create(options: PeerModelOptions = defaultPeerModelOptions): PeerModel {
    return new PeerModel(
      options,
      { lastTs: Number.NEGATIVE_INFINITY, buckets: 0, age: 0 },
      KnownPeers.create(Number.NEGATIVE_INFINITY),
      RunTail.create(),
      RunTail.create(),
      new Float32Array(BYTE_BINS),
      AlertTracker.create(),
      [],
    );
  }

  /** Bytes per bucket at or above which a new peer's bucket is heavy for this host (0 before 20 buckets are known). */
  heavyBytes(): number {
    let total = 0;
    for (const c of this.byteBins) total += c;
    if (total < 20) return 0;
    let below = 0;
    for (let bin = 0; bin < BYTE_BINS; bin++) {
      below += this.byteBins[bin] as number;
      if (below >= this.options.heavyQuantile * total) return Math.pow(2, bin + 1);
    }
    return Math.pow(2, BYTE_BINS);
  }

  /**
   * Adds to `into` (with a count of 0) the peers of this bucket that {@link update} would
   * look at: the followed ones and those this host does not know. The caller counts how
   * many hosts reached each of them ({@link commonPeers}) before updating any host.
   */
  unfamiliar(ts: number, peers: ReadonlyMap<string, PeerActivity>, into: Map<string, number>): void {
    if (!(ts > this.lastTs)) return;
    if (this.age === 0) this.known.currentStart = ts;
    this.known.age(ts, this.options.knownSeconds);
    for (const c of this.candidates) if (peers.has(c.peer)) into.set(c.peer, 0);
    if (!((this.age + 1) * this.options.step > this.options.warmupSeconds / 4)) return;
    for (const [peer, a] of peers) if (a.conns > 0 && !this.known.knows(peer)) into.set(peer, 0);
  }

  /**
   * Scores one closed bucket of this host's peers and learns from it. Buckets must
   * come in time order; a host with no traffic in a bucket may be given an empty map
   * (its followed peers then miss a contact) or skipped. With a `population` (shared by
   * the hosts of one detector, advanced to `ts` by the caller) the host's run ratios are
   * shrunk toward the population's, and its ended runs are added to it. `common` holds
   * the peers that {@link PeerModelOptions.commonHosts} or more hosts reached in this
   * bucket ({@link commonPeers}): they are treated as known, and a followed one ends its
   * runs there, so the runs learned and scored are those of rare new peers only.
   */
  update(ts: number, peers: ReadonlyMap<string, PeerActivity>, population?: PeerPopulation, common?: ReadonlySet<string>): PeerScore {
    const o = this.options;
    if (!Number.isFinite(ts)) throw new InvalidBucketError(`peer bucket time must be finite (got ${ts})`);
    if (ts <= this.lastTs) throw new InvalidBucketError(`peer bucket ${ts} is not after the last one learned (${this.lastTs})`);
    for (const [peer, a] of peers) {
      if (peer === '' || peer.length > 100) throw new InvalidBucketError(`peer ${JSON.stringify(peer.slice(0, 120))} at ${ts}: a peer must be a non-empty address of at most 100 characters`);
      if (!(Number.isFinite(a.conns) && a.conns >= 0 && Number.isFinite(a.bytes) && a.bytes >= 0)) {
        throw new InvalidBucketError(`peer ${JSON.stringify(peer)} at ${ts}: connections and bytes must be finite numbers ≥ 0 (got ${a.conns}, ${a.bytes})`);
      }
    }
    if (this.age === 0) this.known.currentStart = ts;
    const decay = Math.pow(2, -o.step / o.halfLifeSeconds);
    this.buckets = this.buckets * decay + 1;
    this.age++;
    this.beacon.decay(decay);
    this.flow.decay(decay);
    for (let i = 0; i < BYTE_BINS; i++) this.byteBins[i] = (this.byteBins[i] as number) * decay;
    this.known.age(ts, o.knownSeconds);
    const heavy = this.heavyBytes();
    const maxGap = Math.max(1, Math.round(o.maxGapSeconds / o.step));
    // Runs are learned when they end, so a run still going is scored against the past only.
    const beaconRuns: number[] = [];
    const flowRuns: number[] = [];
    const newBytes: number[] = [];
    const following = new Set<string>();

    const ended = (c: PeerCandidate): void => {
      beaconRuns.push(c.beaconLevel);
      if (c.flowLevel > 0) flowRuns.push(c.flowLevel);
    };
    const kept: PeerCandidate[] = [];
    for (const c of this.candidates) {
      if (common?.has(c.peer) === true) {
        ended(c);
        this.known.see(c.peer, ts);
        continue;
      }
      const a = peers.get(c.peer);
      const gap = Math.round((ts - c.lastTs) / o.step);
      if (a !== undefined && a.conns > 0) {
        // The first contact may be a partial bucket (the run began inside it), so the second may have more connections.
        const steady = same(a.conns, c.count) || (c.beaconLevel === 1 && a.conns > c.count);
        const regular = steady && (c.beaconLevel < 2 ? gap <= maxGap : Math.abs(gap - c.gap) <= tolerance(c.gap));
        if (regular) {
          if (c.beaconLevel < 2) c.gap = gap;
          c.beaconLevel++;
          c.runBytes += a.bytes;
        } else {
          beaconRuns.push(c.beaconLevel);
          c.beaconLevel = 1;
          c.gap = 0;
          c.runBytes = a.bytes;
        }
        const isHeavy = heavy > 0 && a.bytes >= heavy;
        if (isHeavy && gap === 1 && c.flowLevel > 0) {
          c.flowLevel++;
        } else {
          if (c.flowLevel > 0) flowRuns.push(c.flowLevel);
          c.flowLevel = isHeavy ? 1 : 0;
        }
        c.count = a.conns;
        c.bytes += a.bytes;
        c.conns += a.conns;
        c.contacts++;
        c.lastTs = ts;
        newBytes.push(a.bytes);
      } else {
        const allowed = c.beaconLevel >= 2 ? c.gap + tolerance(c.gap) : maxGap;
        if (gap > allowed) {
          ended(c);
          continue;
        }
        if (gap > 1 && c.flowLevel > 0) {
          flowRuns.push(c.flowLevel);
          c.flowLevel = 0;
        }
      }
      if (ts - c.firstTs >= o.graduateSeconds) {
        ended(c);
        continue;
      }
      following.add(c.peer);
      kept.push(c);
    }
    this.candidates = kept;

    // Before a quarter of the warm-up every peer is new; they are only noted as known then.
    const settled = this.age * o.step > o.warmupSeconds / 4;
    let newPeers = 0;
    const fresh: [string, PeerActivity][] = [];
    for (const [peer, a] of peers) {
      if (following.has(peer)) continue;
      // A new peer becomes known when it is followed (below), so one crowded out by busier
      // new peers in a bucket is still new in the next and can be followed then.
      if (!settled || this.known.knows(peer) || common?.has(peer) === true) {
        this.known.see(peer, ts);
        continue;
      }
      if (a.conns > 0) fresh.push([peer, a]);
    }
    // When more new peers come than can be followed, the busiest are followed first: a
    // beacon or an exfiltration is many connections in a wide bucket, a page view few.
    if (fresh.length > 1) fresh.sort((x, y) => y[1].conns - x[1].conns || y[1].bytes - x[1].bytes);
    for (const [peer, a] of fresh) {
      newPeers++;
      const isHeavy = heavy > 0 && a.bytes >= heavy;
      newBytes.push(a.bytes);
      const dropped = this.follow({
        peer,
        firstTs: ts,
        lastTs: ts,
        gap: 0,
        count: a.conns,
        beaconLevel: 1,
        flowLevel: isHeavy ? 1 : 0,
        bytes: a.bytes,
        conns: a.conns,
        contacts: 1,
        runBytes: a.bytes,
      });
      if (dropped !== undefined) ended(dropped);
    }
    for (const c of this.candidates) if (c.lastTs === ts) this.known.see(c.peer, ts);

    const score = this.score(ts, heavy, newPeers, population, common === undefined ? 0 : o.commonHosts);
    for (const length of beaconRuns) {
      this.beacon.reach(0, length);
      population?.beacon.reach(0, length);
    }
    for (const length of flowRuns) {
      this.flow.reach(0, length);
      population?.flow.reach(0, length);
    }
    for (const bytes of newBytes) {
      const bin = byteBin(bytes);
      this.byteBins[bin] = (this.byteBins[bin] as number) + 1;
    }
    this.lastTs = ts;
    return score;
  }

  /**
   * Adds a new peer to the followed ones, making room by dropping the least advanced,
   * oldest one not contacted in this bucket; returns the one dropped (the new one itself
   * when every followed peer is further along or was contacted in this bucket).
   */
  private follow(candidate: PeerCandidate): PeerCandidate | undefined {
    if (this.candidates.length < this.options.candidates) {
      this.candidates.push(candidate);
      return undefined;
    }
    let worst = -1;
    for (let i = 0; i < this.candidates.length; i++) {
      const c = this.candidates[i] as PeerCandidate;
      if (Math.max(c.beaconLevel, c.flowLevel) > 1 || c.lastTs >= candidate.lastTs) continue;
      if (worst < 0 || c.lastTs < (this.candidates[worst] as PeerCandidate).lastTs) worst = i;
    }
    if (worst < 0) return candidate;
    const dropped = this.candidates[worst];
    this.candidates[worst] = candidate;
    return dropped;
  }

  private score(ts: number, heavy: number, newPeers: number, population: PeerPopulation | undefined, rareBelow: number): PeerScore {
    const w = this.options.populationWeight;
    const confidence = Math.min(1, (this.age * this.options.step) / this.options.warmupSeconds);
    if (confidence <= 0.25) return { ts, score: 0, p: 1, views: [], top: undefined, confidence, newPeers, candidates: this.candidates.length };
    let beaconBest: PeerEvidence | undefined;
    let flowBest: PeerEvidence | undefined;
    for (const c of this.candidates) {
      if (c.beaconLevel >= 2) {
        const p = this.beacon.p(c.beaconLevel, this.buckets, population?.beacon, w);
        if (beaconBest === undefined || p < beaconBest.p) {
          beaconBest = {
            view: 'peerBeacon',
            peer: c.peer,
            level: c.beaconLevel,
            usualLevel: this.beacon.usualLength(this.buckets, 0.01, population?.beacon, w),
            gap: c.gap,
            connsEach: c.count,
            bytes: c.runBytes,
            heavyBytes: heavy,
            p,
            rareBelow,
          };
        }
      }
      if (c.flowLevel >= 1 && c.lastTs === ts) {
        const p = this.flow.p(c.flowLevel, this.buckets, population?.flow, w);
        if (flowBest === undefined || p < flowBest.p) {
          flowBest = {
            view: 'peerFlow',
            peer: c.peer,
            level: c.flowLevel,
            usualLevel: this.flow.usualLength(this.buckets, 0.01, population?.flow, w),
            gap: 1,
            connsEach: c.count,
            bytes: c.bytes,
            heavyBytes: heavy,
            p,
            rareBelow,
          };
        }
      }
    }
    const views: ViewResult[] = [];
    if (beaconBest !== undefined) views.push({ view: 'peerBeacon', p: beaconBest.p, z: beaconBest.level, confidence });
    if (flowBest !== undefined) views.push({ view: 'peerFlow', p: flowBest.p, z: flowBest.level, confidence });
    if (views.length === 0) return { ts, score: 0, p: 1, views, top: undefined, confidence, newPeers, candidates: this.candidates.length };
    // Both views are always looked at, so the correction counts two even when one is silent.
    const combined = combineViews(views.length === 2 ? views : [...views, { view: views[0]!.view, p: 1, z: 0, confidence }]);
    const top = combined.top?.view === 'peerFlow' ? flowBest : beaconBest;
    return { ts, score: combined.score, p: combined.p, views, top, confidence, newPeers, candidates: this.candidates.length };
  }

  /** Encodes the model (without options) to compact bytes. */
  encode(): Uint8Array {
    const peers = this.candidates.map((c) => ENCODER.encode(c.peer));
    const tailBytes = 2 * RUN_EDGES.length * 4 + BYTE_BINS * 4;
    const size =
      4 +
      HEADER_F64 * 8 +
      tailBytes +
      ALERT_TRACKER_BYTES +
      8 +
      this.known.current.length +
      this.known.previous.length +
      peers.reduce((sum, p) => sum + 1 + p.length + CANDIDATE_F64 * 8, 0);
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    out[0] = MAGIC;
    out[1] = VERSION;
    out[2] = this.candidates.length;
    let at = 4;
    for (const x of [this.lastTs, this.buckets, this.age, this.known.currentStart, this.known.currentPeers, 0]) {
      view.setFloat64(at, x, true);
      at += 8;
    }
    for (const array of [this.beacon.counts, this.flow.counts, this.byteBins]) {
      for (const x of array) {
        view.setFloat32(at, x, true);
        at += 4;
      }
    }
    this.tracker.writeTo(out, at);
    at += ALERT_TRACKER_BYTES;
    view.setUint32(at, this.known.current.length, true);
    view.setUint32(at + 4, this.known.previous.length, true);
    at += 8;
    out.set(this.known.current, at);
    at += this.known.current.length;
    out.set(this.known.previous, at);
    at += this.known.previous.length;
    this.candidates.forEach((c, i) => {
      const name = peers[i] as Uint8Array;
      out[at] = name.length;
      out.set(name, at + 1);
      at += 1 + name.length;
      for (const x of [c.firstTs, c.lastTs, c.gap, c.count, c.beaconLevel, c.flowLevel, c.bytes, c.conns, c.contacts, c.runBytes]) {
        view.setFloat64(at, x, true);
        at += 8;
      }
    });
    return out;
  }

  /** Reads a model written by {@link PeerModel.encode}; throws {@link StateDecodeError} on foreign or truncated bytes. */
  static decode(bytes: Uint8Array, options: PeerModelOptions = defaultPeerModelOptions): PeerModel {
    if (bytes.length < 4 || bytes[0] !== MAGIC) throw new StateDecodeError('bytes are not a peer model state (wrong magic byte)');
    if (bytes[1] !== VERSION) throw new StateDecodeError(`peer model state version ${bytes[1]} is not the supported ${VERSION}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const need = (n: number): void => {
      if (at + n > bytes.length) throw new StateDecodeError(`peer model state is truncated (${bytes.length} bytes, needs more than ${at + n})`);
    };
    const count = bytes[2] as number;
    let at = 4;
    need(HEADER_F64 * 8 + 2 * RUN_EDGES.length * 4 + BYTE_BINS * 4 + ALERT_TRACKER_BYTES + 8);
    const header: number[] = [];
    for (let i = 0; i < HEADER_F64; i++, at += 8) header.push(view.getFloat64(at, true));
    const floats = (n: number): Float32Array => {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++, at += 4) out[i] = view.getFloat32(at, true);
      return out;
    };
    const beacon = new RunTail(floats(RUN_EDGES.length));
    const flow = new RunTail(floats(RUN_EDGES.length));
    const byteBins = floats(BYTE_BINS);
    const tracker = AlertTracker.readFrom(bytes, at);
    at += ALERT_TRACKER_BYTES;
    const currentLength = view.getUint32(at, true);
    const previousLength = view.getUint32(at + 4, true);
    at += 8;
    need(currentLength + previousLength);
    const current = bytes.slice(at, at + currentLength);
    at += currentLength;
    const previous = bytes.slice(at, at + previousLength);
    at += previousLength;
    const candidates: PeerCandidate[] = [];
    for (let i = 0; i < count; i++) {
      need(1);
      const length = bytes[at] as number;
      need(1 + length + CANDIDATE_F64 * 8);
      const peer = DECODER.decode(bytes.subarray(at + 1, at + 1 + length));
      at += 1 + length;
      const f: number[] = [];
      for (let k = 0; k < CANDIDATE_F64; k++, at += 8) f.push(view.getFloat64(at, true));
      const [firstTs, lastTs, gap, cnt, beaconLevel, flowLevel, b, conns, contacts, runBytes] = f as [number, number, number, number, number, number, number, number, number, number];
      candidates.push({ peer, firstTs, lastTs, gap, count: cnt, beaconLevel, flowLevel, bytes: b, conns, contacts, runBytes });
    }
    const [lastTs, buckets, age, currentStart, currentPeers] = header as [number, number, number, number, number];
    return new PeerModel(
      options,
      { lastTs, buckets, age },
      new KnownPeers(current, previous, currentStart, currentPeers),
      beacon,
      flow,
      byteBins,
      tracker,
      candidates,
    );
  }
}
