import { alertId } from '../alert';
import type { Alert, AlertEvent } from '../alert';
import { resolveAlertOptions } from '../alertTracker';
import type { AlertOptions, AlertTransition } from '../alertTracker';
import { parseSeriesId, seriesHash, seriesId } from '../detector';
import { InvalidBucketError, InvalidOptionError } from '../errors';
import { scoreFromProbability } from '../scoreCombiner';
import type { ModelStateStore, StoredState } from '../modelStateStore';
import { explainPeer } from './explainPeer';
import { PeerModel, resolvePeerModelOptions } from './peerModel';
import { PeerPopulation } from './peerPopulation';
import { commonPeers } from './commonPeers';
import type { HostPeers } from './commonPeers';
import type { PeerActivity, PeerModelOptions, PeerScore } from './peerModel';

/** One host's peers in one closed bucket: peer → connections and bytes. */
export interface PeerBucket {
  /** The host (IP). */
  entity: string;
  /** Bucket start, epoch seconds. */
  ts: number;
  peers: ReadonlyMap<string, PeerActivity>;
}

/** Options of {@link PeerDetector}; every field has a documented default. */
export interface PeerDetectorOptions {
  /** Name the alerts carry as their metric. Default `conn.peer.orig` (who the host contacted). */
  metric: string;
  /** Peer model options (the step among them; default 60 s). */
  model: Partial<PeerModelOptions>;
  /**
   * When scores become alerts, on top of {@link peerAlertDefaults} for the model's step:
   * one bucket at p ≤ 2·10⁻⁴ per host-hour, i.e. 2·10⁻⁴ × step/3600 per host and bucket
   * (score 0.4 on half-hour buckets, 0.548 on minutes). A run's evidence only grows while
   * it lasts, so the series views' "two buckets at 0.4" would be one test, not two; a
   * rate per hour keeps the peer view's chance false alarms per hour the same whatever
   * the bucket width.
   */
  alerts: Partial<AlertOptions>;
  /** A host seen within this many seconds gets an empty bucket when it sends none, so its followed peers can miss a contact and its alerts can end. Default 3600. */
  silenceHorizon: number;
  /** Only hosts whose id hashes to `index` of `count` are handled. Default: all. */
  shard: { index: number; count: number } | undefined;
}

/**
 * Chance per host-hour at which one bucket of the peer view opens an alert: 10⁻⁴ per
 * half-hour bucket (the series views' threshold, score 0.4). Chosen on tune seeds 1–3 of
 * bench/detect on half-hour buckets (10⁻⁶ per host-minute, score 0.452 there, found fewer
 * exfiltrations with about as many false alerts).
 */
export const PEER_ALERT_P_PER_HOUR = 2e-4;

/**
 * The peer view's alert rule for buckets of `step` seconds: a single bucket whose chance
 * for the host is at most {@link PEER_ALERT_P_PER_HOUR} per hour it covers opens an
 * alert (score 0.4 on half-hour buckets, 0.548 on minute buckets).
 */
export function peerAlertDefaults(step: number): Partial<AlertOptions> {
  const threshold = Math.round(scoreFromProbability(Math.min(0.5, (PEER_ALERT_P_PER_HOUR * step) / 3600)) * 1000) / 1000;
  return { threshold, immediateThreshold: threshold };
}

export const defaultPeerDetectorOptions: PeerDetectorOptions = {
  metric: 'conn.peer.orig',
  model: {},
  alerts: {},
  silenceHorizon: 3600,
  shard: undefined,
};

/** What one step of the peer view produced. */
export interface PeerStepResult {
  ts: number;
  scores: (PeerScore & { entity: string })[];
  events: AlertEvent[];
  /** Hosts whose state already holds this step (a replay), ignored. */
  skipped: number;
}

const EMPTY: ReadonlyMap<string, PeerActivity> = new Map();

/**
 * Runs the peer view ({@link PeerModel}) over many hosts per closed step, keeping each
 * host's model in a {@link ModelStateStore} (give it its own prefix: ids are
 * `<metric>|<ip>`), and turns sustained peer anomalies into the same
 * {@link AlertEvent}s as the series detector, with the peer named in the explanation.
 * The hosts' run counts are also pooled in one shared {@link PeerPopulation}
 * (`peers:<metric>`), which each host's model leans on where its own history is thin.
 * Before scoring, the hosts reaching each new peer in the step are counted
 * ({@link commonPeers}): a peer that several hosts reached is common and not followed.
 * With `shard` set, that count covers the shard's hosts only.
 * A replayed step is recognised per host and skipped.
 */
export class PeerDetector {
  readonly options: PeerDetectorOptions;
  readonly modelOptions: PeerModelOptions;
  private readonly alertOptions: AlertOptions;
  private readonly store: ModelStateStore;

