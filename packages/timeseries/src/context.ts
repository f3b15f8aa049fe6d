import type { ChainableCommander } from 'ioredis';
import { BackendError, isProgramError } from './errors';
import type { KeyScheme } from './keyScheme';
import type { RedisClient } from './luaScript';
import type { ResolvedConfig } from './options';

/** What the store's parts share: the Redis client, the checked options and the key scheme. */
export interface StoreContext {
  client: RedisClient;
  config: ResolvedConfig;
  keys: KeyScheme;
  /** Next shard to trim when a batch leaves some shards untouched (round robin). */
  trimCursor: number;
  /** Numbers of the metrics (metricIds.ts), once registered. */
  ids?: Promise<ReadonlyMap<string, number>>;
  /** The newest data time last read (a guess for the next read; never trusted without checking). */
  lastNewest?: number | null;
  /**
   * Highest fence token seen per scope and shard (`scope` NUL `shard`): a lower one read later
   * means Redis lost acknowledged writes (batchWriter.ts).
   */
  fencesSeen?: Map<string, number>;
}

/**
 * Runs a pipeline and returns its replies; any failed command becomes a {@link BackendError}.
 * An error of the code itself ({@link isProgramError}) is thrown as it is: it is not Redis's.
 */
export async function execPipeline(pipeline: ChainableCommander, operation: string): Promise<unknown[]> {
  let replies: [Error | null, unknown][] | null;
  try {
    replies = await pipeline.exec();
  } catch (error) {
    if (isProgramError(error)) throw error;
    throw new BackendError(operation, error);
  }
  if (!replies) throw new BackendError(operation, new Error('pipeline was discarded'));
  return replies.map(([error, reply]) => {
    if (error) throw new BackendError(operation, error);
    return reply;
  });
}

/**
 * Runs a Redis call, turning its failure into a {@link BackendError}. An error of the code
 * itself ({@link isProgramError}, e.g. a TypeError while building the call) is thrown as it
 * is, so that callers do not retry a bug as if Redis had failed.
 */
export async function backend<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isProgramError(error)) throw error;
    throw new BackendError(operation, error);
  }
}

/** The newest data time of the store (whole seconds), or null when it holds no data. */
export async function readNewest(ctx: StoreContext): Promise<number | null> {
  const score = await backend('reading the newest data time', () => ctx.client.zscore(ctx.keys.newest(), 'n'));
  ctx.lastNewest = score === null ? null : Number(score);
  return ctx.lastNewest;
}
