import type { ChainableCommander } from 'ioredis';
import { chunkOf, cutoffIndex } from './bucket';
import { combineValues, emptyValue, histogramFromMap, type BucketValue, type BucketValues } from './bucketValue';
import { backend, execPipeline, readNewest, type StoreContext } from './context';
import { parseDuration, type Duration } from './duration';
import { BackendError, InvalidQueryError } from './errors';
import { lookupEntity, lookupInterval, lookupMetric } from './lookup';
import type { MetricType, ResolvedInterval, ResolvedMetric } from './options';
import { resolveRange, type BucketRange, type RangeQuery } from './range';
import { applyTransform, checkTransform, type Transform } from './transforms';
import { ipFromKey } from './canonicalIp';
import { metricIds } from './metricIds';
import { seriesScript } from './seriesScript';
import { parseHashDump, type DumpEntry } from './hashDump';
import { ALL_ENTITIES_FIELD } from './seriesGeneration';

/** A `series` request. */
export interface SeriesQuery extends RangeQuery {
  metric: string;
  /** IP address, any valid spelling. */
  entity: string;
  interval: string;
  /** Reduce each (condensed) bucket to a number; see {@link Transform}. */
  transform?: Transform;
  /**
   * Combine buckets into coarser ones: `true` = one per step of the interval (useful with a
   * `resolution`), or a width (seconds or `"1h"`) that is a multiple of the bucket width.
   */
  condense?: boolean | Duration;
  /** Combine the whole range into one point. */
  collapse?: boolean;
}

/** One point: bucket start (unix seconds, UTC) and its value. */
export interface Point<V> {
  ts: number;
  value: V;
}

/** Untransformed points, typed by the metric type. */
export type RawPoints = { [T in MetricType]: { type: T; transform: null; points: Point<BucketValues[T]>[] } }[MetricType];

/** Transformed points: one number (or null when undefined, e.g. the mean of nothing) per point. */
export interface TransformedPoints {
  type: MetricType;
  transform: Transform;
  points: Point<number | null>[];
}

/** What `series` returns: ordered points from `from` to `to`, empty buckets filled. */
export type SeriesResult = (RawPoints | TransformedPoints) & {
  metric: string;
  /** Canonical text of the IP. */
  entity: string;
  interval: string;
  /** Seconds covered by each point. */
  step: number;
  /** Start of the first bucket of the range. */
  from: number;
  /** End (exclusive) of the last bucket of the range. */
  to: number;
};

interface Plan {
  metric: ResolvedMetric;
  interval: ResolvedInterval;
  entityKey: string;
  shard: number;
  transform: Transform | null;
  /** Width of an output point in buckets; 0 = collapse. */
  groupBuckets: number;
}

/** Checks everything in a series request that does not need Redis. */
export function planSeries(ctx: StoreContext, q: SeriesQuery): Plan {
  if (typeof q !== 'object' || q === null) throw new InvalidQueryError('query', 'must be an object {metric, entity, interval, ...}');
  const metric = lookupMetric(ctx.config, q.metric);
  const interval = lookupInterval(metric, q.interval);
  const entityKey = lookupEntity(q.entity);
  const transform = q.transform === undefined ? null : checkTransform(q.transform, metric.type, metric.name);
  let groupBuckets = 1;
  if (q.collapse !== undefined && typeof q.collapse !== 'boolean') throw new InvalidQueryError('collapse', `must be true or false, got ${String(q.collapse)}`);
  if (q.collapse) groupBuckets = 0;
  else if (q.condense === true) groupBuckets = interval.step / interval.resolution;
  else if (q.condense !== undefined && q.condense !== false) {
    const d = parseDuration(q.condense);
    if (!d.ok) throw new InvalidQueryError('condense', d.reason);
    if (d.seconds % interval.resolution !== 0) {
      throw new InvalidQueryError('condense', `(${d.seconds}s) must be a multiple of the bucket width of interval ${interval.name} (${interval.resolution}s)`);
    }
    groupBuckets = d.seconds / interval.resolution;
  }
  return { metric, interval, entityKey, shard: ctx.keys.shardOf(entityKey), transform, groupBuckets };
}

