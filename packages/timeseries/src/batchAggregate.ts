import { InvalidIpError, InvalidSampleError } from './errors';
import type { KeyScheme } from './keyScheme';
import type { ResolvedConfig, ResolvedMetric } from './options';
import { MAX_MEMBER, MAX_TS, checkTs, checkValue, checkWeight, type EntityKeys } from './sample';
import { foldValue, newSeriesAgg, type MetricSeries, type SeriesAgg } from './seriesAgg';

/** One entity of a batch: its key, its shard and its series, by metric ordinal. */
interface EntityAgg {
  key: string;
  shard: number;
  series: (SeriesAgg | undefined)[];
}

/** A configured metric and its position in the configuration (an index into {@link EntityAgg.series}). */
interface MetricSlot {
  metric: ResolvedMetric;
  ordinal: number;
}

/**
 * {@link checkValue}, with its common cases (a whole count, an hll member of ordinary length)
 * decided in a comparison or two; anything else goes through the full check, which throws the
 * error that names the field.
 */
function checkedValue(value: number | string, m: ResolvedMetric, index: number): number | string {
  const type = m.type;
  if (type === 'count' && typeof value === 'number' && value >= 0 && Number.isSafeInteger(value)) return value;
  if (type === 'hll' && typeof value === 'string' && value.length > 0 && value.length <= MAX_MEMBER) return value;
  return checkValue(value, m, index);
}

/** {@link checkWeight} (1 when there is none), with a whole histogram weight decided inline. */
function checkedWeight(weight: number | undefined, m: ResolvedMetric, index: number): number {
  if (weight === undefined) return 1;
  if (m.type === 'histogram' && typeof weight === 'number' && weight >= 0 && Number.isSafeInteger(weight)) return weight;
  return checkWeight(weight, m, index);
}

const slotsByConfig = new WeakMap<ResolvedConfig, ReadonlyMap<string, MetricSlot>>();

function slotsOf(config: ResolvedConfig): ReadonlyMap<string, MetricSlot> {
  let slots = slotsByConfig.get(config);
  if (!slots) {
    slots = new Map([...config.metrics.values()].map((metric, ordinal) => [metric.name, { metric, ordinal }]));
    slotsByConfig.set(config, slots);
  }
  return slots;
}

/**
 * A batch pre-aggregated while it is produced: each {@link BatchAggregate.add} folds one
 * observation straight into metric → entity → bucket totals, without a `Sample` object per
 * observation, and {@link Store.writeAggregate} writes the result. Writing an aggregate leaves
 * Redis exactly as `bulkInsert` of the same samples in the same order would.
 *
 * Every observation is checked as `bulkInsert` checks a sample (configured metric, IP address,
 * time, value of the metric's type); a refused one throws {@link InvalidSampleError} naming the
 * observation by its position among those added, and leaves the aggregate as it was before it
 * (it is checked completely before anything is folded). Once written, add
 * nothing to it afterwards (writing it again, e.g. after a failed write, is fine). Create one with
 * {@link Store.aggregate}.
 */
export class BatchAggregate {
  private readonly slots: ReadonlyMap<string, MetricSlot>;
  /** Raw IP text -> entity, for this batch (the same spellings repeat). */
  private readonly byText = new Map<string, EntityAgg>();
  /** Entity key -> entity, so two spellings of one address share a series. */
  private readonly byKey = new Map<string, EntityAgg>();
  private readonly nowSeconds = Date.now() / 1000;
  /** Latest time {@link checkTs} accepts (the year 9999 or the future limit, whichever is sooner). */
  private readonly maxTs: number;
  private added = 0;
  private newestTs = -Infinity;
  // The last two entities looked up: an event's samples alternate between its two IPs.
  private text0 = '';
  private entity0: EntityAgg | undefined;
  private text1 = '';
  private entity1: EntityAgg | undefined;
  /** Metrics by ordinal, for {@link BatchAggregate.addFor}. */
  private readonly byOrdinal: readonly MetricSlot[];
  // The event of addFor: its time (checked at its first observation) and its two IPs (looked up
  // at their first observation).
  private eventTs = 0;
  private eventTsChecked = false;
  private readonly eventText: [string, string] = ['', ''];
  private readonly eventEntity: [EntityAgg | undefined, EntityAgg | undefined] = [undefined, undefined];

  constructor(
    readonly config: ResolvedConfig,
    private readonly keys: KeyScheme,
    private readonly entityKeys: EntityKeys,
  ) {
    this.slots = slotsOf(config);
    this.byOrdinal = [...this.slots.values()];
    this.maxTs = Math.min(MAX_TS, this.nowSeconds + config.maxFutureSeconds);
  }

  /** Observations added so far. */
  get size(): number {
    return this.added;
  }

  /** Newest observation time (whole seconds), or -Infinity when empty. */
  get newest(): number {
    return this.newestTs;
  }

