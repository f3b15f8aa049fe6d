import { ConfigError } from '../config/config';
import type { IngestWritePath } from './ingestWorker';

/** The environment variable that picks the ingest's write path (benchmarks compare both). */
export const WRITE_PATH_VARIABLE = 'IPSCOPE_INGEST_WRITE_PATH';

/**
 * Reads {@link WRITE_PATH_VARIABLE}: `aggregate` (default: samples folded straight into a store
 * batch aggregate) or `samples` (one `Sample` object per metric and event, through `bulkInsert`).
 * Any other value throws a {@link ConfigError} naming the variable and the values that work, so
 * start-up stops with the variable's name like any other bad setting.
 */
export function writePathFromEnv(env: Readonly<Record<string, string | undefined>>): IngestWritePath {
  const value = env[WRITE_PATH_VARIABLE];
  if (value === undefined || value === '' || value === 'aggregate') return 'aggregate';
  if (value === 'samples') return 'samples';
  throw new ConfigError(WRITE_PATH_VARIABLE, `must be "aggregate" or "samples", got ${JSON.stringify(value)}`);
}