/**
 * Stored buckets of a series within [first, last] (visible ones only): `values[idx - first]` is
 * the bucket's value, `undefined` where nothing is stored.
 */
interface Stored {
  first: number;
  values: (BucketValue | undefined)[];
  /** The entity's write generations when the data was read (seriesGeneration.ts), as text. */
  stamp: string;
}

/** One bucket's stored value of a count, gauge, series or hll metric, as a dump entry. */
function parseEntry(type: MetricType, entry: DumpEntry): BucketValue {
  if (typeof entry === 'string') return parseStored(type, entry);
  if (type === 'series') return [entry];
  if (type === 'hll') return 0;
  return entry;
}

/** Parses one bucket's stored text of a count, gauge, series or hll metric. */
function parseStored(type: MetricType, text: string): BucketValue {
  if (type === 'series') return text.split(',').map(Number);
  if (type === 'hll') return 0;
  return Number(text);
}

const fieldNameCache = new Map<string, readonly string[]>();

/** Field names of a metric's buckets in a values hash, by offset (see keyScheme.ts). */
function fieldNames(id: number, chunk: number): readonly string[] {
  const key = `${id}:${chunk}`;
  let names = fieldNameCache.get(key);
  if (!names) {
    names = Array.from({ length: chunk }, (_, o) => String(id * chunk + o));
    fieldNameCache.set(key, names);
  }
  return names;
}

type ScriptReply = [[Buffer | null, Buffer | null], ...(Buffer | [Buffer] | null)[]];


/** The text of an entity's generation pair (entity's, all-entities'), as {@link Stored.stamp}. */
function stampText(pair: readonly (Buffer | string | null | undefined)[]): string {
  return `${pair[0] === null || pair[0] === undefined ? '' : String(pair[0])}/${pair[1] === null || pair[1] === undefined ? '' : String(pair[1])}`;
}

/** Queues the two reads of an entity's generation pair: its own, then the all-entities one. */
function addStampReads(ctx: StoreContext, pipeline: ChainableCommander, shard: number, entityKey: string): void {
  pipeline.hget(ctx.keys.entityGenerations(shard, entityKey), entityKey);
  pipeline.hget(ctx.keys.generations(shard), ALL_ENTITIES_FIELD);
}

/** Reads an entity's write generations alone (seriesGeneration.ts). */
async function readStamp(ctx: StoreContext, shard: number, entityKey: string): Promise<string> {
  const pipeline = ctx.client.pipeline();
  addStampReads(ctx, pipeline, shard, entityKey);
  const [entity, all] = await execPipeline(pipeline, 'reading write generations');
  return stampText([entity as string | null, all as string | null]);
}

