import { backend, execPipeline, readNewest, type StoreContext } from './context';
import { FenceConflictError, InvalidQueryError, InvalidSampleError, StoreBehindError, StoreError } from './errors';
import { metricIds } from './metricIds';
import { fenceMarkScript } from './fenceMarkScript';
import { checkSample, type CheckedSample, type EntityKeys, type Sample } from './sample';
import { ShardWriteBuilder, type ShardWrite } from './shardWrite';
import { writeScript } from './writeScript';
import { BatchAggregate } from './batchAggregate';

/**
 * Makes a write effectively-once: `scope` names a stream of batches (for example
 * `conn-topic/3`, a Kafka topic and partition) and `token` increases with every batch of the
 * scope (for example the offset of its last record).
 */
export interface Fence {
  scope: string;
  token: number;
}

/** Options of a write. */
export interface WriteOptions {
  fence?: Fence;
}

/** What a write did. */
export interface WriteResult {
  /** Samples written (into at least one interval). */
  written: number;
  /** Samples the fence recognised as already applied, so not counted again. */
  skipped: number;
  /** Samples older than the retention of every interval of their metric (not written). */
  dropped: number;
  /** Atomic shard scripts run (one per shard the batch touched, plus retries after a fence race). */
  scripts: number;
  /** Expired keys deleted while trimming. */
  trimmed: number;
}

const MAX_FENCE_ATTEMPTS = 4;

function checkFence(fence: unknown): Fence | undefined {
  if (fence === undefined) return undefined;
  const f = fence as Partial<Fence> | null;
  if (typeof f !== 'object' || f === null) throw new InvalidQueryError('fence', 'must be an object {scope, token}');
  if (typeof f.scope !== 'string' || f.scope.length === 0 || f.scope.length > 256) {
    throw new InvalidQueryError('fence.scope', `must be a non-empty string of at most 256 characters, got ${JSON.stringify(f.scope)}`);
  }
  if (typeof f.token !== 'number' || !Number.isSafeInteger(f.token) || f.token < 0) {
    throw new InvalidQueryError('fence.token', `must be a non-negative whole number, got ${String(f.token)}`);
  }
  return { scope: f.scope, token: f.token };
}

/**
 * One shard's part of a batch. `build` makes its write given the token stored for the fence's
 * scope in that shard (-1: none): null when nothing is left to write there, 'overlap' when part
 * of it is already applied and the part cannot be told apart (an aggregate).
 */
interface ShardJob {
  shard: number;
  /** Samples in this part (counted as skipped when the fence says they are applied). */
  samples: number;
  /** Token stored for the scope in this shard, as the script expects to find it ('' = none). */
  stored: string;
  build(newest: number, ids: ReadonlyMap<string, number>, storedToken: number): ShardWrite | null | 'overlap';
}

/**
 * Writes a batch: checks every sample (nothing is written if one is invalid), raises the store's
 * newest data time, pre-aggregates per shard and runs one atomic script per shard, all shards
 * concurrently. With a fence, each shard only takes samples whose token is above the token stored
 * for the scope in that shard, and stores the new token in the same script.
 */
export async function writeBatch(ctx: StoreContext, samples: readonly Sample[], options: WriteOptions, entities: EntityKeys): Promise<WriteResult> {
  if (!Array.isArray(samples)) throw new InvalidQueryError('samples', 'must be an array of {metric, entity, ts, value}');
  const fence = checkFence(options?.fence);
  const now = Date.now() / 1000;
  const checked: CheckedSample[] = samples.map((s, i) => checkSample(s, i, ctx.config, entities, now));

  const byShard = new Map<number, { sample: CheckedSample; index: number; token: number }[]>();
  let batchNewest = -Infinity;
  let countTotal = 0;
  checked.forEach((sample, index) => {
    if (sample.metric.type === 'count') countTotal += sample.value as number;
    else if (sample.weight !== 1) countTotal += sample.weight;
    let token = 0;
    if (fence) {
      token = sample.token ?? fence.token;
      if (token > fence.token) throw new InvalidSampleError(index, 'token', `(${token}) is above the batch's fence token (${fence.token})`);
    }
    // A histogram sample of weight 0 adds nothing, so it is not written at all.
    if (sample.weight === 0) return;
    batchNewest = Math.max(batchNewest, Math.floor(sample.ts));
    const shard = ctx.keys.shardOf(sample.entityKey);
    let p = byShard.get(shard);
    if (!p) byShard.set(shard, (p = []));
    p.push({ sample, index, token });
  });
  const jobs: ShardJob[] = [...byShard].map(([shard, list]) => ({
    shard,
    samples: list.length,
    stored: '',
    build(newest, ids, storedToken) {
      const builder = new ShardWriteBuilder(shard, ctx.config, ctx.keys, newest, ids);
      let taken = 0;
      for (const { sample, index, token } of list) {
        if (fence && token <= storedToken) continue;
        builder.add(sample, index);
        taken++;
      }
      return taken === 0 ? null : builder.build();
    },
  }));
  // No bucket can exceed 2^53 when the whole batch does not, so aggregating cannot fail.
  const result = await applyShards(ctx, fence, batchNewest, jobs, countTotal <= Number.MAX_SAFE_INTEGER);
  if (fence) await markFence(ctx, fence);
  return result;
}