  /**
   * Adds `value` of `metric` for the IP `entity` at unix time `ts` (seconds); a histogram value's
   * count grows by `weight` (default 1; 0 adds nothing). See {@link Sample}.
   */
  add(metric: string, entity: string, ts: number, value: number | string, weight?: number): void {
    const index = this.added;
    const slot = this.slots.get(metric);
    if (slot === undefined) {
      throw new InvalidSampleError(index, 'metric', `${JSON.stringify(metric)} is not a configured metric (known: ${[...this.slots.keys()].join(', ')})`);
    }
    const m = slot.metric;
    this.checkTime(ts, index);
    const checked = checkedValue(value, m, index);
    const w = checkedWeight(weight, m, index);
    let e: EntityAgg;
    if (entity === this.text0 && this.entity0 !== undefined) e = this.entity0;
    else if (entity === this.text1 && this.entity1 !== undefined) e = this.entity1;
    else {
      e = this.byText.get(entity) ?? this.entityOf(entity, index);
      this.text1 = this.text0;
      this.entity1 = this.entity0;
      this.text0 = entity;
      this.entity0 = e;
    }
    this.fold(e, slot.ordinal, m, ts, checked, index, w);
  }

  /** {@link checkTs}, with a time inside the accepted range decided in one comparison. */
  private checkTime(ts: number, index: number): void {
    if (!(typeof ts === 'number' && ts >= 0 && ts <= this.maxTs)) checkTs(ts, index, this.config, this.nowSeconds);
  }

  /** Folds a checked observation (position `index`) into entity `e`'s series of the metric at `ordinal`. */
  private fold(e: EntityAgg, ordinal: number, m: ResolvedMetric, ts: number, checked: number | string, index: number, w: number): void {
    if (w !== 0) {
      // A weight of 0 is checked like any observation (a bad IP is still refused), but there is nothing to fold.
      let agg = e.series[ordinal];
      if (agg === undefined) e.series[ordinal] = agg = newSeriesAgg(m, e.key, ts);
      foldValue(m, agg, ts, checked, index, undefined, w);
      if (ts > this.newestTs) this.newestTs = Math.floor(ts);
    }
    this.added = index + 1;
  }

  /**
   * The position of a configured metric, for {@link BatchAggregate.addFor}; -1 when `metric` is
   * not configured (then {@link BatchAggregate.add} gives the error).
   */
  slotOf(metric: string): number {
    return this.slots.get(metric)?.ordinal ?? -1;
  }

  /**
   * Starts the observations of one event for {@link BatchAggregate.addFor}: its time and its two
   * IPs. Nothing is checked yet (an event may give no observation at all).
   */
  event(ts: number, orig: string, resp: string): void {
    this.eventTs = ts;
    this.eventTsChecked = false;
    this.eventText[0] = orig;
    this.eventText[1] = resp;
    this.eventEntity[0] = undefined;
    this.eventEntity[1] = undefined;
  }

  /**
   * Exactly `add(metric, role === 0 ? orig : resp, ts, value, weight)` for the event started by
   * {@link BatchAggregate.event}, with `metric` given by its {@link BatchAggregate.slotOf} position:
   * the same checks in the same order, the same errors, the same aggregate. The event's time is
   * checked and its IPs looked up once, not per observation.
   */
  addFor(slot: number, role: 0 | 1, value: number | string, weight?: number): void {
    const index = this.added;
    const m = (this.byOrdinal[slot] as MetricSlot).metric;
    const ts = this.eventTs;
    if (!this.eventTsChecked) {
      this.checkTime(ts, index);
      this.eventTsChecked = true;
    }
    const checked = checkedValue(value, m, index);
    const w = checkedWeight(weight, m, index);
    let e = this.eventEntity[role];
    if (e === undefined) {
      const text = this.eventText[role];
      e = this.byText.get(text) ?? this.entityOf(text, index);
      this.eventEntity[role] = e;
    }
    this.fold(e, slot, m, ts, checked, index, w);
  }

  private entityOf(entity: string, index: number): EntityAgg {
    let key: string;
    try {
      key = this.entityKeys.keyOf(entity);
    } catch (error) {
      if (error instanceof InvalidIpError) throw new InvalidSampleError(index, 'entity', `is not an IP address: ${error.message}`);
      throw error;
    }
    let e = this.byKey.get(key);
    if (!e) {
      e = { key, shard: this.keys.shardOf(key), series: [] };
      this.byKey.set(key, e);
    }
    if (this.byText.size < 1_000_000) this.byText.set(entity, e);
    return e;
  }

  /** The aggregate grouped for writing: shard → metric → entity key → series. */
  byShard(): Map<number, Map<ResolvedMetric, MetricSeries>> {
    const metrics = [...this.slots.values()];
    const out = new Map<number, Map<ResolvedMetric, MetricSeries>>();
    for (const e of this.byKey.values()) {
      let shard = out.get(e.shard);
      if (!shard) out.set(e.shard, (shard = new Map()));
      for (let o = 0; o < e.series.length; o++) {
        const agg = e.series[o];
        if (agg === undefined) continue;
        const metric = (metrics[o] as MetricSlot).metric;
        let series = shard.get(metric);
        if (!series) shard.set(metric, (series = new Map()));
        series.set(e.key, agg);
      }
    }
    return out;
  }
}
