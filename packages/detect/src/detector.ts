import { alertId, explain } from './alert';
import type { Alert, AlertEvent } from './alert';
import { resolveAlertOptions } from './alertTracker';
import type { AlertOptions, AlertTransition } from './alertTracker';
import type { Histogram } from './distributionModel';
import { InvalidBucketError, InvalidOptionError } from './errors';
import type { ModelStateStore, StoredState } from './modelStateStore';
import { PopulationModel } from './populationModel';
import { combineViews } from './scoreCombiner';
import type { ViewResult } from './scoreCombiner';
import { resolveSeriesModelOptions } from './seriesModel';
import type { SeriesModelOptions, SeriesScore } from './seriesModel';
import { SeriesState } from './seriesState';
import { STATE_COUNT_OFFSET, decodeState, encodeState, isOutdatedState } from './stateCodec';

/** One closed bucket of one series, as the store reports it. Exactly one of value / histogram. */
export interface ClosedBucket {
  metric: string;
  /** The IP (or other key) the series belongs to. */
  entity: string;
  /** Bucket start, epoch seconds. */
  ts: number;
  value?: number;
  histogram?: Histogram;
}

/** How a metric's series are modelled. */
export interface MetricDetection {
  /** `value` series take numbers; `histogram` series take category counts. Default `value`. */
  kind: 'value' | 'histogram';
  /**
   * What a step without a bucket for a known series means. `zero` (default, right for
   * counts): nothing happened, score a zero — this is how a host going silent is seen.
   * `skip`: no data, learn nothing.
   */
  missing: 'zero' | 'skip';
  /**
   * Model options for this metric on top of the detector's `model` (e.g. `{offset: 1}`
   * for counts). The offline scorer reproduces this metric's scores with the same
   * options (`ipscope score --offset …`).
   */
  model?: Partial<SeriesModelOptions>;
}

/** Detector options; every field has a documented default. */
export interface DetectorOptions {
  /** Bucket width in seconds of the series this detector scores. Default 60. */
  step: number;
  /** Per-metric settings; metrics not listed use `defaultMetric`. */
  metrics: Record<string, Partial<MetricDetection>>;
  defaultMetric: MetricDetection;
  /** Model options (same for every series; the offline scorer must use the same). */
  model: Partial<SeriesModelOptions>;
  /** When scores become alerts. */
  alerts: Partial<AlertOptions>;
  /** A known series missing for longer than this (seconds) is no longer filled with zeros. Default 86400. */
  silenceHorizon: number;
  /** Newcomer view: seconds the detector must have run before "new" means new. Default 3600. 0 disables the view. */
  newcomerAfter: number;
  /** Buckets of a new series scored by the newcomer view. Default 3. */
  newcomerBuckets: number;
  /** Only series whose id hashes to `index` of `count` are handled (detectors sharded by series hash). Default: all. */
  shard: { index: number; count: number } | undefined;
}

export const defaultDetectorOptions: DetectorOptions = {
  step: 60,
  metrics: {},
  defaultMetric: { kind: 'value', missing: 'zero' },
  model: {},
  alerts: {},
  silenceHorizon: 86_400,
  newcomerAfter: 3600,
  newcomerBuckets: 3,
  shard: undefined,
};

/** The score of one series for one step, as returned by {@link Detector.processStep}. */
export interface DetectorScore extends SeriesScore {
  metric: string;
  entity: string;
  /** True when the bucket was missing and filled in (`missing: 'zero'`). */
  filled: boolean;
  /** Score of the newcomer view for young series (0 otherwise); alerts use the larger of the two. */
  newcomerScore: number;
}

/** What one step produced. */
export interface StepResult {
  ts: number;
  scores: DetectorScore[];
  events: AlertEvent[];
  /** Buckets already learned earlier (a replayed step) and therefore ignored. */
  skipped: number;
}

/** Joins metric and entity into a series id. Metric names must not contain `|`. */
export function seriesId(metric: string, entity: string): string {
  return `${metric}|${entity}`;
}

/** Splits a series id made by {@link seriesId}. */
export function parseSeriesId(id: string): { metric: string; entity: string } {
  const bar = id.indexOf('|');
  if (bar < 0) throw new InvalidBucketError(`series id ${JSON.stringify(id)} has no "|" between metric and entity`);
  return { metric: id.slice(0, bar), entity: id.slice(bar + 1) };
}