/** A fence for an aggregate: the batch holds the tokens `from` to `token` (e.g. offsets of one partition). */
export interface AggregateFence extends Fence {
  /** Lowest token of the batch (default: `token`, a batch of one token). */
  from?: number;
}

/** Options of {@link Store.writeAggregate}. */
export interface AggregateWriteOptions {
  fence?: AggregateFence;
}

/** What writing an aggregate did. */
export interface AggregateWriteResult extends WriteResult {
  /**
   * False when some shard already holds part (not all) of the batch's tokens: those shards were
   * left untouched and the fence was not moved. Write the same batch again with per-sample tokens
   * (`bulkInsert`), which takes exactly the missing part; the shards written here are then skipped.
   */
  complete: boolean;
}

/**
 * Writes a {@link BatchAggregate}, effectively once with a fence: a shard whose stored token is
 * below `from` takes its whole part, one at or above `token` none; a shard in between holds part
 * of the batch (a writer stopped between shards, then the batch was cut differently) and is
 * reported, not written (see {@link AggregateWriteResult.complete}).
 */
export async function writeAggregate(ctx: StoreContext, aggregate: BatchAggregate, options: AggregateWriteOptions): Promise<AggregateWriteResult> {
  if (!(aggregate instanceof BatchAggregate) || aggregate.config !== ctx.config) {
    throw new InvalidQueryError('aggregate', 'must be a BatchAggregate made by this store (store.aggregate())');
  }
  const fence = checkFence(options?.fence);
  const from = options?.fence?.from ?? fence?.token ?? 0;
  if (fence && (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0 || from > fence.token)) {
    throw new InvalidQueryError('fence.from', `must be a whole number from 0 to the fence token (${fence.token}), got ${String(from)}`);
  }
  let overlap = false;
  const jobs: ShardJob[] = [];
  for (const [shard, folded] of aggregate.byShard()) {
    let samples = 0;
    for (const series of folded.values()) for (const agg of series.values()) samples += agg.samples;
    if (samples === 0) continue;
    jobs.push({
      shard,
      samples,
      stored: '',
      build(newest, ids, storedToken) {
        if (fence && storedToken >= fence.token) return null;
        if (fence && storedToken >= from) {
          overlap = true;
          return 'overlap';
        }
        return new ShardWriteBuilder(shard, ctx.config, ctx.keys, newest, ids, folded).build();
      },
    });
  }
  const result = await applyShards(ctx, fence, aggregate.newest, jobs, true);
  if (fence && !overlap) await markFence(ctx, fence);
  return { ...result, complete: !overlap };
}

async function markFence(ctx: StoreContext, fence: Fence): Promise<void> {
  await backend('marking the fence', () => fenceMarkScript.run(ctx.client, [ctx.keys.fence()], [fence.scope, fence.token]));
}

/**
 * Raises the newest data time, reads the fences, and runs each shard job's script (all shards
 * concurrently; with `streaming`, each is sent as soon as it is built), retrying the shards whose
 * fence another writer moved. Then trims one untouched shard.
 */