/** Reads the stored buckets of a series within [first, last] (visible ones only). */
async function readStored(ctx: StoreContext, plan: Plan, first: number, last: number): Promise<Stored> {
  const { metric, interval, entityKey, shard } = plan;
  const values: (BucketValue | undefined)[] = new Array<BucketValue | undefined>(Math.max(0, last - first + 1));
  const out: Stored = { first, values, stamp: '' };
  if (first > last) {
    out.stamp = await readStamp(ctx, shard, entityKey);
    return out;
  }
  const id = (await metricIds(ctx)).get(metric.name) as number;
  const c0 = chunkOf(first, interval);
  const c1 = chunkOf(last, interval);
  if (metric.type !== 'histogram' && metric.type !== 'set') {
    // one script call (seriesScript.ts): each chunk's DUMP, or its wanted buckets as packed text
    const type = metric.type;
    const keys: string[] = [ctx.keys.generations(shard), ctx.keys.entityGenerations(shard, entityKey)];
    const args: (string | number)[] = [entityKey, interval.chunk, ...fieldNames(id, interval.chunk)];
    for (let c = c0; c <= c1; c++) {
      const base = c * interval.chunk;
      keys.push(ctx.keys.values(shard, entityKey, interval.name, c));
      args.push(Math.max(first, base) - base, Math.min(last, base + interval.chunk - 1) - base);
    }
    const [stamp, ...replies] = await backend(`reading ${metric.name}`, async () => (await seriesScript.runBuffer(ctx.client, keys, args)) as ScriptReply);
    out.stamp = stampText(stamp);
    const fb = id * interval.chunk;
    replies.forEach((reply, i) => {
      if (reply === null) return;
      const base = (c0 + i) * interval.chunk;
      const lo = Math.max(first, base);
      const hi = Math.min(last, base + interval.chunk - 1);
      if (Array.isArray(reply)) {
        const texts = String(reply[0]).split('|');
        if (texts.length !== hi - lo + 1) throw new BackendError(`reading ${metric.name}`, new Error(`expected ${hi - lo + 1} buckets, got ${texts.length}`));
        for (let k = 0; k < texts.length; k++) {
          const text = texts[k] as string;
          if (text !== '') values[lo + k - first] = parseStored(type, text);
        }
        return;
      }
      const entries = parseHashDump(reply);
      if (entries === null) throw new BackendError(`reading ${metric.name}`, new Error('Redis dumped a listpack hash in a format this version does not read'));
      for (let k = 0; k < entries.length; k += 2) {
        const field = entries[k] as DumpEntry;
        const idx = base + (typeof field === 'number' ? field : Number(field)) - fb;
        if (idx >= lo && idx <= hi) values[idx - first] = parseEntry(type, entries[k + 1] as DumpEntry);
      }
    });
    return out;
  }
  // The generations first: a write between them and the data makes the stamp older, never newer.
  const pipeline = ctx.client.pipeline();
  addStampReads(ctx, pipeline, shard, entityKey);
  // The flat reply as bytes: the hash holds every histogram and set metric of the entity, and
  // only this metric's fields in range are decoded. (The upper-case name keeps ioredis from
  // building an object of every field, as its `hgetall` does; the keys are found either way.)
  for (let c = c0; c <= c1; c++) pipeline.callBuffer('HGETALL', ctx.keys.labelled(shard, entityKey, interval.name, c));
  const [entityGeneration, allGeneration, ...replies] = await execPipeline(pipeline, `reading ${metric.name}`);
  out.stamp = stampText([entityGeneration as string | null, allGeneration as string | null]);
  const histograms = new Map<number, Map<string, number>>();
  const sets = new Map<number, string[]>();
  // the labelled hash holds every histogram and set metric of the entity: fields `<id * chunk + offset>:<label>`
  const fb = id * interval.chunk;
  replies.forEach((reply, i) => {
    const base = (c0 + i) * interval.chunk;
    // An object here would mean ioredis transformed the reply after all: fail loudly rather than read nothing.
    if (!Array.isArray(reply)) throw new BackendError(`reading ${metric.name}`, new Error('HGETALL came back as something other than a flat list of fields and values'));
    const flat = reply as Buffer[];
    for (let k = 0; k + 1 < flat.length; k += 2) {
      const field = flat[k] as Buffer;
      // The field's number, read from its digits up to the ':'.
      let n = 0;
      let sep = 0;
      for (let c = field[0]; sep < field.length && c !== 58; c = field[++sep]) n = n * 10 + ((c as number) - 48);
      const offset = n - fb;
      if (offset < 0 || offset >= interval.chunk) continue;
      const idx = base + offset;
      if (idx < first || idx > last) continue;
      const label = field.toString('utf8', sep + 1);
      if (metric.type === 'histogram') {
        let h = histograms.get(idx);
        if (!h) histograms.set(idx, (h = new Map()));
        h.set(label, Number((flat[k + 1] as Buffer).toString('latin1')));
      } else {
        let m = sets.get(idx);
        if (!m) sets.set(idx, (m = []));
        m.push(label);
      }
    }
  });
  for (const [idx, h] of histograms) values[idx - first] = histogramFromMap(h);
  for (const [idx, m] of sets) values[idx - first] = m.sort();
  return out;
}