/** FNV-1a hash of a string, for shard assignment. */
export function seriesHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface Work {
  id: string;
  metric: string;
  entity: string;
  input: number | Histogram;
  filled: boolean;
  histogram: boolean;
}

/**
 * Scores closed buckets of many series per step, keeping per-series state in a
 * {@link ModelStateStore}, and turns sustained anomalies into alert events.
 *
 * Per step: validate the buckets; add a zero for every known series of a
 * `missing: 'zero'` metric that sent nothing (silence is data); load all states in one
 * batch; for each series score and learn (the same {@link SeriesState.update} the
 * offline scorer runs), add the newcomer view for young series, and run the alert
 * tracker; save all states in one batch. A step already learned is recognised per
 * series by its timestamp and skipped, so replaying a step is harmless.
 *
 * The detector knows nothing of the store package, Kafka or HTTP: plain buckets in,
 * scores and {@link AlertEvent}s out. Apply the events to an `AlertStore` and a
 * `WebhookNotifier` to persist and deliver them.
 */
export class Detector {
  readonly options: DetectorOptions;
  private readonly modelOptions: SeriesModelOptions;
  private readonly metricModelOptions = new Map<string, SeriesModelOptions>();
  private readonly alertOptions: AlertOptions;
  private readonly store: ModelStateStore;

