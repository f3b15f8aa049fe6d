import type { Cluster, Redis } from 'ioredis';
import { AlertStore, Detector, RedisModelStateStore, WebhookNotifier, type ClosedBucket, type MetricDetection } from '@ipscope/detect';
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
}

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
  let lastPrune = 0;
  const detector = new Detector(states, {
    step: STEP,
    metrics,
    ...(o.threshold !== undefined ? { alerts: { threshold: o.threshold } } : {}),
  });
  const alerts = new AlertStore(o.redis, { prefix: `${o.prefix}:alerts` });
  const webhook = o.webhookUrl ? new WebhookNotifier({ url: o.webhookUrl }) : undefined;
  const cursorKey = `{${o.prefix}:detect}:cursor`;
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

  let running: Promise<number> | undefined;
  async function runOnce(): Promise<number> {
    const newest = await o.store.newest();
    if (newest === null) return 0;
    const lastClosed = Math.floor(newest / STEP) * STEP - grace * STEP;
    const cursorText = await o.redis.get(cursorKey);
    let next = cursorText === null ? lastClosed - ((o.startSteps ?? 60) - 1) * STEP : Number(cursorText) + STEP;
    // Too far behind (a long outage, or a capture from another time): start near the data.
    if (lastClosed - next > 2 * 86_400) next = lastClosed - ((o.startSteps ?? 60) - 1) * STEP;
    let scored = 0;
    while (next <= lastClosed && scored < (o.catchUpSteps ?? 120)) {
      const buckets = await bucketsAt(next);
      const result = await detector.processStep(next, buckets);
      if (result.events.length > 0) {
        await alerts.apply(result.events);
        if (webhook) {
          for (const delivery of await webhook.notifyAll(result.events)) {
            if (delivery instanceof Error) o.log.warn('webhook delivery failed', { error: delivery });
          }
        }
        o.log.info('alert events', { ts: next, events: result.events.map((e) => `${e.type} ${e.alert.metric} ${e.alert.entity}`) });
      }
      await o.redis.set(cursorKey, String(next));
      next += STEP;
      scored++;
    }
    // Series silent for longer than the days interval keeps data are forgotten, once an hour.
    if (scored > 0 && Date.now() - lastPrune > 3_600_000) {
      lastPrune = Date.now();
      const pruned = await states.prune(lastClosed - 2 * 86_400);
      if (pruned > 0) o.log.info('pruned dormant series state', { pruned });
    }
    return scored;
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
