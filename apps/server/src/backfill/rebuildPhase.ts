import { Redis } from 'ioredis';
import type { MetricDefinition } from '@ipscope/metrics';
import { StoreError } from '@ipscope/timeseries';
import { openStore } from '../storeSetup';
import { BackfillError } from './backfillError';
import type { ChunkCommitter } from './chunkCommitter';
import type { BackfillOptions } from './options';
import type { ProgressSnapshot } from './progress';
import { iso, rebuildAlignment, rebuildWindow, type RebuildWindow } from './rebuildWindow';

/** What the delete phase of a rebuild did. */
export interface RebuildReport {
  metrics: string[];
  window: RebuildWindow;
  /** False when an earlier run of the job had finished deleting (nothing deleted now). */
  deletedNow: boolean;
  /** Fields and keys removed by this run. */
  removed: number;
  /** Entity-chunk pairs visited by this run. */
  entities: number;
}

/** Everything {@link rebuildPhase} needs. */
export interface RebuildPhaseContext {
  options: BackfillOptions;
  job: string;
  committer: ChunkCommitter;
  /** The metric catalog the live workers run (the default catalog unless told otherwise). */
  definitions: readonly MetricDefinition[] | undefined;
  signal: AbortSignal;
  onProgress: ((snapshot: () => ProgressSnapshot) => void) | undefined;
  /** Unix seconds the job started at: the default cut. */
  now: number;
}

class Interrupted extends Error {}

/** How long a run's claim on a job's delete phase lasts without renewal (renewed at every step). */
const LOCK_MS = 60_000;

/**
 * Renews the claim if this run still holds it. A run fenced out of its Kafka transactional id
 * learns it only at its next Kafka call, so two runs of one job could otherwise delete at once,
 * and the older one would delete what the newer one has started to replay.
 */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * The first phase of `--rebuild`: fixes the job's window in its checkpoint (once, at the job's
 * first start, so a resumed run cuts at the same time), deletes the metrics in the store over it,
 * and records in the checkpoint that the delete finished, so a resumed run never deletes again
 * what it has started to fill. Returns null when interrupted before the delete finished (nothing
 * was replayed then: running the job again repeats the delete, which is idempotent).
 */