  constructor(store: ModelStateStore, options: Partial<DetectorOptions> = {}) {
    const merged: DetectorOptions = { ...defaultDetectorOptions, ...options };
    if (!(merged.step > 0 && Number.isFinite(merged.step))) {
      throw new InvalidOptionError('step', `must be a positive number of seconds, e.g. 60 (got ${merged.step})`);
    }
    if (!(merged.silenceHorizon >= 0)) throw new InvalidOptionError('silenceHorizon', `must be ≥ 0 seconds, e.g. 86400 (got ${merged.silenceHorizon})`);
    if (!(merged.newcomerAfter >= 0)) throw new InvalidOptionError('newcomerAfter', `must be ≥ 0 seconds, e.g. 3600 (got ${merged.newcomerAfter})`);
    if (!Number.isInteger(merged.newcomerBuckets) || merged.newcomerBuckets < 1) {
      throw new InvalidOptionError('newcomerBuckets', `must be an integer ≥ 1, e.g. 3 (got ${merged.newcomerBuckets})`);
    }
    if (merged.shard !== undefined) {
      const { index, count } = merged.shard;
      if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
        throw new InvalidOptionError('shard', `needs integers 0 ≤ index < count, e.g. {index: 0, count: 2} (got ${JSON.stringify(merged.shard)})`);
      }
    }
    for (const [metric, config] of Object.entries(merged.metrics)) {
      if (metric.includes('|')) throw new InvalidOptionError(`metrics.${metric}`, 'metric names must not contain "|"');
      if (config.kind !== undefined && config.kind !== 'value' && config.kind !== 'histogram') {
        throw new InvalidOptionError(`metrics.${metric}.kind`, `must be "value" or "histogram" (got ${JSON.stringify(config.kind)})`);
      }
      if (config.missing !== undefined && config.missing !== 'zero' && config.missing !== 'skip') {
        throw new InvalidOptionError(`metrics.${metric}.missing`, `must be "zero" or "skip" (got ${JSON.stringify(config.missing)})`);
      }
    }
    this.options = merged;
    this.modelOptions = resolveSeriesModelOptions(merged.model);
    for (const [metric, config] of Object.entries(merged.metrics)) {
      if (config.model !== undefined) this.metricModelOptions.set(metric, resolveSeriesModelOptions({ ...merged.model, ...config.model }));
    }
    this.alertOptions = resolveAlertOptions(merged.alerts);
    this.store = store;
  }

  /** The resolved model options, to run the offline scorer with the same settings. */
  get seriesModelOptions(): SeriesModelOptions {
    return this.modelOptions;
  }

  /** The resolved model options a metric's series use (the offline scorer must use the same). */
  modelOptionsFor(metric: string): SeriesModelOptions {
    return this.metricModelOptions.get(metric) ?? this.modelOptions;
  }

  private metricConfig(metric: string): MetricDetection {
    return { ...this.options.defaultMetric, ...this.options.metrics[metric] };
  }

  private owns(id: string): boolean {
    const shard = this.options.shard;
    return shard === undefined || seriesHash(id) % shard.count === shard.index;
  }

  /** Scores every series for the closed step starting at `ts` (epoch seconds). */
  async processStep(ts: number, buckets: readonly ClosedBucket[]): Promise<StepResult> {
    if (!Number.isFinite(ts) || ts % this.options.step !== 0) {
      throw new InvalidBucketError(`step start ${ts} must be a multiple of the step ${this.options.step} s`);
    }
    const work = new Map<string, Work>();
    for (const bucket of buckets) this.accept(ts, bucket, work);
    await this.fillSilentSeries(ts, work);
    const items = [...work.values()];
    const stored = await this.store.load(items.map((item) => item.id));
    const populations = await this.loadPopulations(items, stored);
    const newcomers: { metric: string; value: number; score: number }[] = [];
    const scores: DetectorScore[] = [];
    const events: AlertEvent[] = [];
    const toSave: StoredState[] = [];
    let skipped = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Work;
      // A state written by another model version is relearned from scratch (cold start).
      const saved = stored[i];
      const bytes = saved !== undefined && isOutdatedState(saved) ? undefined : saved;
      if (bytes === undefined && item.filled) continue;
      const modelOptions = this.modelOptionsFor(item.metric);
      const state =
        bytes === undefined ? SeriesState.create(this.options.step, true, item.histogram, modelOptions) : decodeState(bytes, modelOptions);
      if (state.isHistogram !== item.histogram) {
        throw new InvalidBucketError(
          `series ${item.id} is stored as a ${state.isHistogram ? 'histogram' : 'value'} series but metric ${item.metric} is configured as ${item.histogram ? 'histogram' : 'value'}`,
        );
      }
      if (state.model.step !== this.options.step) {
        throw new InvalidBucketError(`series ${item.id} was learned with step ${state.model.step} s; this detector runs step ${this.options.step} s`);
      }
      if (ts <= state.model.lastTs) {
        skipped++;
        continue;
      }
      const youngBefore = state.model.count;
      const score = state.update(ts, item.input);
      const newcomer = this.newcomerView(item, youngBefore, ts, populations, newcomers);
      const newcomerScore = newcomer === undefined ? 0 : combineViews([newcomer]).score;
      const alertScore = Math.max(score.score, newcomerScore);
      const alertView = newcomerScore > score.score ? newcomer : topView(score);
      const transition = state.tracker.observe(ts, alertScore, alertView?.view, this.alertOptions);
      if (transition !== undefined) events.push(this.event(item, score, alertScore, alertView, transition));
      scores.push(Object.assign(score, { metric: item.metric, entity: item.entity, filled: item.filled, newcomerScore }));
      toSave.push({ id: item.id, state: encodeState(state), lastSeen: item.filled ? undefined : ts });
    }
    for (const { metric, value, score } of newcomers) if (score < this.modelOptions.learningGuard) populations.get(metric)?.learn(value);
    await this.store.save(toSave);
    for (const [metric, population] of populations) await this.store.saveShared(`population:${metric}`, population.encode());
    return { ts, scores, events, skipped };
  }

  private accept(ts: number, bucket: ClosedBucket, work: Map<string, Work>): void {
    const where = (): string => `bucket ${JSON.stringify(bucket.metric)}/${JSON.stringify(bucket.entity)}`;
    if (typeof bucket.metric !== 'string' || bucket.metric === '' || bucket.metric.includes('|')) {
      throw new InvalidBucketError(`${where()}: metric must be a non-empty string without "|"`);
    }
    if (typeof bucket.entity !== 'string' || bucket.entity === '') throw new InvalidBucketError(`${where()}: entity must be a non-empty string`);
    if (bucket.ts !== ts) throw new InvalidBucketError(`${where()}: ts ${bucket.ts} is not the step being processed (${ts})`);
    const config = this.metricConfig(bucket.metric);
    const histogram = config.kind === 'histogram';
    let input: number | Histogram;
    if (histogram) {
      if (bucket.histogram === undefined || bucket.value !== undefined || typeof bucket.histogram !== 'object' || bucket.histogram === null) {
        throw new InvalidBucketError(`${where()}: metric ${bucket.metric} is a histogram metric; give \`histogram\` (category → count) and no \`value\``);
      }
      for (const [category, count] of Object.entries(bucket.histogram)) {
        if (!(typeof count === 'number' && Number.isFinite(count) && count >= 0)) {
          throw new InvalidBucketError(`${where()}: histogram count for ${JSON.stringify(category)} must be a finite number ≥ 0, got ${String(count)}`);
        }
      }
      input = bucket.histogram;
    } else {
      if (typeof bucket.value !== 'number' || !Number.isFinite(bucket.value) || bucket.histogram !== undefined) {
        throw new InvalidBucketError(`${where()}: metric ${bucket.metric} is a value metric; give a finite \`value\` (got ${String(bucket.value)})`);
      }
      input = bucket.value;
    }
    const id = seriesId(bucket.metric, bucket.entity);
    if (!this.owns(id)) return;
    if (work.has(id)) throw new InvalidBucketError(`${where()}: two buckets for the same series in step ${ts}`);
    work.set(id, { id, metric: bucket.metric, entity: bucket.entity, input, filled: false, histogram });
  }

  private async fillSilentSeries(ts: number, work: Map<string, Work>): Promise<void> {
    const known = await this.store.listActive(ts - this.options.silenceHorizon);
    for (const id of known) {
      if (work.has(id) || !this.owns(id)) continue;
      const { metric, entity } = parseSeriesId(id);
      const config = this.metricConfig(metric);
      if (config.missing !== 'zero') continue;
      const histogram = config.kind === 'histogram';
      work.set(id, { id, metric, entity, input: histogram ? {} : 0, filled: true, histogram });
    }
  }

  /** Population models of the metrics that have young series in this step, loaded once. */
  private async loadPopulations(items: readonly Work[], stored: readonly (Uint8Array | undefined)[]): Promise<Map<string, PopulationModel>> {
    const populations = new Map<string, PopulationModel>();
    if (this.options.newcomerAfter === 0) return populations;
    const metrics = new Set<string>();
    items.forEach((item, i) => {
      const bytes = stored[i];
      if (item.filled) return;
      // A state's bucket count sits in its header; young series need their population.
      if (bytes === undefined || youngState(bytes, this.options.newcomerBuckets)) metrics.add(item.metric);
    });
    for (const metric of metrics) {
      const bytes = await this.store.loadShared(`population:${metric}`);
      populations.set(metric, bytes === undefined ? PopulationModel.create() : PopulationModel.decode(bytes));
    }
    return populations;
  }

  private newcomerView(
    item: Work,
    countBefore: number,
    ts: number,
    populations: Map<string, PopulationModel>,
    newcomers: { metric: string; value: number; score: number }[],
  ): ViewResult | undefined {
    if (this.options.newcomerAfter === 0 || countBefore >= this.options.newcomerBuckets || item.filled) return undefined;
    const population = populations.get(item.metric);
    if (population === undefined) return undefined;
    const value = typeof item.input === 'number' ? item.input : sumHistogram(item.input);
    const view = population.score(ts, value, this.options.newcomerAfter);
    if (countBefore === 0) newcomers.push({ metric: item.metric, value, score: view === undefined ? 0 : combineViews([view]).score });
    return view;
  }

  private event(item: Work, score: SeriesScore, alertScore: number, view: ViewResult | undefined, transition: AlertTransition): AlertEvent {
    const alert: Alert = {
      id: alertId(item.metric, item.entity, transition.start, this.options.step),
      metric: item.metric,
      entity: item.entity,
      severity: transition.severity,
      state: transition.type === 'close' ? 'ended' : 'active',
      start: transition.start,
      end: transition.end ?? null,
      lastTs: score.ts,
      score: alertScore,
      peakScore: transition.peakScore,
      view: transition.peakView ?? view?.view ?? 'spike',
      direction: score.direction ?? 'up',
      expected: score.expected,
      observed: score.value,
      lower: score.lower,
      upper: score.upper,
      // On buckets wider than a minute the explanation says so ("conn.count.orig per 30 minutes of …").
      explanation: explain(this.options.step === 60 ? item.metric : `${item.metric} per ${this.options.step % 60 === 0 ? `${this.options.step / 60} minutes` : `${this.options.step} s`}`, item.entity, score, view),
      acknowledged: null,
      resolved: null,
    };
    return { type: transition.type, alert };
  }
}

/** Bucket count of an encoded state below `limit`? (Reads the header without decoding.) */
function youngState(bytes: Uint8Array, limit: number): boolean {
  if (bytes.length < STATE_COUNT_OFFSET + 4) return true;
  const count = new DataView(bytes.buffer, bytes.byteOffset + STATE_COUNT_OFFSET, 4).getUint32(0, true);
  return count < limit;
}

function topView(score: SeriesScore): ViewResult | undefined {
  return score.views.find((view) => view.view === score.view);
}

function sumHistogram(histogram: Histogram): number {
  let total = 0;
  for (const count of Object.values(histogram)) total += count;
  return total;
}
