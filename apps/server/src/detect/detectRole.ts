import type { Cluster, Redis } from 'ioredis';
import {
  AlertStore,
  Detector,
  PeerDetector,
  RedisModelStateStore,
  WebhookNotifier,
  type AlertEvent,
  type ClosedBucket,
  type MetricDetection,
  type PeerActivity,
  type PeerBucket,
  type PeerModelOptions,
} from '@ipscope/detect';
import type { CompiledCatalog } from '@ipscope/metrics';
import { createBucketReader, type Store } from '@ipscope/timeseries';
import type { Logger } from '../log';

/**
 * The detect role: as minute buckets close, reads them from the store, scores every
 * (metric, IP) series with the models of normal behaviour in @ipscope/detect, and turns
 * sustained anomalies into alerts (Redis stream + index, which the API streams to
 * browsers; optionally a webhook).
 *
 * "Closed" follows the data, like retention: a minute is closed once the store holds data
 * `graceSteps` minutes newer, so a replayed capture is scored as it was recorded. The last
 * scored minute is kept in Redis, so a restarted or replacement detector carries on; the
 * detector itself skips a step a series has already learned, so a replay is harmless.
 *
 * Besides the per-series views, the peer view (`PeerDetector`) looks at who each active
 * originator contacted, bucket by bucket of the interval nearest half an hour that the
 * catalog keeps its per-peer histograms on (the default catalog: `months`, half-hour buckets), scoring each
 * such bucket once its last minute is closed; its alerts go to the same alert store and
 * webhook.
 */
export interface DetectRoleOptions {
  redis: Redis | Cluster;
  store: Store;
  catalog: CompiledCatalog;
  prefix: string;
  log: Logger;
  /** Metrics scored, with how. Default {@link DEFAULT_DETECTION}. */
  metrics?: Record<string, Partial<MetricDetection>>;
  /** Minutes of newer data before a minute counts as closed. Default 1. */
  graceSteps?: number;
  /** How often to look for newly closed minutes. Default 2000 ms. */
  pollMs?: number;
  /** At most this many minutes are scored per poll when catching up. Default 120. */
  catchUpSteps?: number;
  /** On first start, score this many minutes back from the newest closed one. Default 60. */
  startSteps?: number;
  /** Webhook for alert events (POSTed as JSON, with retries). */
  webhookUrl?: string | undefined;
  /** Alert threshold on the score in [0, 1]; default the detector's. */
  threshold?: number | undefined;
  /**
   * The peer view (beacons, slow exfiltration: who each IP contacts). It reads the per-peer
   * connection histogram `connections` and, when given, the byte-weighted `bytes` one, both
   * keyed by the originator, on the store interval that keeps both whose step is nearest half
   * an hour (its step is the view's bucket: half an hour with the default catalog). Default {@link DEFAULT_PEER_VIEW};
   * off (with a log line saying why) when the catalog does not keep them on a shared
   * interval; `false` turns it off.
   */
  peers?: { connections: string; bytes?: string; model?: Partial<PeerModelOptions> } | false;
  /**
   * Series views on a coarser store interval, each of its buckets scored once its last
   * minute is closed. Default {@link DEFAULT_COARSE_DETECTION}: the host's connections per
   * half-hour, where a busy host's empty half-hour is strong evidence that it went silent.
   * Its metrics must be ranked counts kept on that interval; with the default, off (logged)
   * when they are not; `false` turns it off.
   */
  coarse?: { interval: string; metrics: Record<string, Partial<MetricDetection>> } | false;
}

/** The host's connections per half-hour (the default catalog's `months` interval). */
export const DEFAULT_COARSE_DETECTION = { interval: 'months', metrics: { 'conn.count.orig': { kind: 'value' } } } as const satisfies {
  interval: string;
  metrics: Record<string, Partial<MetricDetection>>;
};

/** The default catalog's per-peer histograms of what an IP originated. */
export const DEFAULT_PEER_VIEW = { connections: 'conn.peer.orig', bytes: 'conn.peer.orig.bytes' };

/**
 * What the default catalog's series say about a host: how much it talks (connections,
 * bytes), how widely (distinct peers and ports: scans), and how its connections end
 * (state mix: failed and refused connections).
 */
export const DEFAULT_DETECTION: Record<string, Partial<MetricDetection>> = {
  'conn.count.orig': { kind: 'value' },
  'conn.count.resp': { kind: 'value' },
  'conn.bytes.orig': { kind: 'value' },
  'conn.bytes.resp': { kind: 'value' },
  'conn.peers.orig': { kind: 'value' },
  'conn.ports.orig': { kind: 'value' },
  'conn.state.orig': { kind: 'histogram' },
  'conn.state.resp': { kind: 'histogram' },
};

