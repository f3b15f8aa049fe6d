import { defaultCatalog, type MetricDefinition } from '@ipscope/metrics';
import { ConfigError } from './config/config';

/** The environment variable that leaves metrics of the catalog out (benchmarks measure a metric's cost with it). */
export const METRICS_SKIP_VARIABLE = 'IPSCOPE_METRICS_SKIP';

/**
 * The catalog this process runs: `definitions` without the metrics named in
 * {@link METRICS_SKIP_VARIABLE} (comma-separated names; unset or empty: all of them). A name the
 * catalog does not hold, or skipping every metric, throws a {@link ConfigError} naming the
 * variable, so start-up stops like on any other bad setting. Every role of every process of one
 * deployment must run the same selection.
 */
export function catalogFromEnv(env: Readonly<Record<string, string | undefined>>, definitions: readonly MetricDefinition[] = defaultCatalog): readonly MetricDefinition[] {
  const text = env[METRICS_SKIP_VARIABLE];
  if (text === undefined || text.trim() === '') return definitions;
  const skip = new Set(text.split(',').map((name) => name.trim()).filter((name) => name !== ''));
  const unknown = [...skip].filter((name) => !definitions.some((d) => d.name === name));
  if (unknown.length > 0) {
    throw new ConfigError(METRICS_SKIP_VARIABLE, `names metrics the catalog does not hold: ${unknown.join(', ')} (e.g. conn.peer.orig.bytes,conn.peer.resp.bytes)`);
  }
  const kept = definitions.filter((d) => !skip.has(d.name));
  if (kept.length === 0) throw new ConfigError(METRICS_SKIP_VARIABLE, 'leaves no metric to record; name fewer metrics');
  return kept;
}