async function applyShards(ctx: StoreContext, fence: Fence | undefined, batchNewest: number, jobs: ShardJob[], streaming: boolean): Promise<WriteResult> {
  const result: WriteResult = { written: 0, skipped: 0, dropped: 0, scripts: 0, trimmed: 0 };
  if (jobs.length === 0) return result;
  // First (cached after the first call): keys of another stored layout refuse the write before anything moves.
  const ids = await metricIds(ctx);
  const global = ctx.client.pipeline();
  global.zadd(ctx.keys.newest(), 'GT', batchNewest, 'n');
  global.zscore(ctx.keys.newest(), 'n');
  const readFences = fence
    ? Promise.all(jobs.map(async (p) => {
        p.stored = (await backend('reading fences', () => ctx.client.hget(ctx.keys.shardFence(p.shard), fence.scope))) ?? '';
      }))
    : Promise.resolve([]);
  const [replies] = await Promise.all([execPipeline(global, 'updating the newest data time'), readFences]);
  const newest = Number(replies[1]);
  if (fence) for (const p of jobs) noteFence(ctx, fence.scope, p.shard, p.stored === '' ? -1 : Number(p.stored));

  const build = (p: ShardJob) => p.build(newest, ids, p.stored === '' ? -1 : Number(p.stored));
  const conflicts: ShardJob[] = [];
  const run = async (p: ShardJob, write: ShardWrite | null | 'overlap'): Promise<void> => {
    if (write === 'overlap') return;
    if (write === null) {
      result.skipped += p.samples;
      return;
    }
    const args = [fence?.scope ?? '', p.stored, fence ? String(fence.token) : '', ctx.config.trimBudget, ctx.keys.tag(p.shard), ...write.ops];
    const reply = (await backend('writing a batch', () => writeScript.run(ctx.client, write.keys, args))) as [number, string | number];
    result.scripts++;
    if (reply[0] === 0) {
      p.stored = String(reply[1]);
      if (fence) noteFence(ctx, fence.scope, p.shard, p.stored === '' ? -1 : Number(p.stored));
      conflicts.push(p);
      return;
    }
    if (reply[0] === 2) {
      throw new StoreError('OVERFLOW', `a stored count would pass 2^53 (field ${String(reply[1])} of shard ${p.shard}); that shard's part of the batch was not written`, false);
    }
    if (fence) noteFence(ctx, fence.scope, p.shard, fence.token);
    result.written += write.samples;
    result.dropped += write.dropped;
    result.skipped += p.samples - write.samples - write.dropped;
    result.trimmed += Number(reply[1]);
  };
  let runs: Promise<void>[];
  if (streaming) {
    // Redis runs each shard's script while the next shard is aggregated.
    runs = jobs.map((p) => run(p, build(p)));
  } else {
    // Build every shard before writing any, so an error found while aggregating writes nothing.
    const built = jobs.map((p) => ({ p, write: build(p) }));
    runs = built.map(({ p, write }) => run(p, write));
  }
  await Promise.all(runs);
  for (let attempt = 2; conflicts.length > 0; attempt++) {
    if (attempt > MAX_FENCE_ATTEMPTS) {
      throw new FenceConflictError(fence?.scope ?? '', `gave up after ${MAX_FENCE_ATTEMPTS} attempts on shard(s) ${conflicts.map((c) => c.shard).join(', ')}`);
    }
    const again = conflicts.splice(0);
    await Promise.all(again.map((p) => run(p, build(p))));
  }
  if (jobs.length < ctx.config.shards) {
    // Shards this batch did not touch still expire data: trim one of them per batch, in turn.
    const touched = new Set(jobs.map((j) => j.shard));
    for (let i = 0; i < ctx.config.shards; i++) {
      const shard = ctx.trimCursor++ % ctx.config.shards;
      if (!touched.has(shard)) {
        result.trimmed += await trimShard(ctx, shard, null);
        break;
      }
    }
  }
  return result;
}

/**
 * Remembers the highest token seen for `scope` in a shard. Fences only rise, so a lower one means
 * Redis lost acknowledged writes: a batch written now would land past offsets the store never
 * kept. Throws {@link StoreBehindError} then, and forgets the scope, so the caller's next write
 * (from the fence the store holds now) goes through.
 */
function noteFence(ctx: StoreContext, scope: string, shard: number, stored: number): void {
  const seen = (ctx.fencesSeen ??= new Map());
  const key = `${scope}\u0000${shard}`;
  const before = seen.get(key);
  if (before !== undefined && stored < before) {
    for (const k of [...seen.keys()]) if (k.startsWith(`${scope}\u0000`)) seen.delete(k);
    throw new StoreBehindError(scope, shard, stored, before);
  }
  if (before === undefined || stored > before) seen.set(key, stored);
}

/**
 * Deletes expired data of one shard (at most `trimBudget` keys) without writing anything;
 * returns the number of keys deleted. `newest` defaults to the store's newest data time.
 */
export async function trimShard(ctx: StoreContext, shard: number, newest: number | null): Promise<number> {
  const now = newest ?? (await readNewest(ctx));
  if (now === null) return 0;
  const write = new ShardWriteBuilder(shard, ctx.config, ctx.keys, now, await metricIds(ctx)).build();
  const args = ['', '', '', ctx.config.trimBudget, ctx.keys.tag(shard), ...write.ops];
  const reply = (await backend('trimming expired data', () => writeScript.run(ctx.client, write.keys, args))) as [number, number];
  return Number(reply[1]);
}

/** Token of the last batch of `scope` applied completely, or null. */
export async function readFenceToken(ctx: StoreContext, scope: string): Promise<number | null> {
  if (typeof scope !== 'string' || scope.length === 0) throw new InvalidQueryError('scope', 'must be a non-empty string');
  const v = await backend('reading a fence', () => ctx.client.hget(ctx.keys.fence(), scope));
  return v === null ? null : Number(v);
}