const STEP = 60;
const INTERVAL = 'days';
/** The peer view's preferred bucket, seconds (bench/detect measured and tuned it on half-hours). */
const PEER_BUCKET = 1800;

export interface RunningDetectRole {
  stop(): Promise<void>;
  /** Scores every closed minute not scored yet; returns how many minutes it scored. */
  runOnce(): Promise<number>;
}

export function startDetectRole(o: DetectRoleOptions): RunningDetectRole {
  const metrics = o.metrics ?? DEFAULT_DETECTION;
  const known = new Map(o.catalog.metrics.map((m) => [m.name, m.definition]));
  for (const name of Object.keys(metrics)) {
    const def = known.get(name);
    if (!def) throw new Error(`detect: metric "${name}" is not in the catalog`);
    if (!def.intervals.includes(INTERVAL)) throw new Error(`detect: metric "${name}" is not kept on the ${INTERVAL} interval`);
  }
  const states = new RedisModelStateStore(o.redis, { prefix: `${o.prefix}:detect` });
  const peerView = o.peers === false ? undefined : (o.peers ?? DEFAULT_PEER_VIEW);
  const peerMetrics = peerView === undefined ? [] : [peerView.connections, ...(peerView.bytes === undefined ? [] : [peerView.bytes])];
  const peerGap = peerMetrics.find((name) => {
    const def = known.get(name);
    return def === undefined || def.type !== 'histogram' || def.key !== 'orig';
  });
  // The peer view's bucket: of the intervals every peer metric is kept on, the one whose step (from the
  // store's configuration) is nearest half an hour, the bucket the view was measured and tuned on.
  const peerInterval =
    peerView === undefined || peerGap !== undefined
      ? undefined
      : [...o.store.config.intervals.values()]
          .filter((interval) => peerMetrics.every((name) => known.get(name)!.intervals.includes(interval.name)))
          .sort((a, b) => Math.abs(Math.log(a.step / PEER_BUCKET)) - Math.abs(Math.log(b.step / PEER_BUCKET)) || a.step - b.step)[0];
  // The originators of a peer bucket are ranked by their connection count on the same interval.
  const peerActive = o.store.config.metrics.get('conn.count.orig');
  const peerActiveGap = peerInterval !== undefined && !(peerActive?.top === true && peerActive.intervals.some((i) => i.name === peerInterval.name));
  if (peerView !== undefined && (peerGap !== undefined || peerInterval === undefined || peerActiveGap)) {
    const why =
      peerGap !== undefined
        ? `peer metric "${peerGap}" must be an originator-keyed histogram in the catalog`
        : peerInterval === undefined
          ? `the catalog keeps ${peerMetrics.join(' and ')} on no common interval`
          : `the store keeps no ranked conn.count.orig on the "${peerInterval.name}" interval to find the active originators`;
    if (o.peers !== undefined) throw new Error(`detect: ${why}`);
    o.log.info('peer view off', { reason: why });
  }
  if (peerInterval !== undefined && peerInterval.step % STEP !== 0) throw new Error(`detect: the peer view's interval "${peerInterval.name}" has a step of ${peerInterval.step} s, not a whole number of minutes`);
  const peerStates = new RedisModelStateStore(o.redis, { prefix: `${o.prefix}:detect:peers` });
  const peers =
    peerView !== undefined && peerInterval !== undefined && !peerActiveGap
      ? new PeerDetector(peerStates, {
          metric: peerView.connections,
          model: { ...('model' in peerView ? peerView.model : {}), step: peerInterval.step },
          ...(o.threshold !== undefined ? { alerts: { threshold: o.threshold, immediateThreshold: o.threshold } } : {}),
        })
      : undefined;
  const peerStep = peerInterval?.step ?? STEP;
  const coarseView = o.coarse === false ? undefined : (o.coarse ?? DEFAULT_COARSE_DETECTION);
  const coarseInterval = coarseView === undefined ? undefined : o.store.config.intervals.get(coarseView.interval);
  const coarseGap =
    coarseView === undefined
      ? undefined
      : coarseInterval === undefined || coarseInterval.step % STEP !== 0
        ? `the store has no "${coarseView.interval}" interval of whole minutes`
        : Object.keys(coarseView.metrics)
            .filter((name) => {
              const resolved = o.store.config.metrics.get(name);
              return resolved?.type !== 'count' || !resolved.top || !resolved.intervals.some((i) => i.name === coarseView.interval);
            })
            .map((name) => `metric "${name}" is not a ranked count kept on the "${coarseView.interval}" interval`)[0];
  if (coarseGap !== undefined) {
    if (o.coarse !== undefined) throw new Error(`detect: coarse series views: ${coarseGap}`);
    o.log.info('coarse series views off', { reason: coarseGap });
  }
  const coarseStates = new RedisModelStateStore(o.redis, { prefix: `${o.prefix}:detect:coarse` });
  const coarse =
    coarseView !== undefined && coarseInterval !== undefined && coarseGap === undefined
      ? new Detector(coarseStates, {
          step: coarseInterval.step,
          metrics: coarseView.metrics,
          ...(o.threshold !== undefined ? { alerts: { threshold: o.threshold } } : {}),
        })
      : undefined;
  let lastPrune = 0;
  const detector = new Detector(states, {
    step: STEP,
    metrics,
    ...(o.threshold !== undefined ? { alerts: { threshold: o.threshold } } : {}),
  });
  const alerts = new AlertStore(o.redis, { prefix: `${o.prefix}:alerts` });
  const webhook = o.webhookUrl ? new WebhookNotifier({ url: o.webhookUrl }) : undefined;
  const cursorKey = `{${o.prefix}:detect}:cursor`;
  const peerCursorKey = `{${o.prefix}:detect}:peerCursor`;
  const coarseCursorKey = `{${o.prefix}:detect}:coarseCursor`;
  const grace = o.graceSteps ?? 1;
  const names = Object.keys(metrics);
  // The IPs active in a minute on each side come from one ranked read of that side's connection
  // count (which also gives its values); every other metric of the side (bytes, distinct counts,
  // state mixes) is read for those IPs in one batched read (one pipelined round trip per store
  // shard). A count metric of a side without a connection count keeps its own ranked read.
  const countMetric = (side: string) => `conn.count.${side}`;
  const reader = createBucketReader(o.redis, o.store.config);
  const bySide = new Map<string, string[]>();
  const ranked: string[] = [];
  for (const metric of names) {
    const def = known.get(metric)!;
    if (metric === countMetric(def.key)) continue;
    if (def.type === 'count' && !known.has(countMetric(def.key))) {
      ranked.push(metric);
      continue;
    }
    const list = bySide.get(def.key) ?? [];
    list.push(metric);
    bySide.set(def.key, list);
  }

  async function bucketsAt(ts: number): Promise<ClosedBucket[]> {
    const out: ClosedBucket[] = [];
    const active = new Map<string, string[]>();
    for (const side of ['orig', 'resp']) {
      const metric = countMetric(side);
      const top = known.has(metric) ? await o.store.top({ metric, interval: INTERVAL, from: ts, to: ts, limit: 10_000 }) : [];
      active.set(side, top.map((t) => t.entity));
      if (metrics[metric] !== undefined) for (const t of top) out.push({ metric, entity: t.entity, ts, value: t.value });
    }
    for (const metric of ranked) {
      const top = await o.store.top({ metric, interval: INTERVAL, from: ts, to: ts, limit: 10_000 });
      for (const t of top) out.push({ metric, entity: t.entity, ts, value: t.value });
    }
    for (const [side, metrics] of bySide) {
      const entities = active.get(side) ?? [];
      if (entities.length === 0) continue;
      const many = await reader.getMany({ metrics, entities, interval: INTERVAL, ts });
      for (const metric of metrics) {
        const histogram = known.get(metric)!.type === 'histogram';
        for (const [entity, value] of many.values.get(metric) ?? []) {
          if (histogram) {
            const h = value as Record<string, number>;
            if (Object.keys(h).length > 0) out.push({ metric, entity, ts, histogram: h });
          } else if (typeof value === 'number' && value > 0) {
            out.push({ metric, entity, ts, value });
          }
        }
      }
    }
    return out;
  }

  /** The peers of every originator active in the peer bucket at `ts` (ranked by connections): connections and (when kept) bytes per peer. */
  async function peerBucketsAt(ts: number, view: { connections: string; bytes?: string }, interval: string): Promise<PeerBucket[]> {
    const top = await o.store.top({ metric: 'conn.count.orig', interval, from: ts, to: ts, limit: 10_000 });
    const entities = top.map((t) => t.entity);
    if (entities.length === 0) return [];
    const many = await reader.getMany({ metrics: peerMetrics, entities, interval, ts });
    const conns = many.values.get(view.connections) ?? new Map();
    const bytes = view.bytes === undefined ? undefined : many.values.get(view.bytes);
    const out: PeerBucket[] = [];
    for (const [entity, value] of conns) {
      const counts = value as Record<string, number>;
      const weights = (bytes?.get(entity) ?? {}) as Record<string, number>;
      const map = new Map<string, PeerActivity>();
      for (const [peer, n] of Object.entries(counts)) if (n > 0) map.set(peer, { conns: n, bytes: weights[peer] ?? 0 });
      if (map.size > 0) out.push({ entity, ts, peers: map });
    }
    return out;
  }

  async function deliver(ts: number, events: AlertEvent[]): Promise<void> {
    if (events.length === 0) return;
    await alerts.apply(events);
    if (webhook) {
      for (const delivery of await webhook.notifyAll(events)) {
        if (delivery instanceof Error) o.log.warn('webhook delivery failed', { error: delivery });
      }
    }
    o.log.info('alert events', { ts, events: events.map((e) => `${e.type} ${e.alert.metric} ${e.alert.entity}`) });
  }

  let running: Promise<number> | undefined;
  async function runOnce(): Promise<number> {
    const newest = await o.store.newest();
    if (newest === null) return 0;
    const lastClosed = Math.floor(newest / STEP) * STEP - grace * STEP;
    const firstStart = lastClosed - ((o.startSteps ?? 60) - 1) * STEP;
    const minutes = await runBuckets(cursorKey, STEP, lastClosed, firstStart, async (ts) => (await detector.processStep(ts, await bucketsAt(ts))).events);
    const scored = minutes.scored;
    // Wider buckets close with their last minute.
    if (peers !== undefined && peerView !== undefined && peerInterval !== undefined && !peerActiveGap) {
      await runBuckets(peerCursorKey, peerStep, minutes.last, firstStart, async (ts) => (await peers.processStep(ts, await peerBucketsAt(ts, peerView, peerInterval.name))).events);
    }
    if (coarse !== undefined && coarseView !== undefined && coarseInterval !== undefined) {
      await runBuckets(coarseCursorKey, coarseInterval.step, minutes.last, firstStart, async (ts) => (await coarse.processStep(ts, await coarseBucketsAt(ts, coarseView))).events);
    }
    // Series silent for longer than the days interval keeps data are forgotten, once an hour.
    if (scored > 0 && Date.now() - lastPrune > 3_600_000) {
      lastPrune = Date.now();
      const pruned =
        (await states.prune(lastClosed - 2 * 86_400)) +
        (peers === undefined ? 0 : await peerStates.prune(lastClosed - 2 * 86_400)) +
        (coarse === undefined ? 0 : await coarseStates.prune(lastClosed - 2 * 86_400));
      if (pruned > 0) o.log.info('pruned dormant series state', { pruned });
    }
    return scored;
  }

  /**
   * Scores the buckets of `step` seconds (the minutes themselves, or wider ones) closed by the
   * minute `lastMinute` (a bucket is closed when its last minute is), from the cursor under
   * `key`; on first start from the bucket holding `firstStart`. At most `catchUpSteps` buckets
   * a call. Returns how many were scored and the last bucket scored (the cursor).
   */
  async function runBuckets(key: string, step: number, lastMinute: number, firstStart: number, score: (ts: number) => Promise<AlertEvent[]>): Promise<{ scored: number; last: number }> {
    const lastClosed = Math.floor((lastMinute + STEP) / step) * step - step;
    const first = Math.floor(firstStart / step) * step;
    const cursorText = await o.redis.get(key);
    let next = cursorText === null ? first : Number(cursorText) + step;
    // Too far behind (a long outage, or a capture from another time): start near the data.
    if (lastClosed - next > 2 * 86_400) next = first;
    let scored = 0;
    for (; next <= lastClosed && scored < (o.catchUpSteps ?? 120); scored++) {
      await deliver(next, await score(next));
      await o.redis.set(key, String(next));
      next += step;
    }
    return { scored, last: next - step };
  }

  /** Every ranked series of the coarse metrics in the bucket at `ts`. */
  async function coarseBucketsAt(ts: number, view: { interval: string; metrics: Record<string, Partial<MetricDetection>> }): Promise<ClosedBucket[]> {
    const out: ClosedBucket[] = [];
    for (const metric of Object.keys(view.metrics)) {
      for (const t of await o.store.top({ metric, interval: view.interval, from: ts, to: ts, limit: 10_000 })) out.push({ metric, entity: t.entity, ts, value: t.value });
    }
    return out;
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    if (stopped) return;
    try {
      running = runOnce();
      await running;
    } catch (error) {
      o.log.warn('detect step failed; will retry', { error });
    } finally {
      running = undefined;
      if (!stopped) timer = setTimeout(() => void loop(), o.pollMs ?? 2000);
    }
  };
  timer = setTimeout(() => void loop(), 0);

  return {
    runOnce: async () => {
      if (running) await running.catch(() => undefined);
      return runOnce();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