interface Group {
  ts: number;
  first: number;
  last: number;
}

function groupsOf(range: BucketRange, plan: Plan, maxPoints: number): Group[] {
  const res = plan.interval.resolution;
  if (plan.groupBuckets === 0) return [{ ts: range.first * res, first: range.first, last: range.last }];
  const g = plan.groupBuckets;
  const g0 = Math.floor(range.first / g);
  const g1 = Math.floor(range.last / g);
  if (g1 - g0 + 1 > maxPoints) {
    throw new InvalidQueryError('to', `the range holds ${g1 - g0 + 1} points, more than maxPoints (${maxPoints}); narrow it, condense or use a coarser interval`);
  }
  const groups: Group[] = [];
  for (let k = g0; k <= g1; k++) {
    groups.push({ ts: k * g * res, first: Math.max(range.first, k * g), last: Math.min(range.last, (k + 1) * g - 1) });
  }
  return groups;
}

interface Window {
  range: BucketRange | null;
  visibleFirst: number;
  visibleLast: number;
}

/** The buckets a request covers and, of those, the retained ones, for a newest data time. */
function windowOf(plan: Plan, q: SeriesQuery, newest: number | null): Window {
  const range = resolveRange(plan.interval, q, newest);
  if (range === null) return { range, visibleFirst: 0, visibleLast: -1 };
  if (newest === null) return { range, visibleFirst: range.first, visibleLast: range.first - 1 };
  return {
    range,
    visibleFirst: Math.max(range.first, cutoffIndex(plan.interval, newest)),
    visibleLast: Math.min(range.last, Math.floor(newest / plan.interval.resolution)),
  };
}

function sameWindow(a: Window, b: Window): boolean {
  if (a.range === null || b.range === null) return a.range === b.range;
  return a.range.first === b.range.first && a.range.last === b.range.last && a.visibleFirst === b.visibleFirst && a.visibleLast === b.visibleLast;
}

/** What an answer of `series` depends on besides the request, as text (see {@link seriesVersion}). */
function versionText(view: Window, stamp: string): string {
  return view.range === null ? 'none' : `${view.range.first}:${view.range.last}:${view.visibleFirst}:${view.visibleLast}/${stamp}`;
}

/**
 * The version of a series request's answer, in one round trip (the newest data time and the
 * entity's write generations, read together): two calls with the same request that get the same
 * version get the same answer. It names the range, the retained part of it and the entity's write
 * generations (seriesGeneration.ts), so any write, delete or deleteMetric step that changes the
 * entity's data, or newer data moving the retention window over the range, changes it.
 */
export async function seriesVersion(ctx: StoreContext, q: SeriesQuery): Promise<string> {
  const plan = planSeries(ctx, q);
  if (ctx.client.isCluster) {
    // two slots, maybe two nodes: two calls
    const [newest, stamp] = await Promise.all([readNewest(ctx), readStamp(ctx, plan.shard, plan.entityKey)]);
    return versionText(windowOf(plan, q, newest), stamp);
  }
  // One Redis: both in one pipeline, i.e. one socket write (a cache hit's only Redis work).
  const pipeline = ctx.client.pipeline();
  pipeline.zscore(ctx.keys.newest(), 'n');
  addStampReads(ctx, pipeline, plan.shard, plan.entityKey);
  const [score, entity, all] = await execPipeline(pipeline, 'reading the newest data time and write generations');
  const newest = score === null || score === undefined ? null : Number(score);
  ctx.lastNewest = newest;
  return versionText(windowOf(plan, q, newest), stampText([entity as string | null, all as string | null]));
}

/** Runs a series request (see `Store.series`). */
export async function readSeries(ctx: StoreContext, q: SeriesQuery): Promise<SeriesResult> {
  return (await readVersionedSeries(ctx, q)).result;
}