  constructor(store: ModelStateStore, options: Partial<PeerDetectorOptions> = {}) {
    const merged: PeerDetectorOptions = { ...defaultPeerDetectorOptions, ...options };
    if (merged.metric === '' || merged.metric.includes('|')) throw new InvalidOptionError('metric', `must be a non-empty name without "|", e.g. "conn.peer.orig" (got ${JSON.stringify(merged.metric)})`);
    if (!(merged.silenceHorizon >= 0)) throw new InvalidOptionError('silenceHorizon', `must be ≥ 0 seconds, e.g. 3600 (got ${merged.silenceHorizon})`);
    if (merged.shard !== undefined) {
      const { index, count } = merged.shard;
      if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
        throw new InvalidOptionError('shard', `needs integers 0 ≤ index < count, e.g. {index: 0, count: 2} (got ${JSON.stringify(merged.shard)})`);
      }
    }
    this.options = merged;
    this.modelOptions = resolvePeerModelOptions(merged.model);
    this.alertOptions = resolveAlertOptions({ ...peerAlertDefaults(this.modelOptions.step), ...merged.alerts });
    this.store = store;
  }

  private owns(id: string): boolean {
    const shard = this.options.shard;
    return shard === undefined || seriesHash(id) % shard.count === shard.index;
  }

  /** Scores every host's peers for the closed step starting at `ts` (epoch seconds). */
  async processStep(ts: number, buckets: readonly PeerBucket[]): Promise<PeerStepResult> {
    const step = this.modelOptions.step;
    if (!Number.isFinite(ts) || ts % step !== 0) throw new InvalidBucketError(`step start ${ts} must be a multiple of the step ${step} s`);
    const work = new Map<string, { entity: string; peers: ReadonlyMap<string, PeerActivity>; filled: boolean }>();
    for (const bucket of buckets) {
      if (typeof bucket.entity !== 'string' || bucket.entity === '') throw new InvalidBucketError('peer bucket: entity must be a non-empty string');
      if (bucket.ts !== ts) throw new InvalidBucketError(`peer bucket of ${bucket.entity}: ts ${bucket.ts} is not the step being processed (${ts})`);
      if (!(bucket.peers instanceof Map)) throw new InvalidBucketError(`peer bucket of ${bucket.entity}: peers must be a Map of peer → {conns, bytes}`);
      const id = seriesId(this.options.metric, bucket.entity);
      if (!this.owns(id)) continue;
      if (work.has(id)) throw new InvalidBucketError(`peer bucket of ${bucket.entity}: two buckets for the same host in step ${ts}`);
      work.set(id, { entity: bucket.entity, peers: bucket.peers, filled: false });
    }
    if (this.options.silenceHorizon > 0) {
      for (const id of await this.store.listActive(ts - this.options.silenceHorizon)) {
        if (work.has(id) || !this.owns(id)) continue;
        const { metric, entity } = parseSeriesId(id);
        if (metric === this.options.metric) work.set(id, { entity, peers: EMPTY, filled: true });
      }
    }
    const ids = [...work.keys()];
    const stored = await this.store.load(ids);
    const populationName = `peers:${this.options.metric}`;
    const populationBytes = await this.store.loadShared(populationName);
    const population = populationBytes === undefined ? PeerPopulation.create() : PeerPopulation.decode(populationBytes);
    population.advance(ts, this.modelOptions.halfLifeSeconds);
    const scores: PeerStepResult['scores'] = [];
    const events: AlertEvent[] = [];
    const toSave: StoredState[] = [];
    let skipped = 0;
    const hosts: (HostPeers & { id: string; entity: string; filled: boolean })[] = [];
    ids.forEach((id, i) => {
      const item = work.get(id)!;
      const bytes = stored[i];
      if (bytes === undefined && item.filled) return;
      const model = bytes === undefined ? PeerModel.create(this.modelOptions) : PeerModel.decode(bytes, this.modelOptions);
      if (ts <= model.lastTs) {
        skipped++;
        return;
      }
      hosts.push({ id, entity: item.entity, filled: item.filled, model, peers: item.peers });
    });
    // How many hosts reached each new peer in this step, before any host learns from it.
    const common = commonPeers(ts, hosts, this.modelOptions.commonHosts);
    for (const { id, entity, filled, model, peers } of hosts) {
      const score = model.update(ts, peers, population, this.modelOptions.commonHosts > 0 ? common : undefined);
      const transition = model.tracker.observe(ts, score.score, score.top?.view, this.alertOptions);
      if (transition !== undefined) events.push(this.event(entity, score, transition));
      scores.push(Object.assign(score, { entity }));
      toSave.push({ id, state: model.encode(), lastSeen: filled ? undefined : ts });
    }
    await this.store.save(toSave);
    await this.store.saveShared(populationName, population.encode());
    return { ts, scores, events, skipped };
  }

  private event(entity: string, score: PeerScore, transition: AlertTransition): AlertEvent {
    const top = score.top;
    const alert: Alert = {
      id: alertId(this.options.metric, entity, transition.start),
      metric: this.options.metric,
      entity,
      severity: transition.severity,
      state: transition.type === 'close' ? 'ended' : 'active',
      start: transition.start,
      end: transition.end ?? null,
      lastTs: score.ts,
      score: score.score,
      peakScore: transition.peakScore,
      view: transition.peakView ?? top?.view ?? 'peerBeacon',
      direction: 'up',
      expected: top?.usualLevel ?? 0,
      observed: top?.level ?? 0,
      lower: 0,
      upper: top?.usualLevel ?? 0,
      explanation:
        top === undefined
          ? `${entity}: the new peers that raised this alert are back to this host's usual (peer view)`
          : explainPeer(entity, top, this.modelOptions.step),
      acknowledged: null,
      resolved: null,
    };
    return { type: transition.type, alert };
  }
}