export async function rebuildPhase(ctx: RebuildPhaseContext): Promise<RebuildReport | null> {
  const { options, committer } = ctx;
  const metrics = options.metrics ?? [];
  const redis = new Redis(options.redisUrl ?? '', { lazyConnect: true, maxRetriesPerRequest: 3, connectTimeout: 5000 });
  try {
    try {
      await redis.connect();
    } catch (caught) {
      throw new BackfillError('store', `cannot reach Redis at ${options.redisUrl} (--redis / REDIS_URL): ${message(caught)}`, true, { cause: caught });
    }
    const { store } = openStore(redis, options.prefix ?? 'ips', ctx.definitions);
    const alignment = rebuildAlignment(store.config, metrics);
    const prior = committer.working.rebuild;
    let window: RebuildWindow;
    if (prior !== undefined) {
      window = { since: prior.since, before: prior.before };
      checkSameJob(ctx, prior.metrics, window, alignment);
    } else {
      if (Object.keys(committer.working.files).length > 0 || Object.keys(committer.working.partitions).length > 0) {
        throw new BackfillError(
          'checkpoint',
          `job ${ctx.job} has replayed data without a rebuild; deleting now would drop what it sent. Use another --job, or --restart to delete and send everything again`,
        );
      }
      window = rebuildWindow(options.before ?? ctx.now, options.since, alignment);
      committer.working.rebuild = { metrics, since: window.since, before: window.before, deleted: false };
      committer.touch();
      await committer.commit();
    }
    const state = committer.working.rebuild;
    if (state === undefined) throw new Error('rebuild state missing after it was written');
    const report: RebuildReport = { metrics, window, deletedNow: false, removed: 0, entities: 0 };
    if (state.deleted) return report;

    const lockKey = `ipscope:rebuild-lock:${options.prefix ?? 'ips'}:${ctx.job}`;
    const me = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    if ((await redis.set(lockKey, me, 'PX', LOCK_MS, 'NX')) !== 'OK') {
      throw new BackfillError(
        'fenced',
        `another run of job ${ctx.job} is deleting ${metrics.join(', ')} (Redis key ${lockKey}); wait for it to finish or stop it, then re-run`,
        true,
      );
    }
    let lost = false;
    const renew = (): void => {
      redis.eval(RENEW, 1, lockKey, me, LOCK_MS).then(
        (held) => {
          if (Number(held) !== 1) lost = true;
        },
        () => {
          lost = true;
        },
      );
    };

    const started = Date.now();
    const shards = store.config.shards;
    let done = 0;
    const snapshot = (): ProgressSnapshot => ({
      done,
      total: shards * metrics.length,
      doneAtStart: 0,
      lines: report.entities,
      elapsed: (Date.now() - started) / 1000,
      noun: 'series chunks deleted',
    });
    try {
      for (const [i, metric] of metrics.entries()) {
        const result = await store.deleteMetric({
          metric,
          ...(window.since === null ? {} : { from: window.since }),
          to: window.before - 1,
          onProgress: (p) => {
            if (ctx.signal.aborted) throw new Interrupted();
            if (lost) throw new BackfillError('fenced', `job ${ctx.job}: this run lost its claim on the delete phase (another run took over, or Redis failed); re-run to resume`, true);
            renew();
            done = i * shards + p.shardsDone;
            ctx.onProgress?.(() => ({ ...snapshot(), lines: report.entities + p.entities }));
          },
        });
        report.removed += result.removed;
        report.entities += result.entities;
      }
    } catch (caught) {
      await redis.eval(RELEASE, 1, lockKey, me).catch(() => undefined);
      if (caught instanceof Interrupted || ctx.signal.aborted) return null;
      if (caught instanceof StoreError) {
        throw new BackfillError('store', `deleting ${metrics.join(', ')} for the rebuild failed: ${caught.message}`, caught.retriable, { cause: caught });
      }
      throw caught;
    }
    state.deleted = true;
    report.deletedNow = true;
    committer.touch();
    try {
      await committer.commit();
    } finally {
      await redis.eval(RELEASE, 1, lockKey, me).catch(() => undefined);
    }
    return report;
  } finally {
    redis.disconnect();
  }
}

/** A resumed rebuild must cut where the job first did: a different window would double count. */
function checkSameJob(ctx: RebuildPhaseContext, metrics: readonly string[], window: RebuildWindow, alignment: number): void {
  const { options } = ctx;
  const again = `job ${ctx.job} started as a rebuild of ${metrics.join(', ')} over ${describeWindow(window)}`;
  if (metrics.join(',') !== (options.metrics ?? []).join(',')) {
    throw new BackfillError('checkpoint', `${again}, not of ${(options.metrics ?? []).join(', ')}; use another --job`);
  }
  if (options.before !== undefined || options.since !== undefined) {
    const asked = rebuildWindow(options.before ?? window.before, options.since, alignment);
    if (asked.before !== window.before || (options.since !== undefined && asked.since !== window.since)) {
      throw new BackfillError(
        'checkpoint',
        `${again}; this run asks for ${describeWindow(asked)}. Run it with the same --before/--since (or none) to resume, or --restart to start over`,
      );
    }
  }
}

/** `[2026-11-29T10:00:00Z, 2026-11-29T14:00:00Z)` or `everything before 2026-11-29T14:00:00Z`. */
export function describeWindow(window: RebuildWindow): string {
  return window.since === null ? `everything before ${iso(window.before)}` : `[${iso(window.since)}, ${iso(window.before)})`;
}

function message(caught: unknown): string {
  return caught instanceof Error ? caught.message : String(caught);
}