/**
 * Runs a series request and says which version of the data it read (see {@link seriesVersion}):
 * the generations are read atomically with (or, for histograms and sets, just before) the data,
 * so a write racing the read can make the version older than the data — a later check then sees
 * a newer version and reads again —, never newer.
 */
export async function readVersionedSeries(ctx: StoreContext, q: SeriesQuery): Promise<{ result: SeriesResult; version: string }> {
  const plan = planSeries(ctx, q);
  const { metric, interval } = plan;
  // One round trip in the usual case: read the data for the newest time seen last, together with
  // the newest time itself; read again only if the fresh one moves the range or the retention.
  const guess = ctx.lastNewest;
  const fresh = readNewest(ctx);
  let view = guess === undefined ? null : windowOf(plan, q, guess);
  let reading = view && view.range ? readStored(ctx, plan, view.visibleFirst, view.visibleLast) : null;
  const newest = await fresh;
  const actual = windowOf(plan, q, newest);
  if (!view || !reading || !sameWindow(view, actual)) {
    reading?.catch(() => undefined); // the guess was wrong: its read is dropped, failed or not
    view = actual;
    reading = actual.range ? readStored(ctx, plan, actual.visibleFirst, actual.visibleLast) : null;
  }
  const { range } = view;
  const res = interval.resolution;
  const head = { metric: metric.name, entity: ipFromKey(plan.entityKey), interval: interval.name };
  if (range === null || reading === null) {
    const step = plan.groupBuckets === 0 ? res : plan.groupBuckets * res;
    return { result: { ...head, type: metric.type, transform: plan.transform, points: [], step, from: 0, to: 0 } as SeriesResult, version: versionText(view, '') };
  }
  const groups = groupsOf(range, plan, ctx.config.maxPoints);
  const stored = await reading;
  const version = versionText(view, stored.stamp);
  const vals = stored.values;
  const v0 = stored.first;
  const v1 = v0 + vals.length - 1;

  let hllCounts: number[] = [];
  if (metric.type === 'hll') {
    const pipeline = ctx.client.pipeline();
    const needed: boolean[] = [];
    for (const g of groups) {
      const keys: string[] = [];
      for (let idx = Math.max(g.first, v0); idx <= Math.min(g.last, v1); idx++) {
        if (vals[idx - v0] === undefined) continue;
        const chunk = chunkOf(idx, interval);
        keys.push(ctx.keys.hllBucket(plan.shard, metric.name, plan.entityKey, interval.name, chunk, idx - chunk * interval.chunk));
      }
      needed.push(keys.length > 0);
      if (keys.length > 0) pipeline.pfcount(...keys);
    }
    const counts = (await execPipeline(pipeline, `counting ${metric.name}`)) as number[];
    let c = 0;
    hllCounts = needed.map((n) => (n ? (counts[c++] as number) : 0));
  }

  const points = new Array<Point<BucketValue | number | null>>(groups.length);
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi] as Group;
    let value: BucketValue;
    if (metric.type === 'hll') {
      value = hllCounts[gi] as number;
    } else if (g.first === g.last) {
      const v = g.first >= v0 && g.first <= v1 ? vals[g.first - v0] : undefined;
      value = v === undefined ? emptyValue(metric.type) : v;
    } else {
      const values: BucketValue[] = [];
      for (let idx = Math.max(g.first, v0); idx <= Math.min(g.last, v1); idx++) {
        const v = vals[idx - v0];
        if (v !== undefined) values.push(v);
      }
      value = values.length === 0 ? emptyValue(metric.type) : values.length === 1 ? (values[0] as BucketValue) : combineValues(metric.type, values);
    }
    const seconds = (g.last - g.first + 1) * res;
    points[gi] = { ts: g.ts, value: plan.transform === null ? value : applyTransform(metric.type, value, plan.transform, seconds) };
  }
  const step = plan.groupBuckets === 0 ? (range.last - range.first + 1) * res : plan.groupBuckets * res;
  return { result: { ...head, type: metric.type, transform: plan.transform, points, step, from: range.first * res, to: (range.last + 1) * res } as SeriesResult, version };
}
